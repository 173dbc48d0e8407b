import { DatabaseService } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  characterLength,
  dayKey,
  unattributedKey,
  USAGE_LIMITS,
  usageEntityRefCandidates,
  UsageRecord,
} from '@aiplatform/plugin-ai-platform-node';
import { Knex } from 'knex';
import { isPostgres } from '../shared/database/dialect';
import { compareText } from '../shared/database/keyOrder';
import { migrateDatabase } from '../shared/database/migrations';
import {
  isRetryableDatabaseError,
  retryTransaction,
} from '../shared/database/retryTransaction';
import { UsageAggregateRow, UsageStore, UsageWriteSession } from './UsageStore';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Rows per statement (each chunk is a single JSON parameter). */
const INSERT_CHUNK = 10_000;
const ROLLUP_CHUNK = 10_000;
/**
 * Rollup deltas held in memory before they are added mid-stream: a stream
 * otherwise adds them once, at its end (one upsert per key, in key order).
 */
const MAX_PENDING_ROLLUPS = 100_000;

const ROLLUP_KEY = [
  'resolution',
  'bucket',
  'entity_candidates',
  'team',
  'key_alias',
  'tag',
  'model',
  'provider',
] as const;

type Resolution = 'hour' | 'day' | 'month';

/** Start of the UTC month of `ts`. */
function monthStart(ts: number): number {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the UTC month after the one of `ts`. */
function nextMonth(ts: number): number {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function bucketOf(resolution: Resolution, ts: number): number {
  if (resolution === 'month') return monthStart(ts);
  const size = resolution === 'hour' ? HOUR : DAY;
  return Math.floor(ts / size) * size;
}

interface RollupRow {
  resolution: Resolution;
  bucket: number;
  entity_candidates: string;
  team: string;
  key_alias: string;
  tag: string;
  model: string;
  provider: string;
  requests: number;
  unpriced_requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** The tag that names unattributed usage, if a tag is what names it. */
function namingTag(record: UsageRecord): string {
  const key = unattributedKey({ tags: record.tags ?? [] });
  return key.keyType === 'tag' ? key.key : '';
}

/**
 * The fields of a record against the columns that keep them (the sizes of
 * the migration, as validation bounds them): a record that does not fit is
 * refused whole, never cut, since a cut id could collide with another and a
 * cut name would attribute usage to something else. Validation refuses such
 * records first; this holds for any other caller of the store.
 */
const COLUMNS: Array<[string, (r: UsageRecord) => string | null, number]> = [
  ['id', r => r.id, USAGE_LIMITS.idLength],
  ['team', r => r.team, USAGE_LIMITS.textLength],
  ['keyAlias', r => r.keyAlias, USAGE_LIMITS.textLength],
  ['tags', r => namingTag(r), USAGE_LIMITS.textLength],
  ['model', r => r.model, USAGE_LIMITS.textLength],
  ['provider', r => r.provider, USAGE_LIMITS.providerLength],
  ['status', r => r.status, USAGE_LIMITS.statusLength],
  ['priceSource', r => r.priceSource, USAGE_LIMITS.textLength],
  [
    'entityRef',
    r => usageEntityRefCandidates(r).join('\n'),
    USAGE_LIMITS.entityRefsLength,
  ],
];

/** `offset`: the index of the first record in the request, for messages. */
function checkColumns(records: UsageRecord[], offset = 0) {
  records.forEach((r, n) => {
    const i = offset + n;
    for (const [field, value, max] of COLUMNS) {
      const text = value(r);
      if (text && text.length > max && characterLength(text) > max) {
        throw new InputError(
          `Invalid usage batch, nothing was written: records[${i}].${field}: must be at most ${max} characters`,
        );
      }
    }
    if (r.durationMs !== null && r.durationMs > USAGE_LIMITS.maxDurationMs) {
      throw new InputError(
        `Invalid usage batch, nothing was written: records[${i}].durationMs: must be at most ${USAGE_LIMITS.maxDurationMs}`,
      );
    }
  });
}

function toRow(r: UsageRecord) {
  return {
    id: r.id,
    ts: r.ts,
    entity_candidates: usageEntityRefCandidates(r).join('\n'),
    team: r.team ?? '',
    key_alias: r.keyAlias ?? '',
    tag: namingTag(r),
    model: r.model,
    provider: r.provider ?? '',
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cost_usd: r.costUsd,
    cost_source: r.costSource,
    price_source: r.priceSource,
    duration_ms: r.durationMs === null ? null : Math.round(r.durationMs),
    status: r.status,
  };
}

type RawRow = ReturnType<typeof toRow>;
const RAW_COLUMNS: Array<keyof RawRow> = [
  'id',
  'ts',
  'entity_candidates',
  'team',
  'key_alias',
  'tag',
  'model',
  'provider',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'cost_source',
  'price_source',
  'duration_ms',
  'status',
];

const COLUMN_TYPES: Record<keyof RawRow, string> = {
  id: 'text',
  ts: 'bigint',
  entity_candidates: 'text',
  team: 'text',
  key_alias: 'text',
  tag: 'text',
  model: 'text',
  provider: 'text',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cost_usd: 'double precision',
  cost_source: 'text',
  price_source: 'text',
  duration_ms: 'integer',
  status: 'text',
};

/**
 * The rows of a JSON array parameter in array order: PostgreSQL's
 * `json_to_recordset` with its ordinality (which PostgreSQL knows is
 * sorted, so the ORDER BY costs nothing), SQLite's `json_each` by index.
 * Rows are inserted, and so locked, in that order.
 */
function selectFromJson(
  db: Knex,
  columns: readonly string[],
  types: Record<string, string>,
): string {
  return isPostgres(db)
    ? `SELECT ${columns.join(
        ', ',
      )} FROM ROWS FROM (json_to_recordset(?::json) AS (${columns
        .map(c => `${c} ${types[c]}`)
        .join(', ')})) WITH ORDINALITY AS x(${columns.join(', ')}, n)
       ORDER BY n`
    : `SELECT ${columns
        .map(c => `value ->> '${c}'`)
        .join(', ')} FROM json_each(?) WHERE true ORDER BY key`;
}

/**
 * Inserts a chunk of rows with distinct ids, in their order, skipping known
 * ids, and returns the rows that were new (PostgreSQL; SQLite runs a
 * prepared statement per row, see UsageWriter). The chunk goes to the
 * database as one JSON parameter, unpacked by `json_to_recordset`: one
 * bound value instead of 150,000 (no 65,535-parameter limit) keeps the
 * batch path several times faster than a VALUES list.
 */
async function insertNew(
  tx: Knex.Transaction,
  rows: RawRow[],
): Promise<RawRow[]> {
  const columns = RAW_COLUMNS.join(', ');
  const result = await tx.raw(
    `INSERT INTO ai_usage_records (${columns})
     ${selectFromJson(tx, RAW_COLUMNS, COLUMN_TYPES)}
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [JSON.stringify(rows)],
  );
  const added = new Set<string>(
    (Array.isArray(result) ? result : result.rows).map(
      (r: { id: string }) => r.id,
    ),
  );
  return rows.filter(r => added.has(r.id));
}

/**
 * The rows of a batch in the order they are inserted: one per id (the
 * first of an id repeated within the batch), sorted by id, so that
 * concurrent batches (of other replicas too) lock ids in one order and
 * cannot deadlock on the ones they share.
 */
function uniqueRowsById(records: UsageRecord[]): RawRow[] {
  // Stable: rows of one id keep the batch's order, the first leads.
  const rows = records.map(toRow).sort((a, b) => compareText(a.id, b.id));
  return rows.filter((row, i) => i === 0 || rows[i - 1].id !== row.id);
}

interface SqliteStatement {
  run(params: unknown[]): { changes: number };
  all(params: unknown[]): unknown[];
}

interface SqliteDb {
  prepare(sql: string): SqliteStatement;
}

/**
 * Rows per SQLite statement: a VALUES list of 50 rows (750 bound values,
 * SQLite takes 32,766) runs the statement machinery once for 50 rows, a
 * third faster than a row at a time.
 */
const SQLITE_ROWS = 50;

/** `(?, ?, ...), (?, ?, ...)`: `n` rows of `columns`. */
function valuesList(columns: readonly string[], n: number): string {
  return new Array(n).fill(`(${columns.map(() => '?').join(', ')})`).join(', ');
}

/** Statements of one SQL shape by their row count, prepared once each. */
function sqliteStatements(
  db: SqliteDb,
  sql: (values: string) => string,
  columns: readonly string[],
): (n: number) => SqliteStatement {
  const prepared = new Map<number, SqliteStatement>();
  return n => {
    let stmt = prepared.get(n);
    if (!stmt) {
      stmt = db.prepare(sql(valuesList(columns, n)));
      prepared.set(n, stmt);
    }
    return stmt;
  };
}

/** The values of rows [from, to), column by column, for a VALUES list. */
function sqliteParams<R>(
  rows: R[],
  from: number,
  to: number,
  columns: readonly (keyof R)[],
): unknown[] {
  const params: unknown[] = [];
  for (let i = from; i < to; i++) {
    const row = rows[i];
    for (const c of columns) params.push(row[c]);
  }
  return params;
}

/**
 * The better-sqlite3 connection a knex transaction runs on, or undefined on
 * other databases. Statements prepared on it run inside the transaction
 * knex began, at the driver's own speed (no SQL text per row, no bindings
 * limit); PostgreSQL gets one JSON parameter per chunk instead.
 */
async function sqliteConnection(
  tx: Knex.Transaction,
): Promise<SqliteDb | undefined> {
  if (!String(tx.client.config.client).includes('sqlite')) return undefined;
  return (await tx.client.acquireConnection()) as SqliteDb;
}

const RESOLUTIONS = ['hour', 'day', 'month'] as const;

/**
 * New rows added up into hourly, daily and monthly rollup deltas (in
 * memory, then one upsert per chunk): by the key's text past resolution and
 * bucket (hashed once per row), then by bucket.
 */
class RollupDeltas {
  private readonly byKey = new Map<
    string,
    Record<Resolution, Map<number, RollupRow>>
  >();
  size = 0;

  add(rows: RawRow[]) {
    for (const row of rows) {
      const key = `${row.entity_candidates}\u0000${row.team}\u0000${row.key_alias}\u0000${row.tag}\u0000${row.model}\u0000${row.provider}`;
      let buckets = this.byKey.get(key);
      if (!buckets) {
        buckets = { hour: new Map(), day: new Map(), month: new Map() };
        this.byKey.set(key, buckets);
      }
      for (const resolution of RESOLUTIONS) {
        const bucket = bucketOf(resolution, row.ts);
        let d = buckets[resolution].get(bucket);
        if (!d) {
          d = {
            resolution,
            bucket,
            entity_candidates: row.entity_candidates,
            team: row.team,
            key_alias: row.key_alias,
            tag: row.tag,
            model: row.model,
            provider: row.provider,
            requests: 0,
            unpriced_requests: 0,
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: 0,
          };
          buckets[resolution].set(bucket, d);
          this.size++;
        }
        d.requests += 1;
        d.input_tokens += row.input_tokens;
        d.output_tokens += row.output_tokens;
        if (row.cost_usd === null) d.unpriced_requests += 1;
        else d.cost_usd += row.cost_usd;
      }
    }
  }

  /** The deltas in no order (SQLite: one writer, no lock order to keep). */
  rows(): RollupRow[] {
    const rows: RollupRow[] = [];
    for (const buckets of this.byKey.values()) {
      for (const resolution of RESOLUTIONS) {
        for (const d of buckets[resolution].values()) rows.push(d);
      }
    }
    return rows;
  }

  /**
   * The deltas in the order the upsert locks them, one total order for
   * every transaction: bucket (comparing numbers settles most pairs), then
   * resolution, then the rest of the key.
   */
  sorted(): RollupRow[] {
    const keyed: Array<[string, RollupRow]> = [];
    for (const [key, buckets] of this.byKey) {
      for (const resolution of RESOLUTIONS) {
        for (const d of buckets[resolution].values()) keyed.push([key, d]);
      }
    }
    return keyed
      .sort(
        ([ka, a], [kb, b]) =>
          a.bucket - b.bucket ||
          compareText(a.resolution, b.resolution) ||
          compareText(ka, kb),
      )
      .map(([, d]) => d);
  }

  clear() {
    this.byKey.clear();
    this.size = 0;
  }
}

const ROLLUP_COLUMNS = [
  ...ROLLUP_KEY,
  'requests',
  'unpriced_requests',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;

const ROLLUP_TYPES: Record<(typeof ROLLUP_COLUMNS)[number], string> = {
  resolution: 'text',
  bucket: 'bigint',
  entity_candidates: 'text',
  team: 'text',
  key_alias: 'text',
  tag: 'text',
  model: 'text',
  provider: 'text',
  requests: 'bigint',
  unpriced_requests: 'bigint',
  input_tokens: 'bigint',
  output_tokens: 'bigint',
  cost_usd: 'double precision',
};

/** Adds the deltas to the rollups; each chunk is one JSON parameter, like the raw rows. */
async function upsertRollups(tx: Knex.Transaction, rows: RollupRow[]) {
  const columns = ROLLUP_COLUMNS.join(', ');
  const update = `ON CONFLICT (${ROLLUP_KEY.join(', ')}) DO UPDATE SET
         requests = ai_usage_rollups.requests + excluded.requests,
         unpriced_requests = ai_usage_rollups.unpriced_requests + excluded.unpriced_requests,
         input_tokens = ai_usage_rollups.input_tokens + excluded.input_tokens,
         output_tokens = ai_usage_rollups.output_tokens + excluded.output_tokens,
         cost_usd = ai_usage_rollups.cost_usd + excluded.cost_usd`;
  const sqlite = await sqliteConnection(tx);
  if (sqlite) {
    const statement = sqliteStatements(
      sqlite,
      values => `INSERT INTO ai_usage_rollups (${columns})
       VALUES ${values} ${update}`,
      ROLLUP_COLUMNS,
    );
    for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
      const to = Math.min(rows.length, i + SQLITE_ROWS);
      statement(to - i).run(sqliteParams(rows, i, to, ROLLUP_COLUMNS));
    }
    return;
  }
  const select = selectFromJson(tx, ROLLUP_COLUMNS, ROLLUP_TYPES);
  for (let i = 0; i < rows.length; i += ROLLUP_CHUNK) {
    await tx.raw(
      `INSERT INTO ai_usage_rollups (${columns})
       ${select} ${update}`,
      [JSON.stringify(rows.slice(i, i + ROLLUP_CHUNK))],
    );
  }
}

function toAggregate(row: any): UsageAggregateRow {
  return {
    entityCandidates: row.entity_candidates
      ? row.entity_candidates.split('\n')
      : [],
    team: row.team || null,
    keyAlias: row.key_alias || null,
    tag: row.tag || null,
    model: row.model,
    provider: row.provider || null,
    requests: Number(row.requests),
    unpricedRequests: Number(row.unpriced_requests),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Number(row.cost_usd),
  };
}

/** [from, to) as hour, day and month pieces (from aligned to the hour). */
export function splitRange(
  from: number,
  to: number,
): Array<{ resolution: Resolution; from: number; to: number }> {
  const parts: Array<{ resolution: Resolution; from: number; to: number }> = [];
  const firstDay = Math.min(Math.ceil(from / DAY) * DAY, to);
  const lastDay = Math.max(Math.floor(to / DAY) * DAY, firstDay);
  if (from < firstDay) parts.push({ resolution: 'hour', from, to: firstDay });
  if (firstDay < lastDay) {
    const firstMonth = Math.min(
      monthStart(firstDay) === firstDay ? firstDay : nextMonth(firstDay),
      lastDay,
    );
    const lastMonth = Math.max(monthStart(lastDay), firstMonth);
    if (firstDay < firstMonth) {
      parts.push({ resolution: 'day', from: firstDay, to: firstMonth });
    }
    if (firstMonth < lastMonth) {
      parts.push({ resolution: 'month', from: firstMonth, to: lastMonth });
    }
    if (lastMonth < lastDay) {
      parts.push({ resolution: 'day', from: lastMonth, to: lastDay });
    }
  }
  if (lastDay < to) parts.push({ resolution: 'hour', from: lastDay, to });
  return parts;
}

const GROUP_COLUMNS = [
  'entity_candidates',
  'team',
  'key_alias',
  'tag',
  'model',
  'provider',
];

/**
 * Writes usage into one transaction, batch after batch: raw rows skipping
 * known ids (and ids written earlier in the transaction), then the rollups
 * of the new rows only, so a replay adds nothing. Rollup deltas build up
 * across batches and are added at the end (or past
 * {@link MAX_PENDING_ROLLUPS} keys), in key order.
 */
class UsageWriter {
  private readonly deltas = new RollupDeltas();
  private written = 0;
  private inserted = 0;
  private sqlite?: Promise<((n: number) => SqliteStatement) | undefined>;

  constructor(private readonly tx: Knex.Transaction) {}

  async write(records: UsageRecord[]): Promise<void> {
    checkColumns(records, this.written);
    this.written += records.length;
    const added = await this.insert(records);
    this.inserted += added.length;
    this.deltas.add(added);
    if (this.deltas.size > MAX_PENDING_ROLLUPS) await this.flush();
  }

  async finish(): Promise<{ inserted: number }> {
    await this.flush();
    return { inserted: this.inserted };
  }

  private async flush() {
    if (this.deltas.size === 0) return;
    // SQLite has one writer: no lock order to keep.
    const rows = (await this.sqliteInsert())
      ? this.deltas.rows()
      : this.deltas.sorted();
    await upsertRollups(this.tx, rows);
    this.deltas.clear();
  }

  /** SQLite's raw-row INSERT by row count; undefined on other databases. */
  private sqliteInsert() {
    this.sqlite ??= sqliteConnection(this.tx).then(
      db =>
        db &&
        sqliteStatements(
          db,
          values => `INSERT INTO ai_usage_records (${RAW_COLUMNS.join(', ')})
           VALUES ${values} ON CONFLICT (id) DO NOTHING RETURNING id`,
          RAW_COLUMNS,
        ),
    );
    return this.sqlite;
  }

  /**
   * SQLite has one writer, so no lock order to keep: rows go in as they
   * came, and the first of a repeated id wins by ON CONFLICT alone. Other
   * databases get them sorted by id (see uniqueRowsById).
   */
  private async insert(records: UsageRecord[]): Promise<RawRow[]> {
    const statement = await this.sqliteInsert();
    const added: RawRow[] = [];
    if (statement) {
      const rows = records.map(toRow);
      for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
        const to = Math.min(rows.length, i + SQLITE_ROWS);
        const inserted = new Set(
          (
            statement(to - i).all(
              sqliteParams(rows, i, to, RAW_COLUMNS),
            ) as Array<{ id: string }>
          ).map(r => r.id),
        );
        // An id twice in one statement is inserted (and returned) once:
        // the first row of it is the new one.
        for (let j = i; j < to; j++) {
          if (inserted.delete(rows[j].id)) added.push(rows[j]);
        }
      }
      return added;
    }
    const rows = uniqueRowsById(records);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      for (const row of await insertNew(
        this.tx,
        rows.slice(i, i + INSERT_CHUNK),
      )) {
        added.push(row);
      }
    }
    return added;
  }
}

/** Usage records and rollups on SQLite or PostgreSQL. */
export class KnexUsageStore implements UsageStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<KnexUsageStore> {
    return new KnexUsageStore(await migrateDatabase(options.database));
  }

  constructor(private readonly db: Knex) {}

  async insertUsage(records: UsageRecord[]): Promise<{ inserted: number }> {
    if (records.length === 0) return { inserted: 0 };
    checkColumns(records);
    // A conflict the database still reports runs the batch again.
    return retryTransaction(this.db, async tx => {
      const writer = new UsageWriter(tx);
      await writer.write(records);
      return writer.finish();
    });
  }

  async beginUsage(): Promise<UsageWriteSession> {
    const tx = await this.db.transaction();
    const writer = new UsageWriter(tx);
    const end = async () => {
      if (!tx.isCompleted()) await tx.rollback();
    };
    const failed = async (error: unknown) => {
      await end().catch(() => {});
      // Nothing to run again here (the records have streamed past): the
      // sender sends the request again, as retryTransaction would say.
      if (isRetryableDatabaseError(error)) {
        return new ServiceUnavailableError(
          `The database aborted the transaction (${
            (error as { code: string }).code
          }); nothing was written, send the request again`,
        );
      }
      return error;
    };
    return {
      write: async records => {
        try {
          await writer.write(records);
        } catch (error) {
          throw await failed(error);
        }
      },
      commit: async () => {
        try {
          const result = await writer.finish();
          await tx.commit();
          return result;
        } catch (error) {
          throw await failed(error);
        }
      },
      rollback: end,
    };
  }

  private sumRollups(
    resolution: Resolution,
    from: number,
    to: number,
    byDay = false,
  ) {
    const columns = byDay ? [...GROUP_COLUMNS, 'bucket'] : GROUP_COLUMNS;
    return this.db('ai_usage_rollups')
      .where({ resolution })
      .andWhere('bucket', '>=', from)
      .andWhere('bucket', '<', to)
      .groupBy(columns)
      .select(columns)
      .sum({
        requests: 'requests',
        unpriced_requests: 'unpriced_requests',
        input_tokens: 'input_tokens',
        output_tokens: 'output_tokens',
        cost_usd: 'cost_usd',
      });
  }

  /**
   * Whole UTC months come from monthly rollups, whole days at either end
   * from daily ones and the hours at the very ends from hourly ones, so any
   * [from, to) is exact to the hour and a year reads about a dozen buckets
   * per key instead of 365.
   */
  async aggregate(range: {
    from: number;
    to: number;
  }): Promise<UsageAggregateRow[]> {
    const parts = splitRange(
      Math.floor(range.from / HOUR) * HOUR,
      range.to,
    ).map(p => this.sumRollups(p.resolution, p.from, p.to));
    const merged = new Map<string, UsageAggregateRow>();
    for (const rows of await Promise.all(parts)) {
      for (const row of rows) {
        const key = GROUP_COLUMNS.map(c => (row as any)[c]).join('\u0000');
        const a = toAggregate(row);
        const m = merged.get(key);
        if (!m) {
          merged.set(key, a);
        } else {
          m.requests += a.requests;
          m.unpricedRequests += a.unpricedRequests;
          m.inputTokens += a.inputTokens;
          m.outputTokens += a.outputTokens;
          m.costUsd += a.costUsd;
        }
      }
    }
    return [...merged.values()];
  }

  /** Per UTC day, from daily rollups of the days that overlap [from, to). */
  async aggregateDaily(range: {
    from: number;
    to: number;
  }): Promise<Array<UsageAggregateRow & { day: string }>> {
    const rows = await this.sumRollups(
      'day',
      Math.floor(range.from / DAY) * DAY,
      range.to,
      true,
    );
    return rows.map((row: any) => ({
      ...toAggregate(row),
      day: dayKey(Number(row.bucket)),
    }));
  }

  async deleteRawBefore(before: number): Promise<number> {
    return retryTransaction(this.db, tx =>
      tx('ai_usage_records').where('ts', '<', before).delete(),
    );
  }

  async getCursor(key: string): Promise<string | undefined> {
    const row = await this.db('ai_collector_cursors')
      .where({ key })
      .first('value');
    return row?.value;
  }

  async setCursor(key: string, value: string): Promise<void> {
    await retryTransaction(this.db, tx =>
      tx('ai_collector_cursors')
        .insert({ key, value })
        .onConflict('key')
        .merge(['value']),
    );
  }
}
