import { DailySpendItem } from '@aiplatform/plugin-ai-platform-common';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { formatUsd, formatUsdExact } from '../../lib/format';
import { useContainerWidth } from '../../lib/useContainerWidth';
import { buildTrend, formatTrendDay } from './trend';

export interface SpendTrendChartProps {
  /** Daily spend per model. */
  items: readonly DailySpendItem[];
  /** The range, ISO 8601: every day of it gets a bar. */
  from: string;
  to: string;
  /** Fixed chart width; by default the width of the container. */
  width?: number;
  height?: number;
  /** At most this many models get their own colour; the rest is "other". */
  maxSeries?: number;
}

/** Spend per day, stacked by model, with a legend of each model's total. */
export function SpendTrendChart(props: SpendTrendChartProps) {
  const { items, from, to, width, height = 260, maxSeries = 8 } = props;
  const [ref, measuredWidth] = useContainerWidth(800);
  const { rows, series } = useMemo(
    () => buildTrend(items, from, to, maxSeries),
    [items, from, to, maxSeries],
  );

  if (series.length === 0) {
    return (
      <Typography variant="body2" data-testid="spend-trend-empty">
        No AI spend in this range.
      </Typography>
    );
  }

  return (
    <Box ref={ref}>
      <Stack
        direction="row"
        gap={2}
        flexWrap="wrap"
        component="ul"
        aria-label="models"
        sx={{ listStyle: 'none', p: 0, m: 0, mb: 1 }}
      >
        {series.map(s => (
          <Stack
            key={s.id}
            direction="row"
            alignItems="center"
            gap={0.5}
            component="li"
          >
            <Box
              data-testid="legend-swatch"
              sx={{
                width: 12,
                height: 12,
                bgcolor: s.color,
                borderRadius: 0.5,
              }}
            />
            <Typography variant="caption">
              {s.label} <strong>{formatUsd(s.totalUsd)}</strong>
            </Typography>
          </Stack>
        ))}
      </Stack>
      <BarChart
        width={width ?? measuredWidth}
        height={height}
        data={rows}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        accessibilityLayer
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={formatTrendDay} minTickGap={16} />
        <YAxis width={64} tickFormatter={(v: number) => formatUsd(v)} />
        <Tooltip
          labelFormatter={label => formatTrendDay(String(label))}
          formatter={value => formatUsdExact(Number(value))}
        />
        {series.map(s => (
          <Bar
            key={s.id}
            className={`spend-series-${s.id}`}
            dataKey={s.id}
            name={s.label}
            stackId="spend"
            fill={s.color}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </Box>
  );
}
