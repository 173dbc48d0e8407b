import {
  AIPipelineEntityV1alpha1,
  formatSloObjective,
  HealthSuspect,
  PipelineHealth,
  pipelineStageGraph,
  SIGNAL_NAMES,
  SignalName,
  SloReport,
  SloStatus,
  StageGraph,
} from '@aiplatform/plugin-ai-platform-common';

/**
 * Mean of a signal over a recent window and over the baseline before it, as
 * the backend's signal store computes it (`queryTrends`).
 *
 * @public
 */
export interface StageSignalTrend {
  /** Null for a pipeline-level (end-to-end) signal. */
  stage: string | null;
  signal: SignalName;
  /** Mean over the last 24 h; null without data. */
  recent: number | null;
  /** Mean over the 7 days before that; null without data. */
  baseline: number | null;
}

/**
 * A trend that got worse enough to count as a degradation.
 *
 * @public
 */
export interface TrendDegradation {
  stage: string | null;
  signal: SignalName;
  recent: number;
  baseline: number;
  /**
   * How much worse, relative to the baseline, in the signal's bad direction:
   * 0.25 = 25 % worse. Infinite when the baseline was 0.
   */
  change: number;
}

/** @public */
export interface PipelineHealthOptions {
  halted: boolean;
  trends: ReadonlyArray<StageSignalTrend>;
}

/** @public */
export interface PipelineHealthResult {
  health: PipelineHealth;
  /** Why the pipeline has this health, for people. */
  explanation: string;
  /** The stage most likely behind failing or degraded SLOs, if any. */
  suspect: HealthSuspect | null;
}

/** Signals where a higher value is worse. */
const HIGHER_IS_WORSE: ReadonlySet<SignalName> = new Set<SignalName>([
  'freshness',
  'latency',
  'cost',
]);

/**
 * Freshness counts as degraded from this factor over baseline...
 *
 * @public
 */
export const FRESHNESS_DEGRADED_FACTOR = 2;
/**
 * ...and this much extra lag, in seconds.
 *
 * @public
 */
export const FRESHNESS_DEGRADED_MIN_GROWTH_S = 3600;
/**
 * Other signals count as degraded from this relative change.
 *
 * @public
 */
export const SIGNAL_DEGRADED_RELATIVE_CHANGE = 0.1;

/** Slack for floating-point noise in threshold comparisons. */
const EPSILON = 1e-9;

/**
 * Whether a trend got worse than its baseline by enough to matter, direction
 * aware: freshness, latency and cost going up is bad; accuracy, quality and
 * availability going down is bad. Freshness is degraded when the recent lag is
 * at least twice the baseline and at least an hour more; other signals when
 * they moved at least 10 % in the bad direction. Null when not degraded or
 * without both means.
 *
 * @public
 */
export function assessTrend(trend: StageSignalTrend): TrendDegradation | null {
  const { recent, baseline } = trend;
  if (
    recent === null ||
    baseline === null ||
    !Number.isFinite(recent) ||
    !Number.isFinite(baseline)
  ) {
    return null;
  }
  const worsening = HIGHER_IS_WORSE.has(trend.signal)
    ? recent - baseline
    : baseline - recent;
  if (worsening <= 0) return null;
  const change =
    baseline === 0 ? Number.POSITIVE_INFINITY : worsening / Math.abs(baseline);

  const degraded =
    trend.signal === 'freshness'
      ? recent >= FRESHNESS_DEGRADED_FACTOR * baseline - EPSILON &&
        worsening >= FRESHNESS_DEGRADED_MIN_GROWTH_S - EPSILON
      : change >= SIGNAL_DEGRADED_RELATIVE_CHANGE - EPSILON;
  if (!degraded) return null;
  return {
    stage: trend.stage,
    signal: trend.signal,
    recent,
    baseline,
    change,
  };
}

// ---------------------------------------------------------------------------
// Formatting

/** A number with a sensible number of digits, without trailing zeros. */
function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return String(Math.round(value));
  if (abs >= 1) return String(Number(value.toFixed(1)));
  if (abs === 0) return '0';
  return String(Number(value.toPrecision(2)));
}

function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const digits = pct >= 99 && pct < 100 ? 2 : 1;
  return `${Number(pct.toFixed(digits))}%`;
}

