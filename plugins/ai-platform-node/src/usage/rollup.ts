import {
  NO_KEY,
  SpendGroupBy,
  SpendItem,
  SpendResponse,
  UnattributedItem,
  UnattributedKey,
} from '@aiplatform/plugin-ai-platform-common';
import { unattributedKey } from './attribution';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Start of the UTC hour of `ts` (epoch ms).
 *
 * @public
 */
export function hourBucket(ts: number): number {
  return Math.floor(ts / HOUR_MS) * HOUR_MS;
}

/**
 * Start of the UTC day of `ts` (epoch ms).
 *
 * @public
 */
export function dayBucket(ts: number): number {
  return Math.floor(ts / DAY_MS) * DAY_MS;
}

/**
 * The UTC day of `ts` as `YYYY-MM-DD`.
 *
 * @public
 */
export function dayKey(ts: number): string {
  return new Date(dayBucket(ts)).toISOString().slice(0, 10);
}

/**
 * Rounds USD to micro-dollars, so sums of float costs read cleanly.
 *
 * @public
 */
export function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * One row to aggregate: a raw attributed record (requests = 1), or a rollup
 * row (hour/day × entity × team × model) carrying its own counts.
 *
 * @public
 */
export interface SpendRow {
  /** USD; null = unpriced (counted in requests, not in cost). */
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Requests the row stands for; 1 when absent. */
  requests?: number;
  /** Requests of the row nobody could price; `requests` when costUsd is null, else 0, when absent. */
  unpricedRequests?: number;
  model: string;
  provider?: string | null;
  /** The attributed catalog entity (the `service` key). */
  entityRef: string | null;
  /** The owning group (the `team` key). */
  owner: string | null;
  /** `owner` and the groups above it (see `attributeUsage`). */
  teams?: readonly string[];
  /** AIPipelines the usage serves (the `pipeline` key). */
  pipelines?: readonly string[];
  /** For unattributed rows: what names them (else derived from the fields below). */
  unattributed?: UnattributedKey | null;
  keyAlias?: string | null;
  team?: string | null;
  tags?: readonly string[] | null;
}

/** @public */
export interface AggregateSpendOptions {
  /** Only usage of this group (its `owner`), as a full group ref. */
  team?: string;
  /** With `team`: also usage of the groups below it. */
  includeSubteams?: boolean;
}

function keysOf(row: SpendRow, groupBy: SpendGroupBy): string[] {
  switch (groupBy) {
    case 'team':
      return [row.owner ?? NO_KEY];
    case 'service':
      return [row.entityRef ?? NO_KEY];
    case 'model':
      return [row.model];
    case 'pipeline':
      return row.pipelines?.length ? [...row.pipelines] : [NO_KEY];
    default:
      return [NO_KEY];
  }
}

function byCostThenKey(
  a: { key: string; costUsd: number },
  b: { key: string; costUsd: number },
) {
  return b.costUsd - a.costUsd || a.key.localeCompare(b.key);
}

/**
 * Aggregates attributed rows into the `GET /spend` response, in memory (for
 * tests, benches and small stores; the store does the same in SQL).
 * - Attributed rows (an entity or an owner) go to `items` by `groupBy`:
 *   team = the owning group (sub-teams are their own items), service = the
 *   entity, model, pipeline = each AIPipeline the usage serves (usage of a
 *   stage shared by two pipelines counts in both, so pipeline items may sum
 *   above `total`). Attributed usage with no value on the dimension is
 *   keyed `(none)`.
 * - Other rows go to `unattributed`, named by their key alias, team, tag.
 *   With a `team` filter there is no unattributed usage (it has no team).
 * - `total` counts each row once; unpriced requests count in `requests`
 *   and `unpricedRequests`, never as a cost of 0.
 * Items are sorted by cost, most expensive first.
 *
 * @public
 */
export function aggregateSpend(
  rows: Iterable<SpendRow>,
  groupBy: SpendGroupBy,
  options: AggregateSpendOptions = {},
): SpendResponse {
  const items = new Map<string, SpendItem>();
  const unattributed = new Map<string, UnattributedItem>();
  let total = 0;
  let unpricedTotal = 0;
  let unattributedCost = 0;
  let unattributedRequests = 0;

  for (const row of rows) {
    const attributed = row.entityRef !== null || row.owner !== null;
    if (options.team) {
      if (!attributed) continue;
      const inTeam = options.includeSubteams
        ? row.owner === options.team || (row.teams ?? []).includes(options.team)
        : row.owner === options.team;
      if (!inTeam) continue;
    }
    const requests = row.requests ?? 1;
    const cost = row.costUsd ?? 0;
    const unpriced =
      row.unpricedRequests ?? (row.costUsd === null ? requests : 0);
    total += cost;
    unpricedTotal += unpriced;

    if (!attributed) {
      const name = row.unattributed ?? unattributedKey(row);
      const id = `${name.keyType}\u0000${name.key}`;
      const item = unattributed.get(id) ?? {
        key: name.key,
        keyType: name.keyType,
        costUsd: 0,
        requests: 0,
      };
      item.costUsd += cost;
      item.requests += requests;
      unattributed.set(id, item);
      unattributedCost += cost;
      unattributedRequests += requests;
      continue;
    }

    for (const key of keysOf(row, groupBy)) {
      const item = items.get(key) ?? {
        key,
        costUsd: 0,
        inputTokens: 0,
        outputTokens: 0,
        requests: 0,
      };
      item.costUsd += cost;
      item.inputTokens += row.inputTokens;
      item.outputTokens += row.outputTokens;
      item.requests += requests;
      if (unpriced)
        item.unpricedRequests = (item.unpricedRequests ?? 0) + unpriced;
      items.set(key, item);
    }
  }

  const response: SpendResponse = {
    currency: 'USD',
    total: roundUsd(total),
    items: [...items.values()]
      .map(i => ({ ...i, costUsd: roundUsd(i.costUsd) }))
      .sort(byCostThenKey),
    unattributed: {
      costUsd: roundUsd(unattributedCost),
      requests: unattributedRequests,
      items: [...unattributed.values()]
        .map(i => ({ ...i, costUsd: roundUsd(i.costUsd) }))
        .sort(byCostThenKey),
    },
  };
  if (unpricedTotal) response.unpricedRequests = unpricedTotal;
  return response;
}
