import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  DashboardSeries,
  SignalName,
  SignalPoint,
  SloSamples,
  StageSignalTrend,
} from '@aiplatform/plugin-ai-platform-common';
import { Knex } from 'knex';
import { SignalStore } from './SignalStore';

const migrationsDir = resolvePackagePath(
  '@aiplatform/plugin-ai-platform-backend',
  'migrations',
);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Dashboards over ranges up to this long read hourly buckets, else daily. */
const HOURLY_RANGE_LIMIT = 7 * DAY;
/** Rows per INSERT: 30,000 bound variables, within SQLite's 32,766 and PostgreSQL's 65,535. */
const INSERT_CHUNK = 5_000;

interface AddedPoint {
  pipeline: string;
  stage: string;
  signal: string;
  ts: number | string;
}

/**
 * One multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` (SQLite ≥ 3.35
 * and PostgreSQL). Knex's own multi-row insert on SQLite is a compound
 * SELECT limited to 500 rows and several times slower.
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
     RETURNING pipeline, stage, signal, ts`,
    bindings,
  );
  return Array.isArray(result) ? result : result.rows;
}

/** Applies the package's migrations; shared by every knex store of the plugin. */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

interface SeriesRange {
  pipeline: string;
  stage: string;
  signal: string;
  min: number;
  max: number;
}

const seriesKey = (p: { pipeline: string; stage: string; signal: string }) =>
  `${p.pipeline}\u0000${p.stage}\u0000${p.signal}`;

/** The signal store on SQLite or PostgreSQL. */
export class KnexSignalStore implements SignalStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<KnexSignalStore> {
    return new KnexSignalStore(await migrateDatabase(options.database));
  }

  constructor(private readonly db: Knex) {}

  async insertSignals(points: SignalPoint[]): Promise<{ inserted: number }> {
    if (points.length === 0) return { inserted: 0 };
    return this.db.transaction(async tx => {
      const touched = new Map<string, SeriesRange>();
      let inserted = 0;
      for (let i = 0; i < points.length; i += INSERT_CHUNK) {
        const added = await insertIgnoringDuplicates(
          tx,
          points.slice(i, i + INSERT_CHUNK),
        );
        inserted += added.length;
        for (const row of added) {
          const ts = Number(row.ts);
          const key = seriesKey(row);
          const range = touched.get(key);
          if (range) {
            range.min = Math.min(range.min, ts);
            range.max = Math.max(range.max, ts);
          } else {
            touched.set(key, { ...row, min: ts, max: ts });
          }
        }
      }
      for (const range of touched.values()) {
        await this.refreshRollups(tx, range);
        await this.refreshLatest(tx, range);
      }
      return { inserted };
    });
  }

  /** Recomputes the hourly, then daily, buckets a range of new points fell in. */
  private async refreshRollups(tx: Knex.Transaction, r: SeriesRange) {
    const hourFrom = Math.floor(r.min / HOUR) * HOUR;
    const hourTo = Math.floor(r.max / HOUR) * HOUR + HOUR;
    await tx.raw(
      `INSERT INTO ai_signal_rollups
         (pipeline, stage, signal, resolution, bucket, count, sum, min, max)
       SELECT pipeline, stage, signal, 'hour', (ts / ${HOUR}) * ${HOUR},
              COUNT(*), SUM(value), MIN(value), MAX(value)
       FROM ai_signal_points
       WHERE pipeline = ? AND stage = ? AND signal = ? AND ts >= ? AND ts < ?
       GROUP BY pipeline, stage, signal, (ts / ${HOUR}) * ${HOUR}
       ON CONFLICT (pipeline, stage, signal, resolution, bucket) DO UPDATE SET
         count = excluded.count, sum = excluded.sum,
         min = excluded.min, max = excluded.max`,
      [r.pipeline, r.stage, r.signal, hourFrom, hourTo],
    );
    const dayFrom = Math.floor(r.min / DAY) * DAY;
    const dayTo = Math.floor(r.max / DAY) * DAY + DAY;
    await tx.raw(
      `INSERT INTO ai_signal_rollups
         (pipeline, stage, signal, resolution, bucket, count, sum, min, max)
       SELECT pipeline, stage, signal, 'day', (bucket / ${DAY}) * ${DAY},
              SUM(count), SUM(sum), MIN(min), MAX(max)
       FROM ai_signal_rollups
       WHERE pipeline = ? AND stage = ? AND signal = ? AND resolution = 'hour'
         AND bucket >= ? AND bucket < ?
       GROUP BY pipeline, stage, signal, (bucket / ${DAY}) * ${DAY}
       ON CONFLICT (pipeline, stage, signal, resolution, bucket) DO UPDATE SET
         count = excluded.count, sum = excluded.sum,
         min = excluded.min, max = excluded.max`,
      [r.pipeline, r.stage, r.signal, dayFrom, dayTo],
    );
  }

  private async refreshLatest(tx: Knex.Transaction, r: SeriesRange) {
    const latest = await tx('ai_signal_points')
      .where({ pipeline: r.pipeline, stage: r.stage, signal: r.signal })
      .orderBy('ts', 'desc')
      .first('ts', 'value');
    if (!latest) return;
    await tx('ai_signal_latest')
      .insert({
        pipeline: r.pipeline,
        stage: r.stage,
        signal: r.signal,
        ts: Number(latest.ts),
        value: Number(latest.value),
      })
      .onConflict(['pipeline', 'stage', 'signal'])
      .merge(['ts', 'value']);
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
    pipeline: string,
    stage: string,
    signal: SignalName,
    range: { hourlyFrom: number; fineFrom: number; to: number },
  ): Promise<SloSamples> {
    const [hourly, fine] = await Promise.all([
      this.db('ai_signal_rollups')
        .where({ pipeline, stage, signal, resolution: 'hour' })
        .andWhere('bucket', '>=', Math.floor(range.hourlyFrom / HOUR) * HOUR)
        .andWhere('bucket', '<', range.to)
        .orderBy('bucket')
        .select('bucket', 'count', 'sum'),
      this.db('ai_signal_points')
        .where({ pipeline, stage, signal })
        .andWhere('ts', '>=', range.fineFrom)
        .andWhere('ts', '<', range.to)
        .orderBy('ts')
        .select('ts', 'value'),
    ]);
    return {
      hourly: hourly.map(r => ({
        start: Number(r.bucket),
        value: Number(r.sum) / Number(r.count),
      })),
      fine: fine.map(r => ({ start: Number(r.ts), value: Number(r.value) })),
    };
  }

  async queryTrends(pipeline: string, to: number): Promise<StageSignalTrend[]> {
    const recentFrom = to - DAY;
    const baselineFrom = recentFrom - 7 * DAY;
    const rows = await this.db('ai_signal_rollups')
      .where({ pipeline, resolution: 'hour' })
      .andWhere('bucket', '>=', baselineFrom)
      .andWhere('bucket', '<', to)
      .groupBy('stage', 'signal')
      .select(
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
    return rows.map((r: any) => ({
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
    }));
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