/** Two values of a signal in one shared unit, e.g. `['0.5 h', '12 h']`. */
function formatPair(
  signal: SignalName,
  a: number,
  b: number,
): [string, string] {
  const max = Math.max(Math.abs(a), Math.abs(b));
  let scale: number;
  let unit: string;
  switch (signal) {
    case 'freshness':
      if (max >= 2 * 86400) [scale, unit] = [86400, ' d'];
      else if (max >= 3600) [scale, unit] = [3600, ' h'];
      else if (max >= 60) [scale, unit] = [60, ' min'];
      else [scale, unit] = [1, ' s'];
      break;
    case 'latency':
      if (max < 1) [scale, unit] = [0.001, ' ms'];
      else [scale, unit] = [1, ' s'];
      break;
    case 'cost':
      return [a, b].map(v => `$${v >= 100 ? Math.round(v) : v.toFixed(2)}`) as [
        string,
        string,
      ];
    default:
      return [formatPercent(a), formatPercent(b)];
  }
  return [a, b].map(v => `${formatNumber(v / scale)}${unit}`) as [
    string,
    string,
  ];
}

/**
 * How a signal moved, for people: `freshness lag grew from 0.5 h to 12 h`,
 * `accuracy fell from 94% to 71%`, `latency rose from 0.3 s to 1.2 s`.
 *
 * @public
 */
export function describeTrend(trend: {
  signal: SignalName;
  recent: number;
  baseline: number;
}): string {
  const [from, to] = formatPair(trend.signal, trend.baseline, trend.recent);
  if (trend.signal === 'freshness') {
    const verb = trend.recent >= trend.baseline ? 'grew' : 'shrank';
    return `freshness lag ${verb} from ${from} to ${to}`;
  }
  const verb = trend.recent >= trend.baseline ? 'rose' : 'fell';
  return `${trend.signal} ${verb} from ${from} to ${to}`;
}

function formatTarget(target: number): string {
  return `${Number((target * 100).toFixed(3))}%`;
}

/**
 * Attainment with one decimal (`71.0%`), or more when one decimal would show
 * 100% for less, or would hide on which side of the target it lies.
 */
function formatAttainment(attainment: number, target: number): string {
  let text = '';
  for (let digits = 1; digits <= 4; digits++) {
    text = (attainment * 100).toFixed(digits);
    const shown = Number(text) / 100;
    const hidesMiss = attainment < 1 && shown >= 1;
    const crossesTarget = attainment < target !== shown < target;
    if (!hidesMiss && !crossesTarget) break;
  }
  return `${text}%`;
}

function sloLabel(report: SloReport): string {
  return report.stage === null
    ? `End-to-end SLO ${report.name}`
    : `Stage SLO ${report.name} (${report.stage})`;
}

function describeBreach(report: SloReport): string {
  const attainment =
    report.attainment === null
      ? 'no data'
      : `${formatAttainment(report.attainment, report.target)} of intervals`;
  return `${sloLabel(
    report,
  )} is breached: ${attainment} met ${formatSloObjective(
    report.signal,
    report.objective,
  )} (target ${formatTarget(report.target)}).`;
}

