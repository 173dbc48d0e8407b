import { SignalName } from '../kind/constants';
import { PipelineHealth } from '../api/types';

/**
 * One bucket of a dashboard series.
 *
 * @public
 */
export interface SeriesBucket {
  /** Bucket start, ISO 8601. */
  t: string;
  avg: number;
  min: number;
  max: number;
  count: number;
}

/**
 * A time series of one signal of one stage (or of the pipeline).
 *
 * @public
 */
export interface DashboardSeries {
  signal: SignalName;
  /** Null for pipeline-level (end-to-end) signals. */
  stage: string | null;
  resolution: 'hour' | 'day';
  buckets: SeriesBucket[];
}

/** @public */
export type SloStatus = 'ok' | 'at-risk' | 'breached' | 'no-data';

/**
 * One multiwindow burn-rate alert (Google SRE workbook).
 *
 * @public
 */
export interface BurnRateAlert {
  /** Long window, e.g. `1h`. */
  long: string;
  /** Short window, e.g. `5m`. */
  short: string;
  /** The burn rate both windows must exceed, e.g. 14.4. */
  threshold: number;
  severity: 'page' | 'ticket';
  /** Observed burn rate over the long window; null without data. */
  longRate: number | null;
  shortRate: number | null;
  /** True when both windows exceed the threshold. */
  firing: boolean;
}

/**
 * How one SLO stands.
 *
 * @public
 */
export interface SloReport {
  name: string;
  signal: SignalName;
  stage: string | null;
  objective: { op: string; threshold: number };
  target: number;
  window: string;
  status: SloStatus;
  /** Fraction of evaluation intervals in the window meeting the objective. */
  attainment: number | null;
  /** 1 = untouched, 0 = spent, below 0 = overspent. */
  errorBudgetRemaining: number | null;
  burnRates: BurnRateAlert[];
}

/**
 * The stage most likely behind a failing pipeline.
 *
 * @public
 */
export interface HealthSuspect {
  stage: string;
  signal: SignalName;
  /** Human explanation, e.g. `freshness lag grew from 0.5 h to 12 h`. */
  reason: string;
}

/**
 * Halt state of a pipeline.
 *
 * @public
 */
export interface HaltState {
  halted: boolean;
  reason: string | null;
  /** Entity ref of who halted or resumed it. */
  by: string | null;
  /** ISO 8601. */
  at: string | null;
  /**
   * Set while the pipeline is halted by its `spec.governance.haltOn` policy:
   * the SLO that halted it. A resume holds (409) while that SLO still fails,
   * unless it says `override: true`.
   */
  policy?: { slo: string };
  /**
   * What each halt enforcer did for the last halt or resume (LiteLLM keys
   * blocked, a webhook called), one entry per target. Absent when no
   * enforcer acted.
   */
  enforcement?: HaltEnforcementEntry[];
}

/**
 * What one halt enforcer did to one target.
 *
 * @public
 */
export interface HaltEnforcementEntry {
  /** Enforcer id, e.g. `litellm`, `webhook`. */
  enforcer: string;
  /** What it acted on, e.g. `key:component:default/answers` or a URL. */
  target: string;
  /** `failed` and `pending` entries of a halt are retried. */
  status: 'applied' | 'failed' | 'pending';
  message: string;
}

/**
 * Response of `GET /pipelines/:namespace/:name/dashboard`.
 *
 * @public
 */
export interface PipelineDashboard {
  pipeline: string;
  from: string;
  to: string;
  series: DashboardSeries[];
  slos: SloReport[];
  health: PipelineHealth;
  /** Why the pipeline has this health, for people. */
  explanation: string;
  suspect: HealthSuspect | null;
  halt: HaltState;
  /**
   * Signals left out of `series` and `slos` for this caller: `cost` when it
   * may not read the spend of the pipeline's owner (`ai-platform.spend.read`).
   */
  hiddenSignals?: SignalName[];
}

/**
 * One governance event of `GET /audit`.
 *
 * @public
 */
export interface AuditEvent {
  id: string;
  /** ISO 8601. */
  at: string;
  type:
    | 'pipeline.halted'
    | 'pipeline.resumed'
    | 'slo.breached'
    | 'budget.exceeded'
    | 'budget.forecast-exceeded'
    | 'service.scaffolded';
  /** Entity ref the event is about. */
  entityRef: string;
  /** Entity ref of the actor (user or service). */
  actor: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Response of `GET /audit`.
 *
 * @public
 */
export interface AuditEventList {
  items: AuditEvent[];
}
