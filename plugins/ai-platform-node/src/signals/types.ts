import { SignalName } from '@aiplatform/plugin-ai-platform-common';

/**
 * One signal point as `POST /signals` accepts it.
 *
 * @public
 */
export interface SignalPointInput {
  /** Pipeline ref, e.g. `aipipeline:default/support-answers` or `support-answers`. */
  pipeline: string;
  /** Stage name; absent or null for an end-to-end (pipeline-level) signal. */
  stage?: string | null;
  signal: SignalName;
  /**
   * The value: freshness = lag in seconds; accuracy and quality = a fraction
   * 0..1; latency = seconds; availability = a fraction 0..1; cost = USD.
   */
  value: number;
  /** ISO 8601 timestamp, or epoch milliseconds. */
  timestamp: string | number;
  /** Who sent it, e.g. `prometheus`, `openlineage`, `push`. */
  source?: string;
}

/**
 * Body of `POST /signals`.
 *
 * @public
 */
export interface SignalBatchInput {
  signals: SignalPointInput[];
}

/**
 * Response of `POST /signals`.
 *
 * @public
 */
export interface SignalIngestResult {
  /** Points in the batch. */
  received: number;
  /** Points that were new (a replayed point is not counted again). */
  inserted: number;
}

/**
 * A signal point after validation: full refs, epoch millis.
 *
 * @public
 */
export interface SignalPoint {
  pipeline: string;
  /** Empty string for pipeline-level signals. */
  stage: string;
  signal: SignalName;
  value: number;
  /** Epoch milliseconds. */
  ts: number;
  source: string;
}
