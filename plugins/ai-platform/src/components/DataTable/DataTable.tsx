import { Progress } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ReactNode, useMemo, useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';

export type SortDirection = 'asc' | 'desc';

/** How long the filter box waits after the last key before a server-paged table asks again. */
export const SEARCH_DEBOUNCE_MS = 300;

export interface DataTableColumn<T, K extends string = string> {
  /** The column header. */
  title: string;
  /** What sorting and the filter see of a row when not told otherwise. */
  value: (row: T) => string | number | null | undefined;
  /** The cell; by default the value. */
  render?: (row: T) => ReactNode;
  /** Orders rows ascending; by default by value (numbers as numbers). */
  compare?: (a: T, b: T) => number;
  /** The text the filter matches; by default the value. */
  searchText?: (row: T) => string;
  /** Numbers: aligned right. */
  numeric?: boolean;
  /** Bold cells, for the column that names the row. */
  highlight?: boolean;
  /**
   * With `paging`: the server's sort key of the column. Only columns with
   * one are sortable then.
   */
  sortKey?: K;
}

/** The order a server-paged table asks for: a sort key and a direction. */
export interface ServerSort<K extends string = string> {
  key: K;
  direction: SortDirection;
}

/**
 * Server-side paging of a DataTable (see `usePagedList`): its rows are one
 * page; the server filters, sorts and pages, and the table only shows the
 * controls and reports what the user changed.
 */
export interface DataTablePaging<K extends string = string> {
  /** How many rows match, over all pages. */
  totalItems: number;
  /** The zero-based page shown. */
  page: number;
  pageSize: number;
  pageSizeOptions: readonly number[];
  /** The text of the filter box the rows match. */
  query: string;
  sort?: ServerSort<K>;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
  /** Called once typing in the filter box has paused. */
  onQueryChange: (query: string) => void;
  onSortChange: (sort: ServerSort<K>) => void;
}

export interface DataTableProps<T, K extends string = string> {
  /** Heading and accessible name of the table. */
  title: string;
  /** Only the accessible name, no heading (in a card that has its own). */
  hideTitle?: boolean;
  columns: readonly DataTableColumn<T, K>[];
  rows: readonly T[];
  /** A key unique among the rows. */
  rowKey: (row: T) => string;
  /** Shows a progress bar instead of the rows. */
  loading?: boolean;
  /** The order before the user clicks a header; by default the rows' own. */
  defaultSort?: { column: string; direction: SortDirection };
  /** Shows a text box that keeps the rows containing its text. */
  search?: boolean;
  /** Pages the rows when there are more of them than this. */
  pageSize?: number;
  /** Shown instead of the table when there are no rows at all. */
  emptyContent?: ReactNode;
  /**
   * The rows are one page of the server's: no sorting, filtering or paging
   * here, `pageSize` and `defaultSort` are ignored.
   */
  paging?: DataTablePaging<K>;
}

interface Sort {
  column: number;
  direction: SortDirection;
}

function compareValues(
  a: string | number | null | undefined,
  b: string | number | null | undefined,
): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * The rows the table shows, before paging: those whose text in any column
 * contains `query` (case-insensitive), in the order of `sort` (stable, so
 * equal rows keep their order).
 */
export function sortAndFilterRows<T>(
  rows: readonly T[],
  columns: readonly DataTableColumn<T>[],
  query: string,
  sort: Sort | undefined,
): T[] {
  const needle = query.trim().toLocaleLowerCase('en-US');
  const kept = needle
    ? rows.filter(row =>
        columns.some(column =>
          (column.searchText
            ? column.searchText(row)
            : String(column.value(row) ?? '')
          )
            .toLocaleLowerCase('en-US')
            .includes(needle),
        ),
      )
    : [...rows];
  const column = sort && columns[sort.column];
  if (!column) return kept;
  const ascending =
    column.compare ??
    ((a: T, b: T) => compareValues(column.value(a), column.value(b)));
  const sign = sort.direction === 'asc' ? 1 : -1;
  return kept.sort((a, b) => sign * ascending(a, b));
}

/** The page sizes offered: the table's own and the usual 20, 50 and 100. */
export function pageSizeOptions(pageSize: number): number[] {
  return Array.from(new Set([pageSize, 20, 50, 100])).sort((a, b) => a - b);
}

/** The pager's "1–20 of 10,000". */
function displayedRows(info: { from: number; to: number; count: number }) {
  const n = (value: number) => value.toLocaleString('en-US');
  return `${n(info.from)}–${n(info.to)} of ${n(info.count)}`;
}

/**
 * The filter box of a server-paged table: its own text, handed on once
 * typing pauses for SEARCH_DEBOUNCE_MS.
 */
function useDebouncedQuery<K extends string>(
  paging: DataTablePaging<K> | undefined,
) {
  const [input, setInput] = useState(paging?.query ?? '');
  useDebounce(
    () => {
      if (paging && input !== paging.query) paging.onQueryChange(input);
    },
    SEARCH_DEBOUNCE_MS,
    [input],
  );
  return [input, setInput] as const;
}

/**
 * A table with a title, sortable columns, an optional filter box and paging:
 * the one table of the plugin's lists (audit, pipelines, ownership report).
 */
