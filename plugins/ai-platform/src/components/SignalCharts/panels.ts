import {
  DashboardSeries,
  SignalName,
  SloReport,
  SloStatus,
} from '@aiplatform/plugin-ai-platform-common';
import {
  END_TO_END_COLOR,
  stageColors as colorsOfStages,
} from '../../lib/ownerColor';
import { SIGNAL_DISPLAY, SIGNAL_ORDER } from '../../lib/signals';

/** The data key of the end-to-end line. */
export const END_TO_END_KEY = 'e2e';

/** One line of a panel: a stage, or the pipeline end to end. */
export interface PanelLine {
  /** Data key in the rows; never derived from a stage name (dots, spaces). */
  key: string;
  /** Null for end-to-end. */
  stage: string | null;
  label: string;
  color: string;
}

/** One row of a panel: the bucket start and the value of each line. */
export type PanelRow = { t: number } & Record<string, number>;

/** An SLO threshold drawn across a panel. */
export interface PanelThreshold {
  name: string;
  /** In the displayed unit. */
  value: number;
  status: SloStatus;
}

/** One chart: one signal, a line per stage and end to end, its SLOs. */
export interface SignalPanelData {
  signal: SignalName;
  title: string;
  unit: string;
  lines: PanelLine[];
  rows: PanelRow[];
  thresholds: PanelThreshold[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Cost points are amounts spent (USD), so a bucket's cost is the sum of its
 * points (avg × count); hourly buckets are summed per UTC day.
 */
function costPerDay(series: DashboardSeries): Array<[number, number]> {
  const points = series.buckets.map(
    b => [Date.parse(b.t), b.avg * b.count] as const,
  );
  if (series.resolution === 'day') return points.map(([t, v]) => [t, v]);
  const days = new Map<number, number>();
  for (const [t, v] of points) {
    const day = Math.floor(t / DAY_MS) * DAY_MS;
    days.set(day, (days.get(day) ?? 0) + v);
  }
  return [...days.entries()];
}

/** Stages by name, the end-to-end series last (drawn on top). */
function byStageThenEndToEnd(a: DashboardSeries, b: DashboardSeries): number {
  if (a.stage === null || b.stage === null) {
    return (a.stage === null ? 1 : 0) - (b.stage === null ? 1 : 0);
  }
  return a.stage.localeCompare(b.stage, 'en-US');
}

/** The stage names of the series, for colouring. */
export function stagesOf(series: DashboardSeries[]): string[] {
  return [
    ...new Set(series.flatMap(s => (s.stage === null ? [] : [s.stage]))),
  ].sort();
}

/** Colours of the stages, the same in every panel. */
export function stageColors(series: DashboardSeries[]): Map<string, string> {
  return colorsOfStages(stagesOf(series));
}

/**
 * The panels of the dashboard, in signal order, one per signal with series:
 * values converted to display units (hours, %, s, USD per day), rows merged
 * on the bucket start, and the SLOs on the signal as thresholds.
 */
export function buildPanels(
  series: DashboardSeries[],
  slos: SloReport[],
): SignalPanelData[] {
  const colors = stageColors(series);
  const panels: SignalPanelData[] = [];

  for (const signal of SIGNAL_ORDER) {
    const ofSignal = series
      .filter(s => s.signal === signal && s.buckets.length > 0)
      .sort(byStageThenEndToEnd);
    if (ofSignal.length === 0) continue;

    const display = SIGNAL_DISPLAY[signal];
    const rows = new Map<number, PanelRow>();
    const lines: PanelLine[] = [];
    ofSignal.forEach((s, i) => {
      const key = s.stage === null ? END_TO_END_KEY : `s${i}`;
      if (lines.some(l => l.key === key)) return; // duplicate end-to-end series
      lines.push({
        key,
        stage: s.stage,
        label: s.stage ?? 'end-to-end',
        color:
          s.stage === null ? END_TO_END_COLOR : colors.get(s.stage) ?? '#888',
      });
      const points =
        signal === 'cost'
          ? costPerDay(s)
          : s.buckets.map(b => [Date.parse(b.t), b.avg] as [number, number]);
      for (const [t, raw] of points) {
        if (!Number.isFinite(t) || !Number.isFinite(raw)) continue;
        const row = rows.get(t) ?? ({ t } as PanelRow);
        row[key] = display.toDisplay(raw);
        rows.set(t, row);
      }
    });

    panels.push({
      signal,
      title:
        signal === 'cost'
          ? 'Cost per day (USD)'
          : `${display.label} (${display.unit})`,
      unit: display.unit,
      lines,
      rows: [...rows.values()].sort((a, b) => a.t - b.t),
      thresholds: slos
        .filter(slo => slo.signal === signal)
        .map(slo => ({
          name: slo.name,
          value: display.toDisplay(slo.objective.threshold),
          status: slo.status,
        })),
    });
  }
  return panels;
}
