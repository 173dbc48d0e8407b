import {
  BurnRateAlert,
  formatSloObjective,
  SloReport,
  SloStatus,
} from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { formatPercent, round } from '../../lib/signals';

const STATUS: Record<
  SloStatus,
  { color: 'success' | 'warning' | 'error' | 'default'; label: string }
> = {
  ok: { color: 'success', label: 'ok' },
  'at-risk': { color: 'warning', label: 'at risk' },
  breached: { color: 'error', label: 'breached' },
  'no-data': { color: 'default', label: 'no data' },
};

const rate = (value: number | null) =>
  value === null ? '–' : `${round(value, 1)}×`;

/** e.g. `page when both windows burn faster than 14.4×: 1h at 20.5×, 5m at 18×`. */
function burnRateDescription(alert: BurnRateAlert): string {
  const when = `${alert.severity} when both windows burn faster than ${rate(
    alert.threshold,
  )}`;
  const observed = `${alert.long} at ${rate(alert.longRate)}, ${
    alert.short
  } at ${rate(alert.shortRate)}`;
  return `${when}: ${observed}${alert.firing ? ' — firing' : ''}`;
}

/** One window pair, e.g. `1h/5m 14.4× · 0.2×`; coloured when firing. */
export function BurnRateChip(props: { alert: BurnRateAlert }) {
  const { alert } = props;
  const color = alert.severity === 'page' ? 'error' : 'warning';
  return (
    <Tooltip title={burnRateDescription(alert)}>
      <Chip
        size="small"
        variant={alert.firing ? 'filled' : 'outlined'}
        color={alert.firing ? color : 'default'}
        label={`${alert.long}/${alert.short} ${rate(alert.threshold)} · ${rate(
          alert.longRate,
        )}`}
        data-firing={alert.firing}
      />
    </Tooltip>
  );
}

/** Error budget left as a bar; below zero it is overspent. */
export function ErrorBudget(props: { remaining: number | null }) {
  const { remaining } = props;
  if (remaining === null) {
    return <Typography variant="body2">–</Typography>;
  }
  const overspent = remaining < 0;
  const label = overspent
    ? `overspent by ${formatPercent(-remaining, 1)}`
    : `${formatPercent(remaining, 1)} left`;
  return (
    <Box sx={{ minWidth: 120 }}>
      <LinearProgress
        variant="determinate"
        value={Math.max(0, Math.min(1, remaining)) * 100}
        color={overspent || remaining < 0.1 ? 'error' : 'primary'}
        aria-label={`error budget: ${label}`}
      />
      <Typography
        variant="caption"
        color={overspent ? 'error' : 'text.secondary'}
      >
        {label}
      </Typography>
    </Box>
  );
}

/** How each SLO of the pipeline stands. */
export function SloTable(props: { slos: SloReport[] }) {
  const { slos } = props;
  if (slos.length === 0) {
    return (
      <Typography variant="body2">
        This pipeline declares no SLO. Add <code>spec.slos</code> to its catalog
        entity to track freshness, accuracy or latency objectives.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="SLOs">
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Signal</TableCell>
          <TableCell>Scope</TableCell>
          <TableCell>Objective</TableCell>
          <TableCell>Target</TableCell>
          <TableCell>Status</TableCell>
          <TableCell align="right">Attainment</TableCell>
          <TableCell>Error budget</TableCell>
          <TableCell>Burn rate</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {slos.map(slo => {
          const status = STATUS[slo.status] ?? STATUS['no-data'];
          return (
            <TableRow key={`${slo.stage ?? ''}/${slo.name}`}>
              <TableCell>{slo.name}</TableCell>
              <TableCell>{slo.signal}</TableCell>
              <TableCell>
                {slo.stage === null ? 'end-to-end' : `stage ${slo.stage}`}
              </TableCell>
              <TableCell>
                {formatSloObjective(slo.signal, slo.objective)}
              </TableCell>
              <TableCell>
                {formatPercent(slo.target, 3)} over {slo.window}
              </TableCell>
              <TableCell>
                <Chip size="small" color={status.color} label={status.label} />
              </TableCell>
              <TableCell align="right">
                {slo.attainment === null
                  ? '–'
                  : formatPercent(slo.attainment, 2)}
              </TableCell>
              <TableCell>
                <ErrorBudget remaining={slo.errorBudgetRemaining} />
              </TableCell>
              <TableCell>
                <Stack direction="row" gap={0.5} flexWrap="wrap">
                  {slo.burnRates.map(alert => (
                    <BurnRateChip
                      key={`${alert.long}/${alert.short}`}
                      alert={alert}
                    />
                  ))}
                </Stack>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
