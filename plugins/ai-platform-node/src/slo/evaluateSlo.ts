import {
  AIPipelineSlo,
  BurnRateAlert,
  SloOperator,
  SloReport,
  SloStatus,
} from '@aiplatform/plugin-ai-platform-common';
import { parseDuration } from './duration';
import { SloSample, SloSamples } from './types';

/**
 * One multiwindow burn-rate alert rule.
 *
 * @public
 */
export interface BurnRateAlertRule {
  long: string;
  short: string;
  threshold: number;
  severity: 'page' | 'ticket';
}

/**
 * The multiwindow burn-rate alerts of the Google SRE Workbook, in the order
 * {@link evaluateSlo} reports them: page at 14.4x over 1 h and 5 m, page at
 * 6x over 6 h and 30 m, ticket at 1x over 3 d and 6 h.
 *
 * @public
 */
export const BURN_RATE_ALERT_RULES: ReadonlyArray<BurnRateAlertRule> = [
  { long: '1h', short: '5m', threshold: 14.4, severity: 'page' },
  { long: '6h', short: '30m', threshold: 6, severity: 'page' },
  { long: '3d', short: '6h', threshold: 1, severity: 'ticket' },
];

/**
 * Windows up to this long are measured on fine samples, longer on hourly.
 *
 * @public
 */
export const FINE_SAMPLE_MAX_WINDOW_MS = parseDuration('6h');

/**
 * An SLO at or below this much error budget left is at risk.
 *
 * @public
 */
export const AT_RISK_BUDGET_REMAINING = 0.25;

/**
 * The window of an SLO that does not set one.
 *
 * @public
 */
export const DEFAULT_SLO_WINDOW = '28d';

/**
 * True when `value` meets the objective, i.e. `value <op> threshold` holds.
 *
 * @public
 */
export function meetsObjective(
  value: number,
  objective: { op: SloOperator; threshold: number },
): boolean {
  switch (objective.op) {
    case '<=':
      return value <= objective.threshold;
    case '<':
      return value < objective.threshold;
    case '>=':
      return value >= objective.threshold;
    case '>':
      return value > objective.threshold;
    default:
      throw new TypeError(
        `Unknown SLO operator ${JSON.stringify(objective.op)}`,
      );
  }
}

interface WindowCount {
  good: number;
  total: number;
}

/**
 * Counts the samples with `start` in [from, to) that meet the objective.
 * Samples with a non-finite value are not evaluation intervals and are
 * skipped.
 */
function countWindow(
  samples: ReadonlyArray<SloSample>,
  from: number,
  to: number,
  objective: AIPipelineSlo['objective'],
): WindowCount {
  let good = 0;
  let total = 0;
  for (const sample of samples) {
    if (sample.start < from || sample.start >= to) continue;
    if (!Number.isFinite(sample.value)) continue;
    total++;
    if (meetsObjective(sample.value, objective)) good++;
  }
  return { good, total };
}

/**
 * Evaluates one SLO at `now` (epoch ms) over its evaluation samples.
 *
 * - Attainment is the fraction of the hourly samples starting in
 *   [now - window, now) that meet the objective; null without samples.
 * - The error budget remaining is `1 - (1 - attainment) / (1 - target)`:
 *   1 untouched, 0 spent, below 0 overspent.
 * - A burn rate is the error rate of a window (bad / total samples starting
 *   in [now - W, now)) divided by `1 - target`; windows up to 6 h use the
 *   fine samples, longer ones the hourly samples; null without samples.
 *   An alert fires when both of its windows strictly exceed its threshold.
 * - Status: `no-data` without samples in the window, else `breached` when
 *   attainment is below target, else `at-risk` when an alert fires or less
 *   than a quarter of the budget is left, else `ok`.
 *
 * Throws when the SLO's window is not a valid duration.
 *
 * @public
 */
export function evaluateSlo(
  slo: AIPipelineSlo,
  samples: SloSamples,
  now: number,
): SloReport {
  const window = slo.window ?? DEFAULT_SLO_WINDOW;
  const windowMs = parseDuration(window);
  const allowed = 1 - slo.target;

  const inWindow = countWindow(
    samples.hourly,
    now - windowMs,
    now,
    slo.objective,
  );
  const attainment = inWindow.total > 0 ? inWindow.good / inWindow.total : null;
  const errorBudgetRemaining =
    attainment === null ? null : 1 - (1 - attainment) / allowed;

  const burnRate = (duration: string): number | null => {
    const ms = parseDuration(duration);
    const source =
      ms <= FINE_SAMPLE_MAX_WINDOW_MS ? samples.fine : samples.hourly;
    const { good, total } = countWindow(source, now - ms, now, slo.objective);
    return total > 0 ? (total - good) / total / allowed : null;
  };

  const burnRates: BurnRateAlert[] = BURN_RATE_ALERT_RULES.map(rule => {
    const longRate = burnRate(rule.long);
    const shortRate = burnRate(rule.short);
    return {
      long: rule.long,
      short: rule.short,
      threshold: rule.threshold,
      severity: rule.severity,
      longRate,
      shortRate,
      firing:
        longRate !== null &&
        shortRate !== null &&
        longRate > rule.threshold &&
        shortRate > rule.threshold,
    };
  });

  let status: SloStatus;
  if (attainment === null || errorBudgetRemaining === null) {
    status = 'no-data';
  } else if (attainment < slo.target) {
    status = 'breached';
  } else if (
    burnRates.some(alert => alert.firing) ||
    errorBudgetRemaining < AT_RISK_BUDGET_REMAINING
  ) {
    status = 'at-risk';
  } else {
    status = 'ok';
  }

  return {
    name: slo.name,
    signal: slo.signal,
    stage: slo.stage ?? null,
    objective: { op: slo.objective.op, threshold: slo.objective.threshold },
    target: slo.target,
    window,
    status,
    attainment,
    errorBudgetRemaining,
    burnRates,
  };
}
