import { SpendGroupBy, SpendItem } from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { CsvRow } from '../../lib/csv';
import {
  formatCount,
  formatShare,
  formatTokens,
  formatUsd,
  formatUsdExact,
} from '../../lib/format';
import { isNamedSpendKey, spendKeyLabel } from '../../lib/spendKeys';
import { ExportCsvButton } from '../ExportCsvButton';

const KEY_TITLE: Record<SpendGroupBy, string> = {
  team: 'Team',
  service: 'Service',
  model: 'Model',
  pipeline: 'Pipeline',
};

/** Items most expensive first; equal costs by key, so the order is stable. */
export function rankSpendItems(items: readonly SpendItem[]): SpendItem[] {
  return [...items].sort(
    (a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key),
  );
}

/** The CSV of a spend table: a header, then one row per item by rank. */
export function spendCsvRows(
  items: readonly SpendItem[],
  groupBy: SpendGroupBy,
): CsvRow[] {
  return [
    [
      'rank',
      groupBy,
      'cost_usd',
      'requests',
      'input_tokens',
      'output_tokens',
      'unpriced_requests',
    ],
    ...rankSpendItems(items).map((item, index) => [
      index + 1,
      item.key,
      item.costUsd,
      item.requests,
      item.inputTokens,
      item.outputTokens,
      item.unpricedRequests ?? 0,
    ]),
  ];
}

export interface SpendTableProps {
  /** Heading and accessible name of the table, e.g. `Teams ranked by cost`. */
  title: string;
  /** The dimension of the items: names the key column and formats keys. */
  groupBy: SpendGroupBy;
  items: readonly SpendItem[];
  /** Makes every named key a button that selects it (drill-down). */
  onSelect?: (key: string) => void;
  /** The accessible name of a key's button; by default its label. */
  selectLabel?: (label: string) => string;
  /** File name of the CSV export. */
  csvFilename: string;
  /** Shown instead of the table when there are no items. */
  emptyText: string;
  /** A line under the heading. */
  description?: string;
}

/** Spend items ranked by cost, with share, requests and tokens, and a CSV export. */
export function SpendTable(props: SpendTableProps) {
  const {
    title,
    groupBy,
    items,
    onSelect,
    selectLabel,
    csvFilename,
    emptyText,
    description,
  } = props;
  const ranked = useMemo(() => rankSpendItems(items), [items]);
  const sum = useMemo(
    () => ranked.reduce((acc, item) => acc + item.costUsd, 0),
    [ranked],
  );

  return (
    <Box component="section" aria-label={title}>
      <Stack
        direction="row"
        justifyContent="space-between"
        alignItems="center"
        gap={2}
        sx={{ mb: 1 }}
      >
        <Box>
          <Typography variant="h6" component="h3">
            {title}
          </Typography>
          {description && (
            <Typography variant="body2" color="text.secondary">
              {description}
            </Typography>
          )}
        </Box>
        <ExportCsvButton
          filename={csvFilename}
          what={title.toLocaleLowerCase('en-US')}
          rows={() => spendCsvRows(ranked, groupBy)}
          disabled={ranked.length === 0}
        />
      </Stack>
      {ranked.length === 0 ? (
        <Typography variant="body2">{emptyText}</Typography>
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 48 }}>#</TableCell>
              <TableCell>{KEY_TITLE[groupBy]}</TableCell>
              <TableCell align="right">Cost</TableCell>
              <TableCell align="right">Share</TableCell>
              <TableCell align="right">Requests</TableCell>
              <TableCell align="right">Input tokens</TableCell>
              <TableCell align="right">Output tokens</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {ranked.map((item, index) => {
              const label = spendKeyLabel(item.key, groupBy);
              const selectable = !!onSelect && isNamedSpendKey(item.key);
              return (
                <TableRow key={item.key} hover={selectable}>
                  <TableCell>{index + 1}</TableCell>
                  <TableCell>
                    {selectable ? (
                      <Link
                        component="button"
                        variant="body2"
                        title={item.key}
                        aria-label={selectLabel ? selectLabel(label) : label}
                        onClick={() => onSelect(item.key)}
                        sx={{ textAlign: 'left' }}
                      >
                        {label}
                      </Link>
                    ) : (
                      <span title={item.key}>{label}</span>
                    )}
                  </TableCell>
                  <TableCell align="right">
                    <Stack
                      direction="row"
                      gap={1}
                      justifyContent="flex-end"
                      alignItems="center"
                    >
                      {!!item.unpricedRequests && (
                        <Chip
                          size="small"
                          variant="outlined"
                          color="warning"
                          label={`+${formatCount(
                            item.unpricedRequests,
                          )} unpriced`}
                          title="Requests nobody could price: their cost is unknown and not in this sum"
                        />
                      )}
                      <span title={formatUsdExact(item.costUsd)}>
                        {formatUsd(item.costUsd)}
                      </span>
                    </Stack>
                  </TableCell>
                  <TableCell align="right">
                    {formatShare(item.costUsd, sum)}
                  </TableCell>
                  <TableCell align="right">
                    {formatCount(item.requests)}
                  </TableCell>
                  <TableCell align="right">
                    {formatTokens(item.inputTokens)}
                  </TableCell>
                  <TableCell align="right">
                    {formatTokens(item.outputTokens)}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
