import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { KnexSignalStore } from './KnexSignalStore';

jest.setTimeout(60_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A day boundary (UTC midnight), so hour and day buckets start here. */
const T0 = Date.UTC(2025, 5, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const PIPELINE = 'aipipeline:default/support-answers';
const OTHER_PIPELINE = 'aipipeline:default/other';
/**
 * SQLite: `NOT NULL constraint failed`; PostgreSQL: `violates not-null
 * constraint`. Matched on the message: better-sqlite3 keeps the Error class
 * of the first test file a Jest worker loads it in, so in later files its
 * errors are not `instanceof Error` and `rejects.toThrow()` says "did not
 * throw".
 */
const NOT_NULL_VIOLATION = expect.stringMatching(/not.null/i);

function point(
  ts: number,
  value: number,
  overrides: Partial<SignalPoint> = {},
): SignalPoint {
  return {
    pipeline: PIPELINE,
    stage: 'ingest',
    signal: 'freshness',
    source: 'push',
    ts,
    value,
    ...overrides,
  };
}

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

async function tableCounts(knex: Knex) {
  return {
    points: await count(knex, 'ai_signal_points'),
    rollups: await count(knex, 'ai_signal_rollups'),
    latest: await count(knex, 'ai_signal_latest'),
  };
}

describe('KnexSignalStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await KnexSignalStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('runs on SQLite in every environment', () => {
    expect(databases.eachSupportedId()).toContainEqual(['SQLITE_3']);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    describe('insertSignals', () => {
      it('stores a batch and counts only new points when it is replayed', async () => {
        const { knex, store } = await createStore(databaseId);
        const batch = [
          point(T0, 10),
          point(T0 + MIN, 20),
          point(T0 + 2 * MIN, 30, { stage: '', signal: 'quality' }),
        ];

        await expect(store.insertSignals(batch)).resolves.toEqual({
          inserted: 3,
        });
        await expect(store.insertSignals(batch)).resolves.toEqual({
          inserted: 0,
        });
        // A replay that overlaps: only the new point counts.
        await expect(
          store.insertSignals([...batch, point(T0 + 3 * MIN, 40)]),
        ).resolves.toEqual({ inserted: 1 });
        expect(await count(knex, 'ai_signal_points')).toBe(4);
      });

      it('keeps the first value of a point and tells sources apart', async () => {
        const { knex, store } = await createStore(databaseId);
        await store.insertSignals([point(T0, 10)]);

        // Same key (pipeline, stage, signal, ts, source), another value: ignored.
        await expect(store.insertSignals([point(T0, 99)])).resolves.toEqual({
          inserted: 0,
        });
        // Same instant from another source: a point of its own.
        await expect(
          store.insertSignals([point(T0, 30, { source: 'prometheus' })]),
        ).resolves.toEqual({ inserted: 1 });

        const rows = await knex('ai_signal_points')
          .orderBy('source')
          .select('source', 'value');
        expect(rows.map(r => [r.source, Number(r.value)])).toEqual([
          ['prometheus', 30],
          ['push', 10],
        ]);
        const [series] = await store.querySeries(PIPELINE, {
          from: T0,
          to: T0 + HOUR,
        });
        expect(series.buckets).toEqual([
          { t: iso(T0), avg: 20, min: 10, max: 30, count: 2 },
        ]);
      });

      it('counts a point repeated within one batch once', async () => {
        const { knex, store } = await createStore(databaseId);
        await expect(
          store.insertSignals([point(T0, 10), point(T0, 10), point(T0, 11)]),
        ).resolves.toEqual({ inserted: 1 });
        expect(await count(knex, 'ai_signal_points')).toBe(1);
        const [series] = await store.querySeries(PIPELINE, {
          from: T0,
          to: T0 + HOUR,
        });
        expect(series.buckets[0].count).toBe(1);
      });

      it('accepts an empty batch without touching the database', async () => {
        const { knex, store } = await createStore(databaseId);
        await expect(store.insertSignals([])).resolves.toEqual({ inserted: 0 });
        expect(await tableCounts(knex)).toEqual({
          points: 0,
          rollups: 0,
          latest: 0,
        });
      });

      it('writes nothing of a batch that fails part-way', async () => {
        const { knex, store } = await createStore(databaseId);
        await store.insertSignals([point(T0 - DAY, 5)]);
        const before = await tableCounts(knex);
        const rollupsBefore = await knex('ai_signal_rollups')
          .orderBy(['resolution', 'bucket'])
          .select();

        // More points than one INSERT carries (SQLite binds at most 32,766
        // values, 5,461 points), so earlier statements succeed before the
        // last point (NULL value: the column rejects it on every database)
        // fails the batch.
        const batch = Array.from({ length: 12_000 }, (_, i) =>
          point(T0 + i * 1000, i),
        );
        batch.push(point(T0 + DAY, null as unknown as number));
        const pointInserts: string[] = [];
        const onQuery = (q: { sql: string }) => {
          if (/^\s*insert into "?ai_signal_points/i.test(q.sql)) {
            pointInserts.push(q.sql);
          }
        };
        knex.on('query', onQuery);
        // (Not `rejects.toThrow()`: see NOT_NULL_VIOLATION.)
        await expect(store.insertSignals(batch)).rejects.toHaveProperty(
          'message',
          NOT_NULL_VIOLATION,
        );
        knex.off('query', onQuery);
        expect(pointInserts.length).toBeGreaterThan(1);

        expect(await tableCounts(knex)).toEqual(before);
        expect(
          await knex('ai_signal_rollups')
            .orderBy(['resolution', 'bucket'])
            .select(),
        ).toEqual(rollupsBefore);
        expect(
          (await store.lastFreshness()).get(`${PIPELINE}\u0000ingest`),
        ).toBe(T0 - DAY);

        // The good part of the batch goes in once the bad point is gone.
        await expect(store.insertSignals(batch.slice(0, -1))).resolves.toEqual({
          inserted: 12_000,
        });
      });
    });

    describe('rollups', () => {
      it('aggregates hourly and daily buckets across their boundaries', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0 - 1, 1), // last ms of the previous hour and day
          point(T0, 2),
          point(T0 + 30 * MIN, 6),
          point(T0 + HOUR - 1, 4),
          point(T0 + HOUR, 8),
          point(T0 + DAY - 1, 10), // last hour of the day
          point(T0 + DAY, 100), // next day
        ]);

        const hourly = await store.querySeries(PIPELINE, {
          from: T0 - DAY,
          to: T0 + 2 * DAY,
        });
        expect(hourly).toEqual([
          {
            signal: 'freshness',
            stage: 'ingest',
            resolution: 'hour',
            buckets: [
              { t: iso(T0 - HOUR), avg: 1, min: 1, max: 1, count: 1 },
              { t: iso(T0), avg: 4, min: 2, max: 6, count: 3 },
              { t: iso(T0 + HOUR), avg: 8, min: 8, max: 8, count: 1 },
              { t: iso(T0 + DAY - HOUR), avg: 10, min: 10, max: 10, count: 1 },
              { t: iso(T0 + DAY), avg: 100, min: 100, max: 100, count: 1 },
            ],
          },
        ]);

        const daily = await store.querySeries(PIPELINE, {
          from: T0 - 7 * DAY,
          to: T0 + 2 * DAY,
        });
        expect(daily).toEqual([
          {
            signal: 'freshness',
            stage: 'ingest',
            resolution: 'day',
            buckets: [
              { t: iso(T0 - DAY), avg: 1, min: 1, max: 1, count: 1 },
              { t: iso(T0), avg: 6, min: 2, max: 10, count: 5 },
              { t: iso(T0 + DAY), avg: 100, min: 100, max: 100, count: 1 },
            ],
          },
        ]);
      });

      it('recomputes the buckets a second batch touches, and only those', async () => {
        const { knex, store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0, 2),
          point(T0 + 30 * MIN, 6),
          point(T0 + 5 * HOUR, 50),
        ]);
        await store.insertSignals([
          point(T0 + 10 * MIN, 1), // same hour: new minimum
          point(T0 + 20 * MIN, 11), // same hour: new maximum
          point(T0, 2), // replayed: no change
        ]);

        const [hourly] = await store.querySeries(PIPELINE, {
          from: T0,
          to: T0 + DAY,
        });
        expect(hourly.buckets).toEqual([
          { t: iso(T0), avg: 5, min: 1, max: 11, count: 4 },
          { t: iso(T0 + 5 * HOUR), avg: 50, min: 50, max: 50, count: 1 },
        ]);
        const [daily] = await store.querySeries(PIPELINE, {
          from: T0,
          to: T0 + 30 * DAY,
        });
        expect(daily.buckets).toEqual([
          { t: iso(T0), avg: 14, min: 1, max: 50, count: 5 },
        ]);
        // One row per (series, resolution, bucket), never duplicated.
        expect(await count(knex, 'ai_signal_rollups')).toBe(3);
      });

      it('keeps series of other stages, signals and pipelines apart', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0, 1),
          point(T0, 2, { stage: 'embed' }),
          point(T0, 3, { signal: 'latency' }),
          point(T0, 4, { stage: '', signal: 'quality' }),
          point(T0, 5, { pipeline: OTHER_PIPELINE }),
        ]);

        const series = await store.querySeries(PIPELINE, {
          from: T0,
          to: T0 + HOUR,
        });
        const summary = series.map(s => [
          s.stage,
          s.signal,
          s.buckets.map(b => b.avg),
        ]);
        expect(summary).toEqual(
          expect.arrayContaining([
            [null, 'quality', [4]],
            ['embed', 'freshness', [2]],
            ['ingest', 'freshness', [1]],
            ['ingest', 'latency', [3]],
          ]),
        );
        expect(summary).toHaveLength(4);
        const other = await store.querySeries(OTHER_PIPELINE, {
          from: T0,
          to: T0 + HOUR,
        });
        expect(other.map(s => s.buckets[0].avg)).toEqual([5]);
      });
    });

    describe('concurrent batches', () => {
      it('count every point of batches that fill the same buckets at once, and a point several carry once', async () => {
        const { knex, store } = await createStore(databaseId);
        // 800 points over two hours; 8 batches each take every 8th point
        // and all carry the first 50, reversed in every other batch, so
        // they share buckets, points and (reversed) their order.
        const all = Array.from({ length: 800 }, (_, i) =>
          point(T0 + i * 9_000, (i * 37) % 101),
        );
        const shared = all.slice(0, 50);
        const batches = Array.from({ length: 8 }, (_, b) => {
          const batch = [
            ...shared,
            ...all.slice(50).filter((__, i) => i % 8 === b),
          ];
          return b % 2 ? batch.reverse() : batch;
        });

        const results = await Promise.all(
          batches.map(batch => store.insertSignals(batch)),
        );
        expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(800);
        const replays = await Promise.all(
          batches.map(batch => store.insertSignals(batch)),
        );
        expect(replays.map(r => r.inserted)).toEqual(new Array(8).fill(0));

        const bucket = (points: SignalPoint[]) => ({
          count: points.length,
          sum: points.reduce((n, p) => n + p.value, 0),
          min: Math.min(...points.map(p => p.value)),
          max: Math.max(...points.map(p => p.value)),
        });
        const rows = await knex('ai_signal_rollups').orderBy([
          'resolution',
          'bucket',
        ]);
        expect(
          rows.map(r => ({
            resolution: r.resolution,
            bucket: Number(r.bucket),
            count: Number(r.count),
            sum: Number(r.sum),
            min: Number(r.min),
            max: Number(r.max),
          })),
        ).toEqual([
          { resolution: 'day', bucket: T0, ...bucket(all) },
          { resolution: 'hour', bucket: T0, ...bucket(all.slice(0, 400)) },
          {
            resolution: 'hour',
            bucket: T0 + HOUR,
            ...bucket(all.slice(400)),
          },
        ]);
        expect(
          (await store.lastFreshness()).get(`${PIPELINE}\u0000ingest`),
        ).toBe(T0 + 799 * 9_000);
      });
    });

    describe('querySeries', () => {
      it('reads hourly buckets up to 7 days and daily buckets beyond', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([point(T0 + HOUR, 1)]);

        const resolution = async (from: number, to: number) =>
          (await store.querySeries(PIPELINE, { from, to }))[0]?.resolution;
        expect(await resolution(T0, T0 + DAY)).toBe('hour');
        expect(await resolution(T0, T0 + 7 * DAY)).toBe('hour');
        expect(await resolution(T0, T0 + 7 * DAY + 1)).toBe('day');
        expect(await resolution(T0 - 20 * DAY, T0 + 20 * DAY)).toBe('day');
      });

      it('includes the bucket holding `from` and excludes buckets from `to` on', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0, 1),
          point(T0 + HOUR, 2),
          point(T0 + 2 * HOUR, 3),
        ]);

        const [series] = await store.querySeries(PIPELINE, {
          from: T0 + 30 * MIN,
          to: T0 + 2 * HOUR,
        });
        expect(series.buckets.map(b => b.t)).toEqual([iso(T0), iso(T0 + HOUR)]);
        await expect(
          store.querySeries(PIPELINE, { from: T0 + 3 * HOUR, to: T0 + DAY }),
        ).resolves.toEqual([]);
      });
    });

    describe('querySamples', () => {
      it('returns hourly means from the hourly start and raw points from the fine start', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0 - 2 * HOUR, 100), // before hourlyFrom's bucket
          point(T0 - HOUR + 10 * MIN, 2),
          point(T0 - HOUR + 50 * MIN, 4),
          point(T0 + 5 * MIN, 6),
          point(T0 + 10 * MIN, 8),
          point(T0 + HOUR, 1000), // at `to`: excluded
          point(T0 + 5 * MIN, 77, { stage: 'embed' }), // another stage
          point(T0 + 5 * MIN, 77, { signal: 'latency' }), // another signal
        ]);

        const [samples] = await store.querySamples(
          [
            {
              pipeline: PIPELINE,
              stage: 'ingest',
              signal: 'freshness',
              hourlyFrom: T0 - HOUR + 30 * MIN, // inside the T0 - 1h bucket
            },
          ],
          { fineFrom: T0 - HOUR + 50 * MIN, to: T0 + HOUR },
        );
        expect(samples).toEqual({
          hourly: [
            { start: T0 - HOUR, value: 3 },
            { start: T0, value: 7 },
          ],
          fine: [
            { start: T0 - HOUR + 50 * MIN, value: 4 },
            { start: T0 + 5 * MIN, value: 6 },
            { start: T0 + 10 * MIN, value: 8 },
          ],
        });
      });

      it('reads pipeline-level series under the empty stage', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0, 0.9, { stage: '', signal: 'quality' }),
        ]);
        const [samples] = await store.querySamples(
          [
            {
              pipeline: PIPELINE,
              stage: '',
              signal: 'quality',
              hourlyFrom: T0 - DAY,
            },
          ],
          { fineFrom: T0 - HOUR, to: T0 + HOUR },
        );
        expect(samples).toEqual({
          hourly: [{ start: T0, value: 0.9 }],
          fine: [{ start: T0, value: 0.9 }],
        });
      });

      it('answers many series of many pipelines in the order asked, each from its own hourly start', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0 - 3 * HOUR, 1),
          point(T0, 2),
          point(T0, 5, { pipeline: OTHER_PIPELINE }),
          point(T0, 9, { stage: '', signal: 'quality' }),
        ]);
        const range = { fineFrom: T0, to: T0 + HOUR };
        const samples = await store.querySamples(
          [
            {
              pipeline: OTHER_PIPELINE,
              stage: 'ingest',
              signal: 'freshness',
              hourlyFrom: T0 - DAY,
            },
            {
              pipeline: PIPELINE,
              stage: 'ingest',
              signal: 'freshness',
              hourlyFrom: T0 - HOUR,
            },
            {
              pipeline: PIPELINE,
              stage: 'ingest',
              signal: 'freshness',
              hourlyFrom: T0 - DAY,
            },
            {
              pipeline: PIPELINE,
              stage: '',
              signal: 'quality',
              hourlyFrom: T0 - DAY,
            },
            {
              pipeline: PIPELINE,
              stage: 'embed',
              signal: 'freshness',
              hourlyFrom: T0 - DAY,
            },
          ],
          range,
        );
        expect(samples).toEqual([
          {
            hourly: [{ start: T0, value: 5 }],
            fine: [{ start: T0, value: 5 }],
          },
          {
            hourly: [{ start: T0, value: 2 }],
            fine: [{ start: T0, value: 2 }],
          },
          {
            hourly: [
              { start: T0 - 3 * HOUR, value: 1 },
              { start: T0, value: 2 },
            ],
            fine: [{ start: T0, value: 2 }],
          },
          {
            hourly: [{ start: T0, value: 9 }],
            fine: [{ start: T0, value: 9 }],
          },
          { hourly: [], fine: [] },
        ]);
        await expect(store.querySamples([], range)).resolves.toEqual([]);
      });
    });

    describe('queryTrends', () => {
      it('compares the mean of the last 24 h with the 7 days before', async () => {
        const { store } = await createStore(databaseId);
        const to = T0 + 12 * HOUR;
        await store.insertSignals([
          // Recent: [to - 24 h, to)
          point(to - HOUR, 30),
          point(to - HOUR + MIN, 50),
          point(to - 23 * HOUR, 10),
          // Baseline: [to - 8 d, to - 24 h)
          point(to - DAY - HOUR, 4),
          point(to - 7 * DAY, 2),
          point(to - 8 * DAY, 6),
          // Ignored: before the baseline, and from `to` on
          point(to - 8 * DAY - HOUR, 1000),
          point(to, 1000),
          // Another series with a baseline only
          point(to - 3 * DAY, 0.9, { stage: '', signal: 'quality' }),
          // Another pipeline
          point(to - HOUR, 1, { pipeline: OTHER_PIPELINE }),
        ]);

        const trends = await store.queryTrends([PIPELINE, OTHER_PIPELINE], to);
        expect(trends.get(PIPELINE)).toHaveLength(2);
        expect(trends.get(PIPELINE)).toEqual(
          expect.arrayContaining([
            { stage: 'ingest', signal: 'freshness', recent: 30, baseline: 4 },
            { stage: null, signal: 'quality', recent: null, baseline: 0.9 },
          ]),
        );
        expect(trends.get(OTHER_PIPELINE)).toEqual([
          { stage: 'ingest', signal: 'freshness', recent: 1, baseline: null },
        ]);
      });

      it('is empty for a pipeline without recent or baseline data', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([point(T0 - 30 * DAY, 1)]);
        const trends = await store.queryTrends([PIPELINE], T0);
        expect(trends.get(PIPELINE)).toEqual([]);
      });
    });

    describe('lastFreshness', () => {
      it('gives the latest freshness point per pipeline and stage', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([
          point(T0, 1),
          point(T0 + HOUR, 2),
          point(T0 + 2 * HOUR, 3, { stage: 'embed' }),
          point(T0 + 9 * HOUR, 3, { signal: 'latency' }),
          point(T0 + 3 * HOUR, 4, { pipeline: OTHER_PIPELINE, stage: '' }),
        ]);
        // An older point arriving late does not move the latest back.
        await store.insertSignals([point(T0 - DAY, 9)]);

        expect(await store.lastFreshness()).toEqual(
          new Map([
            [`${PIPELINE}\u0000ingest`, T0 + HOUR],
            [`${PIPELINE}\u0000embed`, T0 + 2 * HOUR],
            [`${OTHER_PIPELINE}\u0000`, T0 + 3 * HOUR],
          ]),
        );

        // A newer point moves it forward.
        await store.insertSignals([point(T0 + 5 * HOUR, 5)]);
        expect(
          (await store.lastFreshness()).get(`${PIPELINE}\u0000ingest`),
        ).toBe(T0 + 5 * HOUR);
      });

      it('is empty without freshness points', async () => {
        const { store } = await createStore(databaseId);
        await store.insertSignals([point(T0, 1, { signal: 'cost' })]);
        expect((await store.lastFreshness()).size).toBe(0);
      });
    });

    it('returns bigint columns (timestamps, buckets, counts) as numbers', async () => {
      const { store } = await createStore(databaseId);
      // Beyond 2^31 ms and with large counts, as real data has.
      const batch = Array.from({ length: 50 }, (_, i) => point(T0 + i, i));
      await store.insertSignals(batch);

      const [series] = await store.querySeries(PIPELINE, {
        from: T0,
        to: T0 + DAY,
      });
      const [bucket] = series.buckets;
      expect(bucket).toEqual({
        t: iso(T0),
        avg: 24.5,
        min: 0,
        max: 49,
        count: 50,
      });
      expect(typeof bucket.count).toBe('number');
      expect(typeof bucket.min).toBe('number');

      const [samples] = await store.querySamples(
        [
          {
            pipeline: PIPELINE,
            stage: 'ingest',
            signal: 'freshness',
            hourlyFrom: T0,
          },
        ],
        { fineFrom: T0, to: T0 + DAY },
      );
      for (const sample of [...samples.hourly, ...samples.fine]) {
        expect(typeof sample.start).toBe('number');
        expect(typeof sample.value).toBe('number');
      }
      expect(samples.fine[49]).toEqual({ start: T0 + 49, value: 49 });

      const [trend] = (await store.queryTrends([PIPELINE], T0 + HOUR)).get(
        PIPELINE,
      )!;
      expect(typeof trend.recent).toBe('number');

      const latest = (await store.lastFreshness()).get(
        `${PIPELINE}\u0000ingest`,
      );
      expect(latest).toBe(T0 + 49);
      expect(typeof latest).toBe('number');
    });
  });
});