function describeAtRisk(report: SloReport): string {
  const alert = report.burnRates.find(a => a.firing);
  if (alert && alert.longRate !== null && alert.shortRate !== null) {
    return `${sloLabel(
      report,
    )} is at risk: it burns its error budget at ${formatNumber(
      alert.longRate,
    )}× over ${alert.long} and ${formatNumber(alert.shortRate)}× over ${
      alert.short
    } (${alert.severity} above ${alert.threshold}×).`;
  }
  const left = Math.max(0, report.errorBudgetRemaining ?? 0);
  return `${sloLabel(report)} is at risk: ${formatNumber(
    left * 100,
  )}% of its error budget is left.`;
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const STATUS_LABELS: Record<SloStatus, string> = {
  breached: 'breached',
  'at-risk': 'at risk',
  ok: 'ok',
  'no-data': 'without data',
};

/** `1 breached (answer-accuracy), 2 ok` */
function summarizeSlos(slos: ReadonlyArray<SloReport>): string {
  const parts: string[] = [];
  for (const status of ['breached', 'at-risk', 'ok', 'no-data'] as const) {
    const names = slos.filter(s => s.status === status).map(s => s.name);
    if (!names.length) continue;
    parts.push(
      status === 'ok' || status === 'no-data'
        ? `${names.length} ${STATUS_LABELS[status]}`
        : `${names.length} ${STATUS_LABELS[status]} (${names.join(', ')})`,
    );
  }
  return parts.join(', ');
}

/**
 * The pipeline's stage names in a topological order of `dependsOn`: every
 * stage after the stages it depends on. Stages are ordered by their layer
 * (the longest chain of dependencies above them), then by their position in
 * the spec. Unknown dependencies are ignored; stages on or behind a cycle
 * come last.
 *
 * @public
 */
export function topologicalStageOrder(
  pipeline: AIPipelineEntityV1alpha1,
): string[] {
  return [...stageGraphOf(pipeline).order];
}

function stageGraphOf(pipeline: AIPipelineEntityV1alpha1): StageGraph {
  return pipelineStageGraph(pipeline.spec.stages ?? []);
}

// ---------------------------------------------------------------------------
// Suspect

interface RankedSuspect {
  degradation: TrendDegradation & { stage: string };
  downstream: string[];
}

function rankSuspects(
  graph: StageGraph,
  trends: ReadonlyArray<StageSignalTrend>,
): RankedSuspect[] {
  const position = new Map(graph.order.map((n, i) => [n, i]));
  const candidates: Array<TrendDegradation & { stage: string }> = [];
  for (const trend of trends) {
    if (trend.stage === null || !position.has(trend.stage)) continue;
    const degradation = assessTrend(trend);
    if (degradation) {
      candidates.push({ ...degradation, stage: trend.stage });
    }
  }
  const signalIndex = (s: SignalName) => SIGNAL_NAMES.indexOf(s);
  candidates.sort((a, b) => {
    const byLayer = graph.layer(a.stage) - graph.layer(b.stage);
    if (byLayer) return byLayer;
    if (a.change !== b.change) return a.change > b.change ? -1 : 1;
    const aFresh = a.signal === 'freshness';
    const bFresh = b.signal === 'freshness';
    if (aFresh !== bFresh) return aFresh ? -1 : 1;
    return (
      position.get(a.stage)! - position.get(b.stage)! ||
      signalIndex(a.signal) - signalIndex(b.signal)
    );
  });
  return candidates.map(degradation => ({
    degradation,
    downstream: graph.allDownstream(degradation.stage),
  }));
}

/**
 * The stage most likely behind a pipeline's trouble: among the stages whose
 * signals degraded against their baseline (see {@link assessTrend}), the most
 * upstream one (lowest layer of `dependsOn`); ties go to the larger relative
 * change, then to freshness. Pipeline-level trends are never the suspect.
 * Null when no stage degraded.
 *
 * @public
 */
export function findSuspect(
  pipeline: AIPipelineEntityV1alpha1,
  trends: ReadonlyArray<StageSignalTrend>,
): HealthSuspect | null {
  const [best] = rankSuspects(stageGraphOf(pipeline), trends);
  return best ? toSuspect(best) : null;
}

function toSuspect({ degradation }: RankedSuspect): HealthSuspect {
  return {
    stage: degradation.stage,
    signal: degradation.signal,
    reason: describeTrend(degradation),
  };
}

function describeDownstream(downstream: string[]): string {
  if (!downstream.length) return 'at the end of the pipeline';
  const MAX_NAMED = 5;
  if (downstream.length <= MAX_NAMED) {
    return `upstream of ${joinNames(downstream)}`;
  }
  const rest = downstream.length - (MAX_NAMED - 1);
  return `upstream of ${downstream
    .slice(0, MAX_NAMED - 1)
    .join(', ')} and ${rest} more stages`;
}

function describeCause(suspect: RankedSuspect): string {
  return `Most likely cause: stage ${
    suspect.degradation.stage
  } — ${describeTrend(suspect.degradation)}, ${describeDownstream(
    suspect.downstream,
  )}.`;
}

/** A degraded pipeline-level trend to cite as the symptom, if any. */
function findSymptom(
  trends: ReadonlyArray<StageSignalTrend>,
  preferSignal: SignalName | undefined,
): TrendDegradation | null {
  const symptoms = trends
    .filter(t => t.stage === null)
    .map(assessTrend)
    .filter((d): d is TrendDegradation => d !== null);
  if (!symptoms.length) return null;
  const preferred = symptoms.find(s => s.signal === preferSignal);
  if (preferred) return preferred;
  return symptoms.reduce((best, s) => (s.change > best.change ? s : best));
}

// ---------------------------------------------------------------------------
// Health

type BaseHealth = Exclude<PipelineHealth, 'halted'>;

function baseHealth(slos: ReadonlyArray<SloReport>): BaseHealth {
  if (!slos.length || slos.every(s => s.status === 'no-data')) {
    return 'unknown';
  }
  if (slos.some(s => s.stage === null && s.status === 'breached')) {
    return 'failing';
  }
  if (slos.some(s => s.status === 'breached' || s.status === 'at-risk')) {
    return 'degraded';
  }
  return 'healthy';
}

/** Lowest error budget first; no data last. */
function byBudget(a: SloReport, b: SloReport): number {
  const ba = a.errorBudgetRemaining ?? Number.POSITIVE_INFINITY;
  const bb = b.errorBudgetRemaining ?? Number.POSITIVE_INFINITY;
  if (ba === bb) return 0;
  return ba < bb ? -1 : 1;
}

/**
 * Rolls a pipeline's SLO reports up into one health, explains it, and names
 * the stage most likely behind it.
 *
 * - `halted` when the pipeline is halted (the explanation still sums up the
 *   SLOs);
 * - `failing` when an end-to-end SLO (no stage) is breached, whatever the
 *   stage-level SLOs say;
 * - `degraded` when a stage-level SLO is breached or any SLO is at risk;
 * - `unknown` when there are no SLOs or none has data;
 * - `healthy` otherwise (every SLO with data is ok).
 *
 * The suspect ({@link findSuspect}) is given when the SLOs are failing or
 * degraded (also while halted); a degraded pipeline-level trend is cited as
 * the symptom.
 *
 * @public
 */
export function computePipelineHealth(
  pipeline: AIPipelineEntityV1alpha1,
  slos: ReadonlyArray<SloReport>,
  options: PipelineHealthOptions,
): PipelineHealthResult {
  const base = baseHealth(slos);
  const trends = options.trends ?? [];
  const troubled = base === 'failing' || base === 'degraded';
  const ranked = troubled ? rankSuspects(stageGraphOf(pipeline), trends) : [];
  const best = ranked.length ? ranked[0] : null;
  const suspect = best ? toSuspect(best) : null;

  if (options.halted) {
    const parts = ['The pipeline is halted.'];
    parts.push(
      slos.length ? `SLOs: ${summarizeSlos(slos)}.` : 'It has no SLOs defined.',
    );
    if (best) parts.push(describeCause(best));
    return { health: 'halted', explanation: parts.join(' '), suspect };
  }

  switch (base) {
    case 'unknown': {
      const explanation = slos.length
        ? `No SLO has data in its window yet (${slos
            .map(s => s.name)
            .join(', ')}), so the health is unknown.`
        : 'The pipeline defines no SLOs, so its health is unknown.';
      return { health: 'unknown', explanation, suspect: null };
    }
    case 'healthy': {
      const ok = slos.filter(s => s.status === 'ok');
      const noData = slos.filter(s => s.status === 'no-data');
      let explanation =
        ok.length === 1
          ? `SLO ${ok[0].name} is met.`
          : `All ${ok.length} SLOs${
              noData.length ? ' with data' : ''
            } are met.`;
      if (noData.length) {
        explanation += ` Without data yet: ${noData
          .map(s => s.name)
          .join(', ')}.`;
      }
      return { health: 'healthy', explanation, suspect: null };
    }
    case 'failing': {
      const breached = slos
        .filter(s => s.stage === null && s.status === 'breached')
        .sort(byBudget);
      const primary = breached[0];
      const others = slos.filter(s => s !== primary && s.status === 'breached');
      const parts = [describeBreach(primary)];
      if (others.length) {
        parts.push(`Also breached: ${joinNames(others.map(s => s.name))}.`);
      }
      parts.push(
        best
          ? describeCause(best)
          : 'No stage shows a clear degradation against its 7-day baseline.',
      );
      const symptom = findSymptom(trends, primary.signal);
      if (symptom) parts.push(`End to end, ${describeTrend(symptom)}.`);
      return { health: 'failing', explanation: parts.join(' '), suspect };
    }
    case 'degraded':
    default: {
      const issues = [
        ...slos.filter(s => s.status === 'breached').sort(byBudget),
        ...slos.filter(s => s.status === 'at-risk').sort(byBudget),
      ];
      const MAX_ISSUES = 3;
      const parts = issues
        .slice(0, MAX_ISSUES)
        .map(s =>
          s.status === 'breached' ? describeBreach(s) : describeAtRisk(s),
        );
      if (issues.length > MAX_ISSUES) {
        parts.push(
          `${issues.length - MAX_ISSUES} more SLOs need attention: ${issues
            .slice(MAX_ISSUES)
            .map(s => s.name)
            .join(', ')}.`,
        );
      }
      if (best) parts.push(describeCause(best));
      const symptom = findSymptom(trends, issues[0]?.signal);
      if (symptom) parts.push(`End to end, ${describeTrend(symptom)}.`);
      return { health: 'degraded', explanation: parts.join(' '), suspect };
    }
  }
}
