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

export type SortDirection = 'asc' | 'desc';

export interface DataTableColumn<T> {
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
}

export interface DataTableProps<T> {
  /** Heading and accessible name of the table. */
  title: string;
  columns: readonly DataTableColumn<T>[];
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
function pageSizeOptions(pageSize: number): number[] {
  return Array.from(new Set([pageSize, 20, 50, 100])).sort((a, b) => a - b);
}

/**
 * A table with a title, sortable columns, an optional filter box and paging:
 * the one table of the plugin's lists (audit, pipelines, ownership report).
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const {
    title,
    columns,
    rows,
    rowKey,
    loading,
    defaultSort,
    search,
    pageSize,
    emptyContent,
  } = props;
  const defaultColumn = defaultSort
    ? columns.findIndex(c => c.title === defaultSort.column)
    : -1;
  const [sort, setSort] = useState<Sort | undefined>(
    defaultSort && defaultColumn >= 0
      ? { column: defaultColumn, direction: defaultSort.direction }
      : undefined,
  );
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(pageSize ?? 0);

  const shown = useMemo(
    () => sortAndFilterRows(rows, columns, query, sort),
    [rows, columns, query, sort],
  );
  const paged = !!pageSize && rows.length > pageSize;
  const lastPage = paged
    ? Math.max(0, Math.ceil(shown.length / rowsPerPage) - 1)
    : 0;
  const currentPage = Math.min(page, lastPage);
  const visible = paged
    ? shown.slice(currentPage * rowsPerPage, (currentPage + 1) * rowsPerPage)
    : shown;

  const sortBy = (column: number) => {
    setSort(previous =>
      previous?.column === column && previous.direction === 'asc'
        ? { column, direction: 'desc' }
        : { column, direction: 'asc' },
    );
    setPage(0);
  };

  let body: ReactNode;
  if (loading) {
    body = <Progress />;
  } else if (rows.length === 0) {
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
                const active = sort?.column === index;
                return (
                  <TableCell
                    key={column.title}
                    align={column.numeric ? 'right' : 'left'}
                    sortDirection={active ? sort.direction : false}
                  >
                    <TableSortLabel
                      active={active}
                      direction={active ? sort.direction : 'asc'}
                      onClick={() => sortBy(index)}
                    >
                      {column.title}
                    </TableSortLabel>
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
        {paged && (
          <TablePagination
            component="div"
            count={shown.length}
            page={currentPage}
            onPageChange={(_e, next) => setPage(next)}
            rowsPerPage={rowsPerPage}
            rowsPerPageOptions={pageSizeOptions(pageSize)}
            onRowsPerPageChange={e => {
              setRowsPerPage(Number(e.target.value));
              setPage(0);
            }}
          />
        )}
      </>
    );
  }

  return (
    <Box component="section" aria-label={title}>
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        gap={2}
        sx={{ mb: 1 }}
      >
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        {search && (
          <TextField
            size="small"
            type="search"
            placeholder="Filter"
            value={query}
            onChange={e => {
              setQuery(e.target.value);
              setPage(0);
            }}
            inputProps={{ 'aria-label': `Filter ${title}` }}
          />
        )}
      </Stack>
      {body}
    </Box>
  );
}
