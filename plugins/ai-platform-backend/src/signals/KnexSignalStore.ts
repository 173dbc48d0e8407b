import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  DashboardSeries,
  SignalName,
} from '@aiplatform/plugin-ai-platform-common';
import {
  SignalPoint,
  SloSamples,
  StageSignalTrend,
} from '@aiplatform/plugin-ai-platform-node';
import { Knex } from 'knex';
import { isPostgres } from '../shared/database/dialect';
import { migrateDatabase } from '../shared/database/migrations';
import { compareText } from '../shared/database/keyOrder';
import { retryTransaction } from '../shared/database/retryTransaction';
import { SampleRequest, SignalStore } from './SignalStore';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Dashboards over ranges up to this long read hourly buckets, else daily. */
const HOURLY_RANGE_LIMIT = 7 * DAY;
/** Rows per INSERT: 30,000 bound variables, within SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_CHUNK = 5_000;
/** Pipelines per batched read (`IN` list), well within both databases' bind limits. */
const READ_CHUNK = 500;

function seriesKey(pipeline: string, stage: string, signal: string): string {
  return `${pipeline}\u0000${stage}\u0000${signal}`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

/** The order points are inserted in: their primary key. */
function comparePoints(a: SignalPoint, b: SignalPoint): number {
  return (
    compareText(a.pipeline, b.pipeline) ||
    compareText(a.stage, b.stage) ||
    compareText(a.signal, b.signal) ||
    a.ts - b.ts ||
    compareText(a.source, b.source)
  );
}

/**
 * One multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` (SQLite ≥ 3.35
 * and PostgreSQL), returning the rows it added with their values: a point
 * stored already (a replay, or a concurrent batch that committed it first)
 * is not returned, so it is not counted again. Knex's own multi-row insert
 * on SQLite is a compound SELECT limited to 500 rows and several times
 * slower. PostgreSQL inserts, and so locks, the rows in the order given.
 */
async function insertIgnoringDuplicates(
  tx: Knex.Transaction,
  points: SignalPoint[],
): Promise<AddedPoint[]> {
  const bindings: Array<string | number> = [];
  for (const p of points) {
    bindings.push(p.pipeline, p.stage, p.signal, p.ts, p.source, p.value);
  }
  const values = new Array(points.length).fill('(?, ?, ?, ?, ?, ?)').join(', ');
  const result = await tx.raw(
    `INSERT INTO ai_signal_points (pipeline, stage, signal, ts, source, value)
     VALUES ${values}
     ON CONFLICT (pipeline, stage, signal, ts, source) DO NOTHING
     RETURNING pipeline, stage, signal, ts, value`,
    bindings,
  );
  return Array.isArray(result) ? result : result.rows;
}

interface Totals {
  count: number;
  sum: number;
  min: number;
  max: number;
}

interface RollupDelta extends Totals {
  pipeline: string;
  stage: string;
  signal: string;
  resolution: 'hour' | 'day';
  bucket: number;
}

/** A point as a RETURNING clause gives it (PostgreSQL's bigint as text). */
interface AddedPoint {
  pipeline: string;
  stage: string;
  signal: string;
  ts: number | string;
  value: number | string;
}

/** What the new points of one series add, per bucket, and its newest point. */
interface SeriesDelta {
  pipeline: string;
  stage: string;
  signal: string;
  hours: Map<number, Totals>;
  days: Map<number, Totals>;
  latestTs: number;
  latestValue: number;
}

function addTo(buckets: Map<number, Totals>, bucket: number, value: number) {
  const t = buckets.get(bucket);
  if (!t) {
    buckets.set(bucket, { count: 1, sum: value, min: value, max: value });
    return;
  }
  t.count += 1;
  t.sum += value;
  if (value < t.min) t.min = value;
  if (value > t.max) t.max = value;
}

/**
 * What the points the INSERT added bring to each series, sorted by series.
 * One pass; the series is looked up only when it changes from the
 * previous point's (points arrive series by series).
 */
function seriesDeltas(points: AddedPoint[]): SeriesDelta[] {
  const bySeries = new Map<string, SeriesDelta>();
  let current: SeriesDelta | undefined;
  for (const p of points) {
    if (
      !current ||
      current.signal !== p.signal ||
      current.stage !== p.stage ||
      current.pipeline !== p.pipeline
    ) {
      const key = `${p.pipeline}\u0000${p.stage}\u0000${p.signal}`;
      current = bySeries.get(key);
      if (!current) {
        current = {
          pipeline: p.pipeline,
          stage: p.stage,
          signal: p.signal,
          hours: new Map(),
          days: new Map(),
          latestTs: -1,
          latestValue: 0,
        };
        bySeries.set(key, current);
      }
    }
    const ts = Number(p.ts);
    const value = Number(p.value);
    addTo(current.hours, Math.floor(ts / HOUR) * HOUR, value);
    addTo(current.days, Math.floor(ts / DAY) * DAY, value);
    if (ts > current.latestTs) {
      current.latestTs = ts;
      current.latestValue = value;
    }
  }
  return [...bySeries.values()].sort(
    (a, b) =>
      compareText(a.pipeline, b.pipeline) ||
      compareText(a.stage, b.stage) ||
      compareText(a.signal, b.signal),
  );
}

/**
 * The rollup rows to add, in the rollups' primary-key order (series, then
 * resolution, then bucket): the order the upsert locks them in.
 */
function rollupDeltas(series: SeriesDelta[]): RollupDelta[] {
  const deltas: RollupDelta[] = [];
  for (const s of series) {
    for (const [resolution, buckets] of [
      ['day', s.days],
      ['hour', s.hours],
    ] as const) {
      for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
        deltas.push({
          pipeline: s.pipeline,
          stage: s.stage,
          signal: s.signal,
          resolution,
          bucket,
          ...buckets.get(bucket)!,
        });
      }
    }
  }
  return deltas;
}

