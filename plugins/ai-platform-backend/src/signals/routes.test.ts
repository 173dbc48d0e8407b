import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import {
  KB_CHUNKS,
  KB_DOCS,
  KB_SYNC,
  SUPPORT_ANSWERS,
  signalsFixture,
} from '../__testUtils__/signalFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** "Now" of the dashboards: they evaluate SLOs at their `to`. */
const NOW = Date.parse('2025-06-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const SERVICE_HEADER = mockCredentials.service.header();
const USER = 'user:default/mock';

const DASHBOARD = '/pipelines/default/support-answers/dashboard';
const dashboardUrl = (from: number, to: number) =>
  `${DASHBOARD}?from=${iso(from)}&to=${iso(to)}`;

type Point = Record<string, unknown>;

/** A valid point of support-answers/ingest, `i` minutes before NOW. */
function goodPoint(i: number): Point {
  return {
    pipeline: 'support-answers',
    stage: 'ingest',
    signal: 'freshness',
    value: i,
    timestamp: NOW - i * MIN,
  };
}

function without(point: Point, field: string): Point {
  const { [field]: _omitted, ...rest } = point;
  return rest;
}

/**
 * `hours` hours of support-answers signals before NOW, one point per series
 * in the middle of each hour: ingest freshness, serve latency and end-to-end
 * quality. The functions get how many hours ago the hour started (1 = the
 * last hour).
 */
function history(
  values: {
    freshness: (hoursAgo: number) => number;
    latency: (hoursAgo: number) => number;
    quality: (hoursAgo: number) => number;
  },
  hours = 72,
): Point[] {
  const points: Point[] = [];
  for (let h = 1; h <= hours; h++) {
    const timestamp = iso(NOW - h * HOUR + 30 * MIN);
    points.push(
      {
        pipeline: 'support-answers',
        stage: 'ingest',
        signal: 'freshness',
        value: values.freshness(h),
        timestamp,
      },
      {
        pipeline: 'support-answers',
        stage: 'serve',
        signal: 'latency',
        value: values.latency(h),
        timestamp,
      },
      {
        pipeline: 'support-answers',
        signal: 'quality',
        value: values.quality(h),
        timestamp,
      },
    );
  }
  return points;
}

const healthyHistory = () =>
  history({ freshness: () => 60, latency: () => 0.2, quality: () => 0.95 });

/**
 * Quality is bad end to end; every stage meets its SLO, but ingest's
 * freshness lag grew from 1 min to 83 min over the last 24 h.
 */
const failingHistory = () =>
  history({
    freshness: h => (h <= 24 ? 5000 : 60),
    latency: () => 0.2,
    quality: () => 0.5,
  });

function runEvent(
  eventType: string,
  outputs: Array<Record<string, unknown>>,
  eventTime = iso(NOW),
): Record<string, unknown> {
  return {
    eventType,
    eventTime,
    producer: 'https://github.com/apache/airflow',
    schemaURL:
      'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: '0190a1a2-0000-7000-8000-000000000001' },
    job: { namespace: 'airflow', name: 'kb_ingest' },
    inputs: [],
    outputs,
  };
}

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

/** Rows in every table the signal and governance paths write. */
async function written(knex: Knex) {
  return {
    points: await count(knex, 'ai_signal_points'),
    rollups: await count(knex, 'ai_signal_rollups'),
    latest: await count(knex, 'ai_signal_latest'),
    halts: await count(knex, 'ai_pipeline_halts'),
    audit: await count(knex, 'ai_audit_events'),
  };
}

const NOTHING = { points: 0, rollups: 0, latest: 0, halts: 0, audit: 0 };

describe('signals, dashboards and governance over HTTP', () => {
  const databases = createTestDatabases();

  it('runs on SQLite in every environment', () => {
    expect(databases.eachSupportedId()).toContainEqual(['SQLITE_3']);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    /**
     * The app over a fresh database. Requests carry service credentials by
     * default; pass `user` for a user by default (and send SERVICE_HEADER
     * to ingest).
     */
    async function setup(
      options: {
        user?: boolean;
        httpAuth?: HttpAuthService;
        permissions?: PermissionsService;
        config?: JsonObject;
        knex?: Knex;
        catalog?: CatalogService;
      } = {},
    ) {
      const knex =
        options.knex ?? (await databases.init(databaseId as TestDatabaseId));
      const httpAuth =
        options.httpAuth ??
        (options.user
          ? mockServices.httpAuth()
          : mockServices.httpAuth({
              defaultCredentials: mockCredentials.service(),
            }));
      return createTestApp({
        entities: signalsFixture(),
        knex,
        httpAuth,
        permissions: options.permissions,
        now: NOW,
        config: options.config,
        catalog: options.catalog,
      });
    }

    describe('POST /signals', () => {
      it('stores a batch under normalized refs and answers with the counts', async () => {
        const { app, knex } = await setup();

        const res = await request(app)
          .post('/signals')
          .send({
            signals: [
              {
                pipeline: 'support-answers',
                stage: 'ingest',
                signal: 'freshness',
                value: 120,
                timestamp: iso(NOW - HOUR),
              },
              {
                pipeline: 'aipipeline:default/support-answers',
                stage: null,
                signal: 'quality',
                value: 0.9,
                timestamp: NOW - HOUR,
                source: 'evals',
              },
              {
                pipeline: 'default/support-answers',
                stage: 'serve',
                signal: 'latency',
                value: 0.25,
                timestamp: '2025-06-01T13:00:00+02:00',
              },
            ],
          });

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: 3, inserted: 3 });
        const rows = await knex('ai_signal_points')
          .orderBy('signal')
          .select('pipeline', 'stage', 'signal', 'ts', 'source', 'value');
        expect(
          rows.map(r => ({ ...r, ts: Number(r.ts), value: Number(r.value) })),
        ).toEqual([
          {
            pipeline: SUPPORT_ANSWERS,
            stage: 'ingest',
            signal: 'freshness',
            ts: NOW - HOUR,
            source: 'push',
            value: 120,
          },
          {
            pipeline: SUPPORT_ANSWERS,
            stage: 'serve',
            signal: 'latency',
            ts: NOW - HOUR,
            source: 'push',
            value: 0.25,
          },
          {
            pipeline: SUPPORT_ANSWERS,
            stage: '',
            signal: 'quality',
            ts: NOW - HOUR,
            source: 'evals',
            value: 0.9,
          },
        ]);
      });

      it('ignores a replayed batch: inserted 0, dashboard unchanged', async () => {
        const { app, knex } = await setup();
        const signals = failingHistory();

        const first = await request(app).post('/signals').send({ signals });
        expect(first.body).toEqual({
          received: signals.length,
          inserted: signals.length,
        });
        const before = await request(app).get(dashboardUrl(NOW - 3 * DAY, NOW));
        expect(before.status).toBe(200);
        const rowsBefore = await written(knex);

        const replay = await request(app).post('/signals').send({ signals });
        expect(replay.status).toBe(200);
        expect(replay.body).toEqual({ received: signals.length, inserted: 0 });

        const after = await request(app).get(dashboardUrl(NOW - 3 * DAY, NOW));
        expect(after.body).toEqual(before.body);
        expect(await written(knex)).toEqual(rowsBefore);

        // A batch overlapping the stored points counts only the new ones.
        const overlap = await request(app)
          .post('/signals')
          .send({ signals: [...signals.slice(0, 5), goodPoint(7)] });
        expect(overlap.body).toEqual({ received: 6, inserted: 1 });
      });

      describe('rejects an invalid point with 400, naming it, writing nothing', () => {
        it.each<[string, unknown, string]>([
          [
            'an unknown signal',
            { ...goodPoint(9), signal: 'vibes' },
            'signals[1].signal',
          ],
          [
            'an unknown pipeline',
            { ...goodPoint(9), pipeline: 'nope' },
            'signals[1].pipeline: unknown pipeline aipipeline:default/nope',
          ],
          [
            'a ref of another kind',
            { ...goodPoint(9), pipeline: 'component:default/ingest' },
            'signals[1].pipeline: "component:default/ingest" is not an AIPipeline ref',
          ],
          [
            'an unknown stage',
            { ...goodPoint(9), stage: 'rerank' },
            'signals[1].stage: pipeline aipipeline:default/support-answers has no stage "rerank"',
          ],
          [
            'a stage of another pipeline',
            { ...goodPoint(9), stage: 'sync' },
            'signals[1].stage',
          ],
          [
            'an empty stage',
            { ...goodPoint(9), stage: '' },
            'signals[1].stage',
          ],
          [
            'a value that is a string',
            { ...goodPoint(9), value: '0.9' },
            'signals[1].value',
          ],
          [
            'a missing value',
            without(goodPoint(9), 'value'),
            'signals[1].value',
          ],
          [
            'a missing pipeline',
            without(goodPoint(9), 'pipeline'),
            'signals[1].pipeline',
          ],
          [
            'a missing signal',
            without(goodPoint(9), 'signal'),
            'signals[1].signal',
          ],
          [
            'a missing timestamp',
            without(goodPoint(9), 'timestamp'),
            'signals[1].timestamp',
          ],
          [
            'a timestamp that is no date',
            { ...goodPoint(9), timestamp: 'yesterday' },
            'signals[1].timestamp: "yesterday" is not an ISO 8601 timestamp or epoch milliseconds',
          ],
          [
            'an empty timestamp',
            { ...goodPoint(9), timestamp: '' },
            'signals[1].timestamp',
          ],
          [
            'a timestamp of another type',
            { ...goodPoint(9), timestamp: true },
            'signals[1].timestamp',
          ],
          [
            'epoch milliseconds beyond the range of dates',
            { ...goodPoint(9), timestamp: 1e20 },
            'signals[1].timestamp',
          ],
          [
            'fractional epoch milliseconds',
            { ...goodPoint(9), timestamp: NOW + 0.5 },
            'signals[1].timestamp',
          ],
          [
            'epoch milliseconds before 1970',
            { ...goodPoint(9), timestamp: -HOUR },
            'signals[1].timestamp',
          ],
          [
            'a source longer than 64 characters',
            { ...goodPoint(9), source: 'x'.repeat(65) },
            'signals[1].source',
          ],
          ['a point that is not an object', 'freshness=9', 'signals[1]'],
        ])('%s', async (_case, bad, field) => {
          const { app, knex } = await setup();

          const res = await request(app)
            .post('/signals')
            .send({ signals: [goodPoint(1), bad, goodPoint(2)] });

          expect(res.status).toBe(400);
          expect(res.body.error.name).toBe('InputError');
          expect(res.body.error.message).toContain(field);
          expect(res.body.error.message).toContain('nothing was written');
          expect(await written(knex)).toEqual(NOTHING);
        });
      });

      it('rejects a non-finite value (1e999 in the JSON) with 400', async () => {
        const { app, knex } = await setup();
        const body = `{"signals":[${JSON.stringify(
          goodPoint(1),
        )},{"pipeline":"support-answers","stage":"ingest","signal":"freshness","value":1e999,"timestamp":${NOW}}]}`;

        const res = await request(app)
          .post('/signals')
          .set('content-type', 'application/json')
          .send(body);

        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(
          'signals[1].value: must be a finite number',
        );
        expect(await written(knex)).toEqual(NOTHING);
      });

      it('reports every invalid point, not just the first', async () => {
        const { app, knex } = await setup();
        const res = await request(app)
          .post('/signals')
          .send({
            signals: [
              { ...goodPoint(1), signal: 'vibes' },
              goodPoint(2),
              without(goodPoint(3), 'value'),
            ],
          });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('signals[0].signal');
        expect(res.body.error.message).toContain('signals[2].value');
        expect(await written(knex)).toEqual(NOTHING);
      });

      it.each<[string, unknown, string]>([
        [
          'an empty batch',
          { signals: [] },
          'signals: must hold at least one point',
        ],
        ['a body without signals', { points: [goodPoint(1)] }, 'signals'],
        ['signals that are not an array', { signals: goodPoint(1) }, 'signals'],
        ['a body that is an array', [goodPoint(1)], 'body'],
      ])('rejects %s with 400', async (_case, body, field) => {
        const { app, knex } = await setup();
        const res = await request(app)
          .post('/signals')
          .send(body as object);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        expect(await written(knex)).toEqual(NOTHING);
      });

      it('answers 400, not 500, to a body that is not JSON', async () => {
        const { app, knex } = await setup();
        const res = await request(app)
          .post('/signals')
          .set('content-type', 'application/json')
          .send('{"signals": [{"pipeline": ');
        expect(res.status).toBe(400);
        expect(await written(knex)).toEqual(NOTHING);
      });
    });

    describe('credentials', () => {
      it('refuses user credentials on the ingestion routes with 403', async () => {
        const { app, knex } = await setup({ user: true });

        const signals = await request(app)
          .post('/signals')
          .send({ signals: [goodPoint(1)] });
        expect(signals.status).toBe(403);
        const lineage = await request(app)
          .post('/openlineage')
          .send(runEvent('COMPLETE', [KB_DOCS]));
        expect(lineage.status).toBe(403);
        expect(await written(knex)).toEqual(NOTHING);
      });

      it('accepts service credentials, by default or by token', async () => {
        const { app } = await setup();
        const byDefault = await request(app)
          .post('/signals')
          .send({ signals: [goodPoint(1)] });
        expect(byDefault.body).toEqual({ received: 1, inserted: 1 });

        const asUser = await setup({ user: true });
        const byToken = await request(asUser.app)
          .post('/signals')
          .set('Authorization', SERVICE_HEADER)
          .send({ signals: [goodPoint(1)] });
        expect(byToken.status).toBe(200);
        expect(byToken.body).toEqual({ received: 1, inserted: 1 });
      });

      it('refuses unauthenticated requests with 401', async () => {
        const { app, knex } = await setup({
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
        });
        const res = await request(app)
          .post('/signals')
          .send({ signals: [goodPoint(1)] });
        expect(res.status).toBe(401);
        expect(
          (await request(app).get(dashboardUrl(NOW - DAY, NOW))).status,
        ).toBe(401);
        expect(await written(knex)).toEqual(NOTHING);
      });
    });

    describe('POST /openlineage', () => {
      it('turns a COMPLETE run writing a declared output into freshness points', async () => {
        const { app, knex } = await setup();

        const res = await request(app)
          .post('/openlineage')
          .send(runEvent('COMPLETE', [KB_DOCS]));

        // KB_DOCS is an output of support-answers/ingest and kb-sync/sync.
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: 1, inserted: 2, matched: 2 });
        const rows = await knex('ai_signal_points')
          .orderBy('pipeline')
          .select('pipeline', 'stage', 'signal', 'ts', 'source', 'value');
        expect(
          rows.map(r => ({ ...r, ts: Number(r.ts), value: Number(r.value) })),
        ).toEqual([
          {
            pipeline: KB_SYNC,
            stage: 'sync',
            signal: 'freshness',
            ts: NOW,
            source: 'openlineage',
            value: 0,
          },
          {
            pipeline: SUPPORT_ANSWERS,
            stage: 'ingest',
            signal: 'freshness',
            ts: NOW,
            source: 'openlineage',
            value: 0,
          },
        ]);

        const dashboard = await request(app).get(
          dashboardUrl(NOW - DAY, NOW + HOUR),
        );
        expect(dashboard.body.series).toEqual([
          {
            stage: 'ingest',
            signal: 'freshness',
            resolution: 'hour',
            buckets: [{ t: iso(NOW), avg: 0, min: 0, max: 0, count: 1 }],
          },
        ]);

        // The same event again: matched, but nothing new.
        const replay = await request(app)
          .post('/openlineage')
          .send(runEvent('COMPLETE', [KB_DOCS]));
        expect(replay.body).toEqual({ received: 1, inserted: 0, matched: 2 });
      });

      it('takes the lag from the dataset facet when it says when the data changed', async () => {
        const { app, knex } = await setup();
        const res = await request(app)
          .post('/openlineage')
          .send(
            runEvent('COMPLETE', [
              {
                ...KB_CHUNKS,
                facets: {
                  lifecycleStateChange: {
                    lifecycleStateChange: 'OVERWRITE',
                    lastUpdated: iso(NOW - 90_000),
                  },
                },
              },
            ]),
          );
        expect(res.body).toEqual({ received: 1, inserted: 1, matched: 1 });
        const [row] = await knex('ai_signal_points').select();
        expect(row.stage).toBe('embed');
        expect(Number(row.value)).toBe(90);
      });

      it('ignores runs that did not complete and datasets no stage declares', async () => {
        const { app, knex } = await setup();

        const start = await request(app)
          .post('/openlineage')
          .send(runEvent('START', [KB_DOCS]));
        expect(start.status).toBe(200);
        expect(start.body).toEqual({ received: 1, inserted: 0, matched: 0 });

        const unknown = await request(app)
          .post('/openlineage')
          .send(
            runEvent('COMPLETE', [{ namespace: 's3://elsewhere', name: 'x' }]),
          );
        expect(unknown.status).toBe(200);
        expect(unknown.body).toEqual({ received: 1, inserted: 0, matched: 0 });

        const noOutputs = await request(app)
          .post('/openlineage')
          .send(without(runEvent('COMPLETE', []), 'outputs'));
        expect(noOutputs.body).toEqual({
          received: 1,
          inserted: 0,
          matched: 0,
        });
        expect(await written(knex)).toEqual(NOTHING);
      });

      it('accepts an array of events', async () => {
        const { app, knex } = await setup();
        const res = await request(app)
          .post('/openlineage')
          .send([
            runEvent('START', [KB_CHUNKS], iso(NOW - HOUR)),
            runEvent('FAIL', [KB_CHUNKS], iso(NOW - 30 * MIN)),
            runEvent('COMPLETE', [KB_CHUNKS], iso(NOW)),
            runEvent('COMPLETE', [{ namespace: 's3://elsewhere', name: 'x' }]),
          ]);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ received: 4, inserted: 1, matched: 1 });
        expect(await count(knex, 'ai_signal_points')).toBe(1);
      });

      it.each<[string, unknown, string]>([
        [
          'a missing run id',
          { ...runEvent('COMPLETE', [KB_DOCS]), run: {} },
          'run.runId',
        ],
        ['an unknown event type', runEvent('DONE', [KB_DOCS]), 'eventType'],
        [
          'an event time that is no date',
          runEvent('COMPLETE', [KB_DOCS], 'now'),
          'eventTime: "now" is not an ISO 8601 timestamp',
        ],
        [
          'a dataset without a name',
          runEvent('COMPLETE', [{ namespace: 's3://kb' }]),
          'outputs[0].name',
        ],
        [
          'the second event of an array',
          [runEvent('COMPLETE', [KB_DOCS]), runEvent('DONE', [KB_DOCS])],
          '[1].eventType',
        ],
        [
          'the time of the second event of an array',
          [
            runEvent('COMPLETE', [KB_DOCS]),
            runEvent('COMPLETE', [KB_DOCS], 'later'),
          ],
          '[1].eventTime',
        ],
        ['an empty object', {}, 'eventType'],
      ])('rejects %s with 400 naming the field', async (_case, body, field) => {
        const { app, knex } = await setup();
        const res = await request(app)
          .post('/openlineage')
          .send(body as object);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
        expect(await written(knex)).toEqual(NOTHING);
      });
    });

    describe('GET /pipelines/:namespace/:name/dashboard', () => {
      it('shows series, SLO reports and a healthy pipeline', async () => {
        const { app } = await setup();
        await request(app)
          .post('/signals')
          .send({ signals: healthyHistory() })
          .expect(200);

        const res = await request(app).get(dashboardUrl(NOW - 3 * DAY, NOW));

        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          pipeline: SUPPORT_ANSWERS,
          from: iso(NOW - 3 * DAY),
          to: iso(NOW),
          health: 'healthy',
          explanation: 'All 3 SLOs are met.',
          suspect: null,
          halt: { halted: false, reason: null, by: null, at: null },
        });
        const series = Object.fromEntries(
          res.body.series.map((s: any) => [`${s.stage}/${s.signal}`, s]),
        );
        expect(Object.keys(series).sort()).toEqual([
          'ingest/freshness',
          'null/quality',
          'serve/latency',
        ]);
        const quality = series['null/quality'];
        expect(quality.resolution).toBe('hour');
        expect(quality.buckets).toHaveLength(72);
        expect(quality.buckets[0]).toEqual({
          t: iso(NOW - 72 * HOUR),
          avg: 0.95,
          min: 0.95,
          max: 0.95,
          count: 1,
        });
        expect(quality.buckets[71].t).toBe(iso(NOW - HOUR));

        expect(
          res.body.slos.map((s: any) => [
            s.name,
            s.stage,
            s.status,
            s.attainment,
          ]),
        ).toEqual([
          ['ingest-freshness', 'ingest', 'ok', 1],
          ['serve-latency', 'serve', 'ok', 1],
          ['answer-quality', null, 'ok', 1],
        ]);
        expect(res.body.slos[2]).toMatchObject({
          signal: 'quality',
          objective: { op: '>=', threshold: 0.8 },
          target: 0.9,
          window: '7d',
          errorBudgetRemaining: 1,
        });
        expect(res.body.slos[2].burnRates).toHaveLength(3);
      });

      it('is failing when the end-to-end SLO is breached while the stage SLOs are ok', async () => {
        const { app } = await setup();
        await request(app)
          .post('/signals')
          .send({ signals: failingHistory() })
          .expect(200);

        const res = await request(app).get(dashboardUrl(NOW - 3 * DAY, NOW));

        expect(res.status).toBe(200);
        expect(
          res.body.slos.map((s: any) => [s.name, s.status, s.attainment]),
        ).toEqual([
          ['ingest-freshness', 'ok', 1],
          ['serve-latency', 'ok', 1],
          ['answer-quality', 'breached', 0],
        ]);
        expect(res.body.health).toBe('failing');
        expect(res.body.explanation).toMatch(
          /^End-to-end SLO answer-quality is breached/,
        );
        expect(res.body.explanation).toContain(
          'Most likely cause: stage ingest — freshness lag grew',
        );
        expect(res.body.explanation).toContain('upstream of embed and serve');
        expect(res.body.suspect).toEqual({
          stage: 'ingest',
          signal: 'freshness',
          reason: expect.stringContaining('freshness lag grew'),
        });
        const freshness = res.body.series.find(
          (s: any) => s.stage === 'ingest' && s.signal === 'freshness',
        );
        expect(freshness.buckets[0].avg).toBe(60);
        expect(freshness.buckets[71].avg).toBe(5000);
      });

      it('switches to daily buckets for ranges beyond 7 days', async () => {
        const { app } = await setup();
        await request(app)
          .post('/signals')
          .send({ signals: healthyHistory() })
          .expect(200);

        const res = await request(app).get(dashboardUrl(NOW - 30 * DAY, NOW));
        const freshness = res.body.series.find(
          (s: any) => s.stage === 'ingest' && s.signal === 'freshness',
        );
        // 72 hours from 29 May 12:00 to 1 June 12:00.
        expect(freshness.resolution).toBe('day');
        expect(
          freshness.buckets.map((b: any) => [b.t.slice(0, 10), b.count]),
        ).toEqual([
          ['2025-05-29', 12],
          ['2025-05-30', 24],
          ['2025-05-31', 24],
          ['2025-06-01', 12],
        ]);
      });

      it('has unknown health without data', async () => {
        const { app } = await setup();
        const res = await request(app).get(dashboardUrl(NOW - DAY, NOW));
        expect(res.status).toBe(200);
        expect(res.body.series).toEqual([]);
        expect(res.body.health).toBe('unknown');
        expect(res.body.slos.map((s: any) => s.status)).toEqual([
          'no-data',
          'no-data',
          'no-data',
        ]);
      });

      it.each([
        ['from=yesterday', 'from'],
        [`from=${iso(NOW - DAY)}&to=soon`, 'to'],
        [`from=${iso(NOW)}&to=${iso(NOW - DAY)}`, 'from: must be before to'],
        [`from=${iso(NOW - 401 * DAY)}&to=${iso(NOW)}`, 'at most 400 days'],
        [`from=a&from=b`, 'from'],
      ])('answers 400 to ?%s', async (query, message) => {
        const { app } = await setup();
        const res = await request(app).get(`${DASHBOARD}?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
      });

      it('answers 404 for an unknown pipeline', async () => {
        const { app } = await setup();
        const res = await request(app).get(
          `/pipelines/default/nope/dashboard?from=${iso(NOW - DAY)}&to=${iso(
            NOW,
          )}`,
        );
        expect(res.status).toBe(404);
        expect(res.body.error.name).toBe('NotFoundError');
      });
    });

    describe('halt and resume', () => {
      const HALT = '/pipelines/default/support-answers/halt';
      const RESUME = '/pipelines/default/support-answers/resume';

      it('refuses without the halt permission, writing nothing', async () => {
        const { app, knex } = await setup({
          user: true,
          permissions: mockServices.permissions({
            result: AuthorizeResult.DENY,
          }),
        });

        const halt = await request(app)
          .post(HALT)
          .send({ reason: 'quality fell' });
        expect(halt.status).toBe(403);
        expect(halt.body.error.message).toContain('ai-platform.pipeline.halt');
        const resume = await request(app).post(RESUME).send({ reason: 'ok' });
        expect(resume.status).toBe(403);

        expect(await written(knex)).toEqual(NOTHING);
        const state = await request(app).get(HALT);
        expect(state.body).toEqual({
          halted: false,
          reason: null,
          by: null,
          at: null,
        });
      });

      it('halts and resumes, shows it everywhere and audits it', async () => {
        const { app } = await setup({ user: true });
        await request(app)
          .post('/signals')
          .set('Authorization', SERVICE_HEADER)
          .send({ signals: healthyHistory() })
          .expect(200);

        const halt = await request(app)
          .post(HALT)
          .send({ reason: '  quality fell below 0.8  ' });
        expect(halt.status).toBe(200);
        expect(halt.body).toEqual({
          halted: true,
          reason: 'quality fell below 0.8',
          by: USER,
          at: expect.any(String),
        });
        expect(Number.isFinite(Date.parse(halt.body.at))).toBe(true);

        expect((await request(app).get(HALT)).body).toEqual(halt.body);
        const dashboard = await request(app).get(
          dashboardUrl(NOW - 3 * DAY, NOW),
        );
        expect(dashboard.body.halt).toEqual(halt.body);
        expect(dashboard.body.health).toBe('halted');
        expect(dashboard.body.explanation).toMatch(/^The pipeline is halted\./);

        const list = await request(app).get('/pipelines');
        expect(list.status).toBe(200);
        const health = Object.fromEntries(
          list.body.items.map((i: any) => [i.pipeline, i.health]),
        );
        expect(health).toEqual({
          [KB_SYNC]: 'unknown',
          [SUPPORT_ANSWERS]: 'halted',
        });

        const audit = await request(app).get(
          `/audit?entityRef=${SUPPORT_ANSWERS}`,
        );
        expect(audit.status).toBe(200);
        expect(audit.body.items).toEqual([
          {
            id: expect.any(String),
            at: halt.body.at,
            type: 'pipeline.halted',
            entityRef: SUPPORT_ANSWERS,
            actor: USER,
            message: `${USER} halted ${SUPPORT_ANSWERS}: quality fell below 0.8`,
          },
        ]);

        const resume = await request(app)
          .post(RESUME)
          .send({ reason: 'index rebuilt' });
        expect(resume.status).toBe(200);
        expect(resume.body).toMatchObject({
          halted: false,
          reason: 'index rebuilt',
          by: USER,
        });
        expect((await request(app).get(HALT)).body.halted).toBe(false);
        expect(
          (await request(app).get(dashboardUrl(NOW - 3 * DAY, NOW))).body
            .health,
        ).toBe('healthy');

        // Newest first, even within one millisecond.
        const events = (await request(app).get('/audit')).body.items;
        expect(events.map((e: any) => [e.type, e.actor])).toEqual([
          ['pipeline.resumed', USER],
          ['pipeline.halted', USER],
        ]);
        const latest = await request(app).get('/audit?limit=1');
        expect(latest.body.items.map((e: any) => e.type)).toEqual([
          'pipeline.resumed',
        ]);
        const other = await request(app).get(`/audit?entityRef=${KB_SYNC}`);
        expect(other.body.items).toEqual([]);
      });

      it('refuses a service not listed in aiPlatform.governance.serviceSubjects, although Backstage allows it every permission', async () => {
        const { app, knex } = await setup();
        for (const action of [HALT, HALT.replace(/halt$/, 'resume')]) {
          const res = await request(app).post(action).send({ reason: 'x' });
          expect(res.status).toBe(403);
          expect(res.body.error.message).toContain(
            'aiPlatform.governance.serviceSubjects',
          );
        }
        expect(await written(knex)).toEqual(NOTHING);
      });

      it('records a listed service as the actor by its subject', async () => {
        const { app } = await setup({
          config: {
            aiPlatform: {
              governance: { serviceSubjects: ['external:test-service'] },
            },
          },
        });
        const res = await request(app).post(HALT).send({ reason: 'canary' });
        expect(res.status).toBe(200);
        expect(res.body.by).toBe('external:test-service');
        const audit = await request(app).get('/audit');
        expect(audit.body.items[0].actor).toBe('external:test-service');
      });

      // The spec's body schema answers for the shape, the service for the rest.
      it.each<[string, unknown, RegExp]>([
        ['no body', undefined, /^reason: say why/],
        [
          'no reason',
          {},
          /^request\/body must have required property 'reason'$/,
        ],
        ['a blank reason', { reason: '   ' }, /^reason: say why/],
        [
          'a reason that is not a string',
          { reason: 42 },
          /^request\/body\/reason must be string$/,
        ],
        [
          'a reason over 2000 characters',
          { reason: 'x'.repeat(2001) },
          /^request\/body\/reason must NOT have more than 2000 characters$/,
        ],
      ])('answers 400 to %s, writing nothing', async (_case, body, message) => {
        const { app, knex } = await setup({ user: true });
        const req = request(app).post(HALT);
        const res = await (body === undefined ? req : req.send(body as object));
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
        expect(await written(knex)).toEqual(NOTHING);
      });

      it('answers 404 for an unknown pipeline, writing nothing', async () => {
        const { app, knex } = await setup({ user: true });
        const res = await request(app)
          .post('/pipelines/default/nope/halt')
          .send({ reason: 'x' });
        expect(res.status).toBe(404);
        expect(await written(knex)).toEqual(NOTHING);
      });
    });

    describe('privacy of cost and of the audit log', () => {
      const costPoints = () => [
        { ...goodPoint(30), signal: 'cost', stage: undefined, value: 12.5 },
        { ...goodPoint(20), signal: 'quality', stage: undefined, value: 0.9 },
      ];

      it('leaves cost out of a dashboard for a caller who may not read the owner spend', async () => {
        const { app, knex } = await setup();
        await request(app)
          .post('/signals')
          .send({ signals: costPoints() })
          .expect(200);
        const url = dashboardUrl(NOW - DAY, NOW);

        const reader = await request(app).get(url);
        expect(reader.status).toBe(200);
        expect(reader.body.hiddenSignals).toEqual([]);
        expect(reader.body.series.map((x: any) => x.signal).sort()).toEqual([
          'cost',
          'quality',
        ]);

        const { app: denied } = await setup({
          knex,
          user: true,
          permissions: mockServices.permissions({
            result: AuthorizeResult.DENY,
          }),
        });
        const other = await request(denied).get(url);
        expect(other.status).toBe(200);
        expect(other.body.hiddenSignals).toEqual(['cost']);
        expect(other.body.series.map((x: any) => x.signal)).toEqual([
          'quality',
        ]);
        expect(JSON.stringify(other.body)).not.toContain('12.5');
      });

      it('lists only events about entities the caller can see in the catalog', async () => {
        const bob = 'user:default/bob';
        const base = catalogServiceMock({ entities: signalsFixture() });
        // A catalog whose permissions hide kb-sync from bob.
        const catalog = new Proxy(base, {
          get(target, property, receiver) {
            if (property !== 'getEntitiesByRefs') {
              return Reflect.get(target, property, receiver);
            }
            return async (req: any, opts: any) => {
              const result = await target.getEntitiesByRefs(req, opts);
              const principal = opts?.credentials?.principal;
              if (principal?.userEntityRef !== bob) return result;
              return {
                items: result.items.map((e, i) =>
                  req.entityRefs[i] === KB_SYNC ? undefined : e,
                ),
              };
            };
          },
        }) as CatalogService;
        const { governanceStore, knex } = await setup({ catalog });
        for (const entityRef of [
          SUPPORT_ANSWERS,
          KB_SYNC,
          'aipipeline:default/deleted',
        ]) {
          await governanceStore.addAuditEvent({
            type: 'slo.breached',
            entityRef,
            actor: 'ai-platform',
            message: `an SLO of ${entityRef} is breached`,
          });
        }
        const asBob = await setup({
          knex,
          catalog,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.user(bob),
          }),
        });
        const seen = await request(asBob.app).get('/audit');
        expect(seen.body.items.map((e: any) => e.entityRef)).toEqual([
          SUPPORT_ANSWERS,
        ]);
        const alice = await setup({
          knex,
          catalog,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.user('user:default/alice'),
          }),
        });
        const all = await request(alice.app).get('/audit');
        expect(all.body.items.map((e: any) => e.entityRef).sort()).toEqual([
          KB_SYNC,
          SUPPORT_ANSWERS,
        ]);
      });

      it('answers 404 to the halt state of an unknown pipeline', async () => {
        const { app } = await setup({ user: true });
        const res = await request(app).get('/pipelines/default/nope/halt');
        expect(res.status).toBe(404);
        expect(res.body.error.name).toBe('NotFoundError');
      });
    });

    describe('GET /audit', () => {
      it.each([
        ['limit=abc', 'request/query/limit must be integer'],
        ['limit=0', 'request/query/limit must be >= 1'],
        ['limit=1.5', 'request/query/limit must be integer'],
        ['limit=1001', 'request/query/limit must be <= 1000'],
        ['entityRef=', "Empty value found for query parameter 'entityRef'"],
        ['entityRef=a&entityRef=b', 'request/query/entityRef must be string'],
        [
          'entityRef=component:',
          'Invalid query parameter entityRef: "component:" is not an entity ref',
        ],
      ])('answers 400 to ?%s', async (query, message) => {
        const { app } = await setup({ user: true });
        const res = await request(app).get(`/audit?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(message);
      });
    });
  });
});
