import {
  UnattributedItem,
  UnattributedSpend,
} from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { RiSpyLine } from '@remixicon/react';
import { CsvRow } from '../../lib/csv';
import {
  formatCount,
  formatShare,
  formatUsd,
  formatUsdExact,
} from '../../lib/format';
import { UNATTRIBUTED_KEY_TYPE_LABEL } from '../../lib/spendKeys';
import { ExportCsvButton } from '../ExportCsvButton';

/** The CSV of unattributed usage: a header, then one row per key by cost. */
export function unattributedCsvRows(
  items: readonly UnattributedItem[],
): CsvRow[] {
  return [
    ['key', 'key_type', 'cost_usd', 'requests'],
    ...sortByCost(items).map(i => [i.key, i.keyType, i.costUsd, i.requests]),
  ];
}

function sortByCost(items: readonly UnattributedItem[]): UnattributedItem[] {
  return [...items].sort(
    (a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key),
  );
}

export interface UnattributedSpendCardProps {
  unattributed: UnattributedSpend;
  /** All spend of the range, for the share. */
  total: number;
  csvFilename: string;
}

/**
 * Usage no catalog entity or team claims (shadow AI), by what names it: a
 * gateway key alias, a gateway team id, a tag, or nothing. In a warning
 * colour while there is any.
 */
export function UnattributedSpendCard(props: UnattributedSpendCardProps) {
  const { unattributed, total, csvFilename } = props;
  const items = sortByCost(unattributed.items);
  const any = items.length > 0 || unattributed.costUsd > 0;
  const title = 'Unattributed usage (shadow AI)';
  return (
    <Card
      variant="outlined"
      component="section"
      aria-label={title}
      data-testid="unattributed-spend"
      sx={{
        borderColor: any ? 'warning.main' : undefined,
        borderWidth: any ? 2 : undefined,
        height: '100%',
      }}
    >
      <CardHeader
        avatar={
          <Box
            sx={{
              display: 'flex',
              color: any ? 'warning.main' : 'text.secondary',
            }}
          >
            <RiSpyLine aria-hidden size={28} />
          </Box>
        }
        title={title}
        titleTypographyProps={{ variant: 'h6', component: 'h3' }}
        subheader={
          any
            ? `${formatUsd(unattributed.costUsd)} (${formatShare(
                unattributed.costUsd,
                total,
              )} of spend), ${formatCount(
                unattributed.requests,
              )} requests that no catalog entity or team claims`
            : undefined
        }
        action={
          <ExportCsvButton
            filename={csvFilename}
            what="unattributed usage"
            rows={() => unattributedCsvRows(items)}
            disabled={items.length === 0}
          />
        }
      />
      <CardContent sx={{ pt: 0 }}>
        {!any && (
          <Typography variant="body2">
            All usage in this range is attributed to a catalog entity or team.
          </Typography>
        )}
        {items.length > 0 && (
          <>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              Tag requests with <code>backstage:&lt;entity ref&gt;</code>, or
              name a catalog entity or Group in the gateway key alias or team,
              to attribute them.
            </Typography>
            <Table size="small" aria-label="unattributed usage">
              <TableHead>
                <TableRow>
                  <TableCell>Named by</TableCell>
                  <TableCell>Key</TableCell>
                  <TableCell align="right">Cost</TableCell>
                  <TableCell align="right">Requests</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map(item => (
                  <TableRow key={`${item.keyType}:${item.key}`}>
                    <TableCell>
                      <Chip
                        size="small"
                        variant="outlined"
                        color="warning"
                        label={
                          UNATTRIBUTED_KEY_TYPE_LABEL[item.keyType] ??
                          item.keyType
                        }
                      />
                    </TableCell>
                    <TableCell sx={{ wordBreak: 'break-all' }}>
                      {item.key || '(none)'}
                    </TableCell>
                    <TableCell
                      align="right"
                      title={formatUsdExact(item.costUsd)}
                    >
                      {formatUsd(item.costUsd)}
                    </TableCell>
                    <TableCell align="right">
                      {formatCount(item.requests)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </CardContent>
    </Card>
  );
}