/** Rows per rollup upsert: 9 bound values each, 27,000 a statement. */
const ROLLUP_CHUNK = 3_000;

/**
 * Adds the deltas to the rollups: count and sum add up, min and max keep
 * the extreme. Additive, so batches that fill the same bucket at the same
 * time all count, whichever commits first (a recount from the raw points
 * would miss the points of a transaction not committed yet).
 */
async function addToRollups(tx: Knex.Transaction, deltas: RollupDelta[]) {
  const [least, greatest] = isPostgres(tx)
    ? ['LEAST', 'GREATEST']
    : ['min', 'max'];
  for (let i = 0; i < deltas.length; i += ROLLUP_CHUNK) {
    const chunk = deltas.slice(i, i + ROLLUP_CHUNK);
    const bindings: Array<string | number> = [];
    for (const d of chunk) {
      bindings.push(
        d.pipeline,
        d.stage,
        d.signal,
        d.resolution,
        d.bucket,
        d.count,
        d.sum,
        d.min,
        d.max,
      );
    }
    await tx.raw(
      `INSERT INTO ai_signal_rollups
         (pipeline, stage, signal, resolution, bucket, count, sum, min, max)
       VALUES ${new Array(chunk.length)
         .fill('(?, ?, ?, ?, ?, ?, ?, ?, ?)')
         .join(', ')}
       ON CONFLICT (pipeline, stage, signal, resolution, bucket) DO UPDATE SET
         count = ai_signal_rollups.count + excluded.count,
         sum = ai_signal_rollups.sum + excluded.sum,
         min = ${least}(ai_signal_rollups.min, excluded.min),
         max = ${greatest}(ai_signal_rollups.max, excluded.max)`,
      bindings,
    );
  }
}

/** Rows per latest-point upsert: 5 bound values each. */
const LATEST_CHUNK = 5_000;

