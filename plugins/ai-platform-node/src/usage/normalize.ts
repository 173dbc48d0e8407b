import { priceUsage } from './pricing';
import { resolveUsageEntityRef } from './refs';
import { parseUsageTimestamp } from './timestamp';
import { UsageRecord, UsageRecordInput } from './types';

/**
 * Turns a validated usage record into the stored form: epoch-ms timestamp,
 * the entity it names as a full lowercase ref (its `entityRef`, else a
 * `backstage:<ref>` tag, else a key alias that is a ref), and a cost with its
 * source (see {@link priceUsage}). Throws on a timestamp validation would
 * have refused.
 *
 * @public
 */
export function toUsageRecord(input: UsageRecordInput): UsageRecord {
  const ts = parseUsageTimestamp(input.timestamp);
  if (ts === undefined) {
    throw new TypeError(
      `usage record ${input.id}: invalid timestamp ${String(input.timestamp)}`,
    );
  }
  const priced = priceUsage({
    model: input.model,
    provider: input.provider,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    costUsd: input.costUsd,
    timestamp: ts,
  });
  const record: UsageRecord = {
    id: input.id,
    ts,
    entityRef: resolveUsageEntityRef(input),
    team: input.team ?? null,
    keyAlias: input.keyAlias ?? null,
    model: input.model,
    provider: input.provider ?? null,
    inputTokens: input.inputTokens,
    outputTokens: input.outputTokens,
    costUsd: priced.costUsd,
    costSource: priced.costSource,
    priceSource: priced.priceSource,
    durationMs: input.durationMs ?? null,
    status: input.status ?? null,
  };
  if (input.tags?.length) record.tags = [...input.tags];
  return record;
}
