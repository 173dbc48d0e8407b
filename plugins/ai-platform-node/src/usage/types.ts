import { AuditEvent } from '@aiplatform/plugin-ai-platform-common';

/**
 * One LLM call as `POST /usage` accepts it (also what the LiteLLM mapper
 * produces). Optional fields may also be sent as `null`.
 *
 * @public
 */
export interface UsageRecordInput {
  /** Idempotency key: a replayed id is not counted twice. */
  id: string;
  /**
   * ISO 8601 date-time (an offset-less one is read as UTC; a space may stand
   * for the `T`), or epoch milliseconds.
   */
  timestamp: string | number;
  /** The catalog entity that made the call, e.g. `component:default/answers`. */
  entityRef?: string;
  /** The gateway's team id (or a Group name or ref, see attribution). */
  team?: string;
  /** The requested model (OTel `gen_ai.request.model`), e.g. `gpt-4o`. */
  model: string;
  /** The provider (OTel `gen_ai.provider.name`), e.g. `openai`. */
  provider?: string;
  inputTokens: number;
  outputTokens: number;
  /** The gateway's cost in USD; absent = priced from the price table. */
  costUsd?: number;
  durationMs?: number;
  /** e.g. `success`, `failure`, an HTTP status code. */
  status?: string;
  /** The gateway key alias (names shadow AI when no entity resolves). */
  keyAlias?: string;
  /** Request tags; `backstage:<entity ref>` names the entity. */
  tags?: string[];
}

/**
 * Body of `POST /usage`.
 *
 * @public
 */
export interface UsageBatchInput {
  records: UsageRecordInput[];
}

/**
 * Response of `POST /usage` and `POST /usage/litellm`.
 *
 * @public
 */
export interface UsageIngestResult {
  /** Records in the batch. */
  received: number;
  /** Records that were new (a replayed id is not counted again). */
  inserted: number;
}

/**
 * Where a record's cost comes from.
 *
 * @public
 */
export type CostSource = 'gateway' | 'price-table' | 'unpriced';

/**
 * A usage record after validation, entity resolution and pricing.
 *
 * @public
 */
export interface UsageRecord {
  id: string;
  /** Epoch milliseconds. */
  ts: number;
  /** Full, lowercase entity ref the record names, if any (may be unknown to the catalog). */
  entityRef: string | null;
  team: string | null;
  keyAlias: string | null;
  model: string;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when nobody could price it (never a silent 0). */
  costUsd: number | null;
  costSource: CostSource;
  /**
   * For `price-table` costs: `genai-prices@<version>:<provider>/<model id>`;
   * `gateway` for gateway costs; null when unpriced.
   */
  priceSource: string | null;
  durationMs: number | null;
  status: string | null;
  /** Request tags, for naming unattributed usage. */
  tags?: string[];
}

/**
 * The audit events a budget emits.
 *
 * @public
 */
export type BudgetAuditEventType = Extract<
  AuditEvent['type'],
  'budget.exceeded' | 'budget.forecast-exceeded'
>;