/** Moves each series' latest point forward, never back (a late, older point leaves it). */
async function advanceLatest(tx: Knex.Transaction, series: SeriesDelta[]) {
  for (let i = 0; i < series.length; i += LATEST_CHUNK) {
    const chunk = series.slice(i, i + LATEST_CHUNK);
    const bindings: Array<string | number> = [];
    for (const s of chunk) {
      bindings.push(s.pipeline, s.stage, s.signal, s.latestTs, s.latestValue);
    }
    await tx.raw(
      `INSERT INTO ai_signal_latest (pipeline, stage, signal, ts, value)
       VALUES ${new Array(chunk.length).fill('(?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (pipeline, stage, signal) DO UPDATE SET
         ts = excluded.ts, value = excluded.value
       WHERE excluded.ts > ai_signal_latest.ts`,
      bindings,
    );
  }
}

/** The signal store on SQLite or PostgreSQL. */
export class KnexSignalStore implements SignalStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<KnexSignalStore> {
    return new KnexSignalStore(await migrateDatabase(options.database));
  }

  constructor(private readonly db: Knex) {}

  /**
   * Points, then rollups, then latest points, each in primary-key order, so
   * concurrent batches (of other replicas too) lock rows in one order and
   * cannot deadlock; a conflict the database still reports runs the batch
   * again ({@link retryTransaction}).
   */
  async insertSignals(points: SignalPoint[]): Promise<{ inserted: number }> {
    if (points.length === 0) return { inserted: 0 };
    // Stable: of a point repeated in the batch, the first is kept.
    const sorted = [...points].sort(comparePoints);
    return retryTransaction(this.db, async tx => {
      const added: AddedPoint[] = [];
      for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
        for (const p of await insertIgnoringDuplicates(
          tx,
          sorted.slice(i, i + INSERT_CHUNK),
        )) {
          added.push(p);
        }
      }
      if (added.length > 0) {
        const series = seriesDeltas(added);
        await addToRollups(tx, rollupDeltas(series));
        await advanceLatest(tx, series);
      }
      return { inserted: added.length };
    });
  }

  async querySeries(
    pipeline: string,
    range: { from: number; to: number },
  ): Promise<DashboardSeries[]> {
    const resolution =
      range.to - range.from <= HOURLY_RANGE_LIMIT ? 'hour' : 'day';
    const size = resolution === 'hour' ? HOUR : DAY;
    const rows = await this.db('ai_signal_rollups')
      .where({ pipeline, resolution })
      .andWhere('bucket', '>=', Math.floor(range.from / size) * size)
      .andWhere('bucket', '<', range.to)
      .orderBy(['stage', 'signal', 'bucket'])
      .select('stage', 'signal', 'bucket', 'count', 'sum', 'min', 'max');
    const series = new Map<string, DashboardSeries>();
    for (const row of rows) {
      const key = `${row.stage}\u0000${row.signal}`;
      let s = series.get(key);
      if (!s) {
        s = {
          signal: row.signal as SignalName,
          stage: row.stage === '' ? null : row.stage,
          resolution,
          buckets: [],
        };
        series.set(key, s);
      }
      const count = Number(row.count);
      s.buckets.push({
        t: new Date(Number(row.bucket)).toISOString(),
        avg: Number(row.sum) / count,
        min: Number(row.min),
        max: Number(row.max),
        count,
      });
    }
    return [...series.values()];
  }

  async querySamples(
    requests: SampleRequest[],
    range: { fineFrom: number; to: number },
  ): Promise<SloSamples[]> {
    if (!requests.length) return [];
    const pipelines = [...new Set(requests.map(r => r.pipeline))];
    const earliest = requests.reduce(
      (min, r) => Math.min(min, r.hourlyFrom),
      Infinity,
    );
    const hourlyFrom = Math.floor(earliest / HOUR) * HOUR;
    const hourly = new Map<string, Array<{ start: number; value: number }>>();
    const fine = new Map<string, Array<{ start: number; value: number }>>();
    const add = (
      map: typeof hourly,
      row: { pipeline: string; stage: string; signal: string },
      sample: { start: number; value: number },
    ) => {
      const key = seriesKey(row.pipeline, row.stage, row.signal);
      const list = map.get(key);
      if (list) list.push(sample);
      else map.set(key, [sample]);
    };
    for (const chunk of chunks(pipelines, READ_CHUNK)) {
      const [hourlyRows, fineRows] = await Promise.all([
        this.db('ai_signal_rollups')
          .whereIn('pipeline', chunk)
          .andWhere({ resolution: 'hour' })
          .andWhere('bucket', '>=', hourlyFrom)
          .andWhere('bucket', '<', range.to)
          .orderBy('bucket')
          .select('pipeline', 'stage', 'signal', 'bucket', 'count', 'sum'),
        this.db('ai_signal_points')
          .whereIn('pipeline', chunk)
          .andWhere('ts', '>=', range.fineFrom)
          .andWhere('ts', '<', range.to)
          .orderBy('ts')
          .select('pipeline', 'stage', 'signal', 'ts', 'value'),
      ]);
      for (const r of hourlyRows) {
        add(hourly, r, {
          start: Number(r.bucket),
          value: Number(r.sum) / Number(r.count),
        });
      }
      for (const r of fineRows) {
        add(fine, r, { start: Number(r.ts), value: Number(r.value) });
      }
    }
    return requests.map(r => {
      const key = seriesKey(r.pipeline, r.stage, r.signal);
      const from = Math.floor(r.hourlyFrom / HOUR) * HOUR;
      return {
        hourly: (hourly.get(key) ?? []).filter(s => s.start >= from),
        fine: fine.get(key) ?? [],
      };
    });
  }

  async queryTrends(
    pipelines: string[],
    to: number,
  ): Promise<Map<string, StageSignalTrend[]>> {
    const recentFrom = to - DAY;
    const baselineFrom = recentFrom - 7 * DAY;
    const trends = new Map<string, StageSignalTrend[]>(
      pipelines.map(p => [p, []]),
    );
    for (const chunk of chunks([...new Set(pipelines)], READ_CHUNK)) {
      const rows = await this.db('ai_signal_rollups')
        .whereIn('pipeline', chunk)
        .andWhere({ resolution: 'hour' })
        .andWhere('bucket', '>=', baselineFrom)
        .andWhere('bucket', '<', to)
        .groupBy('pipeline', 'stage', 'signal')
        .select(
          'pipeline',
          'stage',
          'signal',
          this.db.raw(
            'SUM(CASE WHEN bucket >= ? THEN sum ELSE 0 END) AS recent_sum',
            [recentFrom],
          ),
          this.db.raw(
            'SUM(CASE WHEN bucket >= ? THEN count ELSE 0 END) AS recent_count',
            [recentFrom],
          ),
          this.db.raw(
            'SUM(CASE WHEN bucket < ? THEN sum ELSE 0 END) AS base_sum',
            [recentFrom],
          ),
          this.db.raw(
            'SUM(CASE WHEN bucket < ? THEN count ELSE 0 END) AS base_count',
            [recentFrom],
          ),
        );
      for (const r of rows as any[]) {
        trends.get(r.pipeline)?.push({
          stage: r.stage === '' ? null : r.stage,
          signal: r.signal as SignalName,
          recent:
            Number(r.recent_count) > 0
              ? Number(r.recent_sum) / Number(r.recent_count)
              : null,
          baseline:
            Number(r.base_count) > 0
              ? Number(r.base_sum) / Number(r.base_count)
              : null,
        });
      }
    }
    return trends;
  }

  async lastFreshness(): Promise<Map<string, number>> {
    const rows = await this.db('ai_signal_latest')
      .where({ signal: 'freshness' })
      .select('pipeline', 'stage', 'ts');
    return new Map(
      rows.map(r => [`${r.pipeline}\u0000${r.stage}`, Number(r.ts)]),
    );
  }
}