export function DataTable<T, K extends string = string>(
  props: DataTableProps<T, K>,
) {
  const {
    title,
    hideTitle,
    columns,
    rows,
    rowKey,
    loading,
    defaultSort,
    search,
    pageSize,
    emptyContent,
    paging,
  } = props;
  const defaultColumn = defaultSort
    ? columns.findIndex(c => c.title === defaultSort.column)
    : -1;
  const [sort, setSort] = useState<Sort | undefined>(
    defaultSort && defaultColumn >= 0
      ? { column: defaultColumn, direction: defaultSort.direction }
      : undefined,
  );
  const [localQuery, setLocalQuery] = useState('');
  const [input, setInput] = useDebouncedQuery(paging);
  const [localPage, setLocalPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(pageSize ?? 0);

  const shown = useMemo(
    () =>
      paging ? [...rows] : sortAndFilterRows(rows, columns, localQuery, sort),
    [paging, rows, columns, localQuery, sort],
  );
  const query = paging ? paging.query : localQuery;

  let pager: {
    count: number;
    page: number;
    rowsPerPage: number;
    options: readonly number[];
    onPageChange: (page: number) => void;
    onRowsPerPageChange: (size: number) => void;
  } | null = null;
  let visible = shown;
  if (paging) {
    if (paging.totalItems > Math.min(...paging.pageSizeOptions)) {
      pager = {
        count: paging.totalItems,
        page: paging.page,
        rowsPerPage: paging.pageSize,
        options: paging.pageSizeOptions,
        onPageChange: paging.onPageChange,
        onRowsPerPageChange: paging.onPageSizeChange,
      };
    }
  } else if (pageSize && rows.length > pageSize) {
    const lastPage = Math.max(0, Math.ceil(shown.length / rowsPerPage) - 1);
    const currentPage = Math.min(localPage, lastPage);
    visible = shown.slice(
      currentPage * rowsPerPage,
      (currentPage + 1) * rowsPerPage,
    );
    pager = {
      count: shown.length,
      page: currentPage,
      rowsPerPage,
      options: pageSizeOptions(pageSize),
      onPageChange: setLocalPage,
      onRowsPerPageChange: size => {
        setRowsPerPage(size);
        setLocalPage(0);
      },
    };
  }

  /** The direction a column is sorted in, if it is the sorted one. */
  const sortedBy = (
    column: DataTableColumn<T, K>,
    index: number,
  ): SortDirection | undefined => {
    if (paging) {
      return column.sortKey !== undefined && paging.sort?.key === column.sortKey
        ? paging.sort.direction
        : undefined;
    }
    return sort?.column === index ? sort.direction : undefined;
  };
  const sortBy = (column: DataTableColumn<T, K>, index: number) => {
    const next: SortDirection =
      sortedBy(column, index) === 'asc' ? 'desc' : 'asc';
    if (paging) {
      if (column.sortKey !== undefined) {
        paging.onSortChange({ key: column.sortKey, direction: next });
      }
      return;
    }
    setSort({ column: index, direction: next });
    setLocalPage(0);
  };

  // A server-paged table with nothing at all (no filter applied) shows its
  // empty content and no filter box.
  const empty = paging
    ? paging.totalItems === 0 && rows.length === 0 && !paging.query.trim()
    : rows.length === 0;

  let body: ReactNode;
  if (loading) {
    body = <Progress />;
  } else if (empty) {
    body = emptyContent ?? (
      <Typography variant="body2" sx={{ p: 2 }}>
        No records to display
      </Typography>
    );
  } else {
    body = (
      <>
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              {columns.map((column, index) => {
                const direction = sortedBy(column, index);
                const sortable = !paging || column.sortKey !== undefined;
                return (
                  <TableCell
                    key={column.title}
                    align={column.numeric ? 'right' : 'left'}
                    sortDirection={direction ?? false}
                  >
                    {sortable ? (
                      <TableSortLabel
                        active={!!direction}
                        direction={direction ?? 'asc'}
                        onClick={() => sortBy(column, index)}
                      >
                        {column.title}
                      </TableSortLabel>
                    ) : (
                      column.title
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody>
            {visible.length === 0 ? (
              <TableRow>
                <TableCell colSpan={columns.length}>
                  No rows match “{query.trim()}”.
                </TableCell>
              </TableRow>
            ) : (
              visible.map(row => (
                <TableRow key={rowKey(row)} hover>
                  {columns.map(column => (
                    <TableCell
                      key={column.title}
                      align={column.numeric ? 'right' : 'left'}
                      sx={column.highlight ? { fontWeight: 'bold' } : undefined}
                    >
                      {column.render ? column.render(row) : column.value(row)}
                    </TableCell>
                  ))}
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
        {pager && (
          <TablePagination
            component="div"
            count={pager.count}
            page={pager.page}
            onPageChange={(_e, next) => pager?.onPageChange(next)}
            rowsPerPage={pager.rowsPerPage}
            rowsPerPageOptions={[...pager.options]}
            onRowsPerPageChange={e =>
              pager?.onRowsPerPageChange(Number(e.target.value))
            }
            labelDisplayedRows={displayedRows}
          />
        )}
      </>
    );
  }

  const showSearch = search && !(paging && empty);
  return (
    <Box component="section" aria-label={title}>
      {(!hideTitle || showSearch) && (
        <Stack
          direction="row"
          justifyContent={hideTitle ? 'flex-end' : 'space-between'}
          alignItems="center"
          gap={2}
          sx={{ mb: 1 }}
        >
          {!hideTitle && (
            <Typography variant="h6" component="h2">
              {title}
            </Typography>
          )}
          {showSearch && (
            <TextField
              size="small"
              type="search"
              placeholder="Filter"
              value={paging ? input : localQuery}
              onChange={e => {
                if (paging) {
                  setInput(e.target.value);
                } else {
                  setLocalQuery(e.target.value);
                  setLocalPage(0);
                }
              }}
              inputProps={{ 'aria-label': `Filter ${title}` }}
            />
          )}
        </Stack>
      )}
      {body}
    </Box>
  );
}
