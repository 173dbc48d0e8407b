/**
 * Dimensions of `GET /spend`.
 *
 * @public
 */
export const SPEND_GROUP_BY = ['team', 'service', 'model', 'pipeline'] as const;
/** @public */
export type SpendGroupBy = (typeof SPEND_GROUP_BY)[number];

/**
 * The key of attributed usage that has no value on the dimension.
 *
 * @public
 */
export const NO_KEY = '(none)';

/**
 * One row of `GET /spend`.
 *
 * @public
 */
export interface SpendItem {
  /** A group ref (team), entity ref (service, pipeline) or model name. */
  key: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  requests: number;
  /** Requests nobody could price (their cost is not in `costUsd`). */
  unpricedRequests?: number;
}

/**
 * What names usage that maps to no catalog entity (shadow AI).
 *
 * @public
 */
export type UnattributedKeyType = 'key-alias' | 'team' | 'tag' | 'unknown';

/** @public */
export interface UnattributedKey {
  key: string;
  keyType: UnattributedKeyType;
}

/** @public */
export interface UnattributedItem extends UnattributedKey {
  costUsd: number;
  requests: number;
}

/**
 * Usage that maps to no catalog entity and no catalog Group.
 *
 * @public
 */
export interface UnattributedSpend {
  costUsd: number;
  requests: number;
  items: UnattributedItem[];
}

/**
 * Response of `GET /spend`.
 *
 * @public
 */
export interface SpendResponse {
  currency: 'USD';
  /** All spend in the range (attributed and unattributed), each request once. */
  total: number;
  items: SpendItem[];
  unattributed: UnattributedSpend;
  /** Requests nobody could price (their cost is in no sum). */
  unpricedRequests?: number;
}

/**
 * A budget's state: `forecast-over` = the month-end forecast exceeds it.
 *
 * @public
 */
export type BudgetStatus = 'ok' | 'forecast-over' | 'over';

/**
 * A team's (or pipeline's) month against its budget.
 *
 * @public
 */
export interface BudgetReport {
  /** `YYYY-MM` (UTC). */
  month: string;
  budgetUsd: number;
  monthToDateUsd: number;
  forecastUsd: number;
  status: BudgetStatus;
}

/**
 * One day of spend for one key (e.g. a model), for trend charts.
 *
 * @public
 */
export interface DailySpendItem {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  key: string;
  costUsd: number;
  requests: number;
}

/**
 * Response of `GET /spend/daily`.
 *
 * @public
 */
export interface DailySpendResponse {
  currency: 'USD';
  groupBy: SpendGroupBy;
  items: DailySpendItem[];
}

/**
 * Response of `GET /spend/budget?entityRef=` (a Group, with its sub-teams, or an AIPipeline).
 *
 * @public
 */
export interface SpendBudgetResponse {
  entityRef: string;
  /** Null when the entity declares no budget. */
  budget: BudgetReport | null;
  /** Month-to-date spend even without a budget. */
  monthToDateUsd: number;
  forecastUsd: number;
}

/**
 * Response of `GET /spend/unpriced`: models nobody could price, never counted as zero.
 *
 * @public
 */
export interface UnpricedModelsResponse {
  items: Array<{ model: string; provider: string | null; requests: number }>;
}
