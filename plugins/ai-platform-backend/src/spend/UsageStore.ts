import { UsageRecord } from '@aiplatform/plugin-ai-platform-node';

/** Where validated usage records go. */
export interface UsageSink {
  /**
   * Writes a batch all-or-nothing, idempotent on the record id: a record
   * whose id is stored already is not stored or counted again.
   */
  insertUsage(records: UsageRecord[]): Promise<{ inserted: number }>;
}

/** A small key-value store for collector cursors (e.g. the last LiteLLM page read). */
export interface CursorStore {
  getCursor(key: string): Promise<string | undefined>;
  setCursor(key: string, value: string): Promise<void>;
}

/**
 * Usage aggregated by what attribution needs at read time (so moving a
 * service to another team moves its spend): the entity refs the records
 * named, the gateway team, key alias and naming tag, and the model.
 */
export interface UsageAggregateRow {
  /** The entity refs the records named, in precedence order. */
  entityCandidates: string[];
  team: string | null;
  keyAlias: string | null;
  tag: string | null;
  model: string;
  provider: string | null;
  requests: number;
  unpricedRequests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * One transaction that usage streams into, batch after batch: all of it is
 * written at {@link UsageWriteSession.commit}, or none of it.
 */
export interface UsageWriteSession {
  /** Writes a batch (idempotent on id, across the session's batches too). */
  write(records: UsageRecord[]): Promise<void>;
  /** Commits every batch; `inserted` counts the records that were new. */
  commit(): Promise<{ inserted: number }>;
  /** Writes nothing (a no-op once committed or rolled back). */
  rollback(): Promise<void>;
}

export interface UsageStore extends UsageSink, CursorStore {
  /** Opens a transaction for a stream of usage (`POST /usage` NDJSON). */
  beginUsage(): Promise<UsageWriteSession>;
  /** Aggregates over [from, to), from hourly or daily rollups. */
  aggregate(range: { from: number; to: number }): Promise<UsageAggregateRow[]>;
  /** Like {@link aggregate} but per UTC day (`day` = `YYYY-MM-DD`). */
  aggregateDaily(range: {
    from: number;
    to: number;
  }): Promise<Array<UsageAggregateRow & { day: string }>>;
  /** Deletes raw records older than `before` (rollups are kept). */
  deleteRawBefore(before: number): Promise<number>;
}
