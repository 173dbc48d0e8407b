/*
 * Test helpers for gateway usage: stored records (what the usage store
 * takes) and `POST /usage` records (what the HTTP API takes).
 */
import {
  UsageRecord,
  UsageRecordInput,
} from '@aiplatform/plugin-ai-platform-common';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

/** A stored usage record (gateway-priced unless `costUsd` is null). */
export function usageRecord(
  id: string,
  ts: number,
  fields: Partial<Omit<UsageRecord, 'id' | 'ts'>> = {},
): UsageRecord {
  const costUsd = fields.costUsd === undefined ? 1 : fields.costUsd;
  return {
    id,
    ts,
    entityRef: null,
    team: null,
    keyAlias: null,
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 100,
    outputTokens: 50,
    costSource: costUsd === null ? 'unpriced' : 'gateway',
    priceSource: costUsd === null ? null : 'gateway',
    durationMs: null,
    status: null,
    ...fields,
    costUsd,
  };
}

/** A `POST /usage` record. */
export function usageInput(
  id: string,
  ts: number,
  fields: Partial<Omit<UsageRecordInput, 'id' | 'timestamp'>> = {},
): UsageRecordInput {
  return {
    id,
    timestamp: iso(ts),
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 100,
    outputTokens: 50,
    ...fields,
  };
}

/** A small deterministic pseudo-random generator (LCG), for reproducible data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
