import { SloStatus } from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { round } from '../../lib/signals';
import { SignalPanelData } from './panels';

const THRESHOLD_COLOR: Record<SloStatus, string> = {
  breached: '#d32f2f',
  'at-risk': '#ed6c02',
  ok: '#616161',
  'no-data': '#9e9e9e',
};

/** A value in the panel's display unit as text. */
export function formatDisplayValue(value: number, unit: string): string {
  if (unit === 'USD') return `$${value.toFixed(2)}`;
  return `${round(value, 2)} ${unit}`;
}

export const formatDay = (t: number) =>
  new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

const formatTime = (t: number) =>
  new Date(t).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });

export interface SignalPanelProps {
  panel: SignalPanelData;
  /** The shared x domain, epoch ms. */
  domain: [number, number];
  /** The shared x ticks, epoch ms. */
  ticks: number[];
  width: number;
  height: number;
  /** Panels with the same syncId move their tooltips together. */
  syncId: string;
}

/** One signal over the shared time axis, with its SLO thresholds. */
export function SignalPanel(props: SignalPanelProps) {
  const { panel, domain, ticks, width, height, syncId } = props;
  return (
    <Box
      role="group"
      aria-label={panel.title}
      data-testid={`signal-panel-${panel.signal}`}
      sx={{ mb: 2 }}
    >
      <Typography variant="subtitle2" component="h3">
        {panel.title}
      </Typography>
      <LineChart
        width={width}
        height={height}
        data={panel.rows}
        syncId={syncId}
        syncMethod="value"
        margin={{ top: 8, right: 24, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={domain}
          ticks={ticks}
          allowDataOverflow
          tickFormatter={formatDay}
        />
        <YAxis
          width={64}
          tickFormatter={(v: number) => formatDisplayValue(v, panel.unit)}
        />
        <Tooltip
          labelFormatter={label => formatTime(Number(label))}
          formatter={value => formatDisplayValue(Number(value), panel.unit)}
        />
        {panel.thresholds.map(threshold => (
          <ReferenceLine
            key={threshold.name}
            className="slo-threshold"
            y={threshold.value}
            stroke={THRESHOLD_COLOR[threshold.status]}
            strokeDasharray="6 4"
            ifOverflow="extendDomain"
            label={{
              value: threshold.name,
              position: 'insideTopLeft',
              fill: THRESHOLD_COLOR[threshold.status],
              fontSize: 11,
            }}
          />
        ))}
        {panel.lines.map(line => (
          <Line
            key={line.key}
            className={line.stage === null ? 'end-to-end' : 'stage'}
            type="monotone"
            dataKey={line.key}
            name={line.label}
            stroke={line.color}
            strokeWidth={line.stage === null ? 3 : 1.5}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Box>
  );
}
