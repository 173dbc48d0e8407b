import {
  DashboardSeries,
  SignalName,
  SloReport,
} from '@aiplatform/plugin-ai-platform-common';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ReactNode, useMemo } from 'react';
import { END_TO_END_COLOR } from '../../lib/ownerColor';
import { SIGNAL_ORDER } from '../../lib/signals';
import { buildPanels, stageColors } from './panels';
import { SignalPanel } from './SignalPanel';
import { useContainerWidth } from '../../lib/useContainerWidth';

const TICK_COUNT = 7;

const NO_HIDDEN: NonNullable<SignalChartsProps['hidden']> = [];

export interface SignalChartsProps {
  series: DashboardSeries[];
  slos: SloReport[];
  /** Start and end of the shared time axis, ISO 8601. */
  from: string;
  to: string;
  /** Fixed chart width; by default the width of the container. */
  width?: number;
  /** Height of each panel's chart. */
  panelHeight?: number;
  /** Links the tooltips of the panels; one per dashboard. */
  syncId?: string;
  /**
   * Signals the caller may not see, each with a note shown where its panel
   * would be (instead of a panel, even if a series came).
   */
  hidden?: ReadonlyArray<{ signal: SignalName; note: ReactNode }>;
}

/** Where a hidden signal's panel would be: why it is not there. */
function HiddenSignalNote(props: { signal: SignalName; note: ReactNode }) {
  return (
    <Alert
      severity="info"
      variant="outlined"
      data-testid={`signal-hidden-${props.signal}`}
      sx={{ mb: 2 }}
    >
      {props.note}
    </Alert>
  );
}

function LegendEntry(props: { color: string; label: string; bold?: boolean }) {
  return (
    <Stack direction="row" alignItems="center" gap={0.5} component="li">
      <Box
        sx={{
          width: 16,
          height: props.bold ? 4 : 2,
          bgcolor: props.color,
          borderRadius: 1,
        }}
      />
      <Typography
        variant="caption"
        sx={{ fontWeight: props.bold ? 700 : undefined }}
      >
        {props.label}
      </Typography>
    </Stack>
  );
}

/** The signals of a pipeline: stacked panels over one shared time axis. */
export function SignalCharts(props: SignalChartsProps) {
  const { series, slos, from, to, width, panelHeight = 180 } = props;
  const syncId = props.syncId ?? 'ai-platform-dashboard';
  const hidden = props.hidden ?? NO_HIDDEN;
  const [ref, measuredWidth] = useContainerWidth(800);
  const panels = useMemo(
    () =>
      buildPanels(series, slos).filter(
        p => !hidden.some(h => h.signal === p.signal),
      ),
    [series, slos, hidden],
  );
  const colors = useMemo(() => stageColors(series), [series]);
  const domain = useMemo<[number, number]>(
    () => [Date.parse(from), Date.parse(to)],
    [from, to],
  );
  const ticks = useMemo(() => {
    const [start, end] = domain;
    const step = (end - start) / (TICK_COUNT - 1);
    return Array.from({ length: TICK_COUNT }, (_, i) =>
      Math.round(start + i * step),
    );
  }, [domain]);

  if (panels.length === 0) {
    return (
      <>
        <Typography variant="body2" data-testid="signals-empty" sx={{ mb: 2 }}>
          No signals were reported for this pipeline in this time range. Stages
          report freshness, accuracy, quality, latency, availability and cost
          through <code>POST /api/ai-platform/signals</code> or a metrics query.
        </Typography>
        {hidden.map(h => (
          <HiddenSignalNote key={h.signal} {...h} />
        ))}
      </>
    );
  }

  const hasEndToEnd = panels.some(p => p.lines.some(l => l.stage === null));
  return (
    <Box ref={ref}>
      <Stack
        direction="row"
        gap={2}
        flexWrap="wrap"
        component="ul"
        aria-label="legend"
        sx={{ listStyle: 'none', p: 0, m: 0, mb: 1 }}
      >
        {[...colors.entries()].map(([stage, color]) => (
          <LegendEntry key={stage} color={color} label={stage} />
        ))}
        {hasEndToEnd && (
          <LegendEntry color={END_TO_END_COLOR} label="end-to-end" bold />
        )}
      </Stack>
      {SIGNAL_ORDER.map(signal => {
        // Each hidden signal's note goes where its panel would be.
        const panel = panels.find(p => p.signal === signal);
        if (!panel) {
          const note = hidden.find(h => h.signal === signal);
          return note ? <HiddenSignalNote key={signal} {...note} /> : null;
        }
        return (
          <SignalPanel
            key={signal}
            panel={panel}
            domain={domain}
            ticks={ticks}
            width={width ?? measuredWidth}
            height={panelHeight}
            syncId={syncId}
          />
        );
      })}
    </Box>
  );
}
