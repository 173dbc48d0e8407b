/*
 * Replicas under load: TWO instances of the real backend plugin, each with
 * its own knex pool, on ONE PostgreSQL database, take overlapping and
 * replayed usage batches (JSON and NDJSON) and signal batches whose points
 * share hourly and daily buckets, from 16 concurrent clients. No answer may
 * be a 5xx; every record counts once in /spend, every point once in its
 * buckets. Before the stores wrote in key order with additive rollups, the
 * first load had about half its requests answered 500 (PostgreSQL:
 * "deadlock detected"), and the second, which deadlocked nothing, left 200
 * of its 4,800 points out of the rollups. The same loads run against one
 * instance on a SQLite file.
 *
 * PostgreSQL is the one scripts/test found, else 127.0.0.1:5432; where no
 * server answers there, the PostgreSQL suite is skipped, loudly.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DashboardSeries } from '@aiplatform/plugin-ai-platform-common';
import { UsageRecordInput } from '@aiplatform/plugin-ai-platform-node';
import { Server } from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { aiPlatformPlugin } from './plugin';
import {
  SignalInput,
  expectedRollups,
  interleavedSeriesBatches,
  overlappingBatches,
  runConcurrently,
  signalPool,
  spendByModel,
  usagePool,
} from './__testUtils__/concurrentLoad';
import {
  createPostgresDatabase,
  postgresUnavailableReason,
} from './__testUtils__/postgresServer';
import { DAY, HOUR, spendOrgFixture } from './__testUtils__/usageFixtures';

const CLIENTS = 16;
const TIMEOUT_MS = 240_000;
/** The overlapping load's signals; the interleaved load's go to the other pipeline. */
const PIPELINES = {
  overlapping: 'support-answers',
  interleaved: 'web-assistant',
};

const reason = postgresUnavailableReason();
if (reason) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPING the two-replica PostgreSQL tests: ${reason}`);
}
const describePostgres = reason ? describe.skip : describe;

async function startInstance(knex: Knex) {
  return startTestBackend({
    features: [
      aiPlatformPlugin,
      catalogServiceMock.factory({ entities: spendOrgFixture() }),
      mockServices.database.factory({ knex }),
    ],
  });
}

interface Answer {
  what: string;
  status: number;
  inserted?: number;
  error?: string;
}

async function postUsage(
  server: Server,
  records: unknown[],
  ndjson: boolean,
): Promise<Answer> {
  const req = request(server)
    .post('/api/ai-platform/usage')
    .set('Authorization', mockCredentials.service.header());
  const res = ndjson
    ? await req
        .set('Content-Type', 'application/x-ndjson')
        .send(records.map(r => JSON.stringify(r)).join('\n'))
    : await req.send({ records });
  return {
    what: `POST /usage (${ndjson ? 'NDJSON' : 'JSON'}, ${records.length})`,
    status: res.status,
    inserted: res.body?.inserted,
    error: res.body?.error?.message,
  };
}

async function postSignals(
  server: Server,
  signals: SignalInput[],
): Promise<Answer> {
  const res = await request(server)
    .post('/api/ai-platform/signals')
    .set('Authorization', mockCredentials.service.header())
    .send({ signals });
  return {
    what: `POST /signals (${signals.length})`,
    status: res.status,
    inserted: res.body?.inserted,
    error: res.body?.error?.message,
  };
}

const inserted = (answers: Answer[], prefix: string) =>
  answers
    .filter(a => a.what.startsWith(prefix))
    .reduce((n, a) => n + (a.inserted ?? 0), 0);

const failures = (answers: Answer[]) =>
  answers
    .filter(a => a.status !== 200)
    .map(a => `${a.what}: ${a.status} ${a.error}`);

/** Spend per model as one instance reports it. */
async function spendOf(server: Server, now: number) {
  const res = await request(server)
    .get('/api/ai-platform/spend')
    .query({
      from: new Date(now - 2 * DAY).toISOString(),
      to: new Date(now + HOUR).toISOString(),
      groupBy: 'model',
    });
  expect(res.status).toBe(200);
  return {
    total: res.body.total,
    byModel: new Map(
      res.body.items.map((i: any) => [
        i.key,
        {
          requests: i.requests,
          inputTokens: i.inputTokens,
          outputTokens: i.outputTokens,
          costUsd: i.costUsd,
        },
      ]),
    ),
  };
}

/** Dashboard buckets as one instance reports them, keyed like expectedRollups. */
async function bucketsOf(
  server: Server,
  pipeline: string,
  range: { from: number; to: number },
) {
  const res = await request(server)
    .get(`/api/ai-platform/pipelines/default/${pipeline}/dashboard`)
    .query({
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
    });
  expect(res.status).toBe(200);
  const buckets = new Map<
    string,
    { count: number; avg: number; min: number; max: number }
  >();
  for (const s of res.body.series as DashboardSeries[]) {
    for (const b of s.buckets) {
      buckets.set(
        `${s.stage ?? ''}|${s.signal}|${s.resolution}|${Date.parse(b.t)}`,
        { count: b.count, avg: b.avg, min: b.min, max: b.max },
      );
    }
  }
  return buckets;
}

/** Every usage record counted once by every instance, in requests, tokens and cost. */
async function expectSpend(
  servers: Server[],
  records: UsageRecordInput[],
  now: number,
) {
  const expectedTotal = records.reduce((n, r) => n + r.costUsd!, 0);
  for (const server of servers) {
    const spend = await spendOf(server, now);
    expect(spend.byModel).toEqual(spendByModel(records));
    expect(spend.total).toBe(expectedTotal);
  }
}

/**
 * Every point counted in its hourly and daily bucket, as each instance's
 * dashboard shows them (count, mean, min, max) and as the rollup table
 * holds them (the sum exactly), and the latest point of each series.
 */
async function expectSignals(
  servers: Server[],
  db: Knex,
  pipeline: string,
  points: SignalInput[],
  now: number,
) {
  const expected = expectedRollups(points);
  const times = points.map(p => p.timestamp);
  const hourly = {
    from: Math.min(...times) - HOUR,
    to: Math.max(...times) + HOUR,
  };
  const daily = { from: now - 8 * DAY, to: now };
  for (const server of servers) {
    const buckets = new Map([
      ...(await bucketsOf(server, pipeline, hourly)),
      ...(await bucketsOf(server, pipeline, daily)),
    ]);
    expect([...buckets.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, b] of expected) {
      expect({ key, ...buckets.get(key) }).toEqual({
        key,
        count: b.count,
        avg: expect.closeTo(b.sum / b.count, 9),
        min: b.min,
        max: b.max,
      });
    }
  }

  const ref = `aipipeline:default/${pipeline}`;
  const rows = await db('ai_signal_rollups').where({ pipeline: ref });
  expect(
    new Map(
      rows.map(r => [
        `${r.stage}|${r.signal}|${r.resolution}|${Number(r.bucket)}`,
        {
          count: Number(r.count),
          sum: Number(r.sum),
          min: Number(r.min),
          max: Number(r.max),
        },
      ]),
    ),
  ).toEqual(expected);
  const latest = new Map<string, { ts: number; value: number }>();
  for (const p of points) {
    const key = `${p.stage ?? ''}|${p.signal}`;
    if ((latest.get(key)?.ts ?? -1) < p.timestamp) {
      latest.set(key, { ts: p.timestamp, value: p.value });
    }
  }
  const latestRows = await db('ai_signal_latest').where({ pipeline: ref });
  expect(
    new Map(
      latestRows.map(r => [
        `${r.stage}|${r.signal}`,
        { ts: Number(r.ts), value: Number(r.value) },
      ]),
    ),
  ).toEqual(latest);
}

/**
 * 3,000 usage records in 120 batches and 4,800 signal points in 96
 * batches, each batch holding its share plus records or points of the
 * whole pool, shuffled; usage and signal batches interleaved, spread over
 * the servers, a quarter of the usage batches as NDJSON. Sent, then sent
 * again.
 */
async function overlappingLoad(servers: Server[], db: Knex) {
  const now = Date.now();
  const records = usagePool(3_000, now, 7);
  const usageBatches = overlappingBatches(records, {
    batches: 120,
    extra: 125,
    seed: 8,
  });
  const points = signalPool({
    pipeline: `aipipeline:default/${PIPELINES.overlapping}`,
    stages: ['retrieve', 'answer'],
    perSeries: 800,
    now,
    seed: 9,
  });
  const signalBatches = overlappingBatches(points, {
    batches: 96,
    extra: 100,
    seed: 10,
  });
  const tasks: Array<() => Promise<Answer>> = [];
  for (let k = 0; k < usageBatches.length; k++) {
    const usage = usageBatches[k];
    tasks.push(() =>
      postUsage(servers[k % servers.length], usage, k % 4 === 3),
    );
    const signals = signalBatches[k];
    if (signals) {
      tasks.push(() => postSignals(servers[(k + 1) % servers.length], signals));
    }
  }

  const first = await runConcurrently(CLIENTS, tasks);
  expect(failures(first)).toEqual([]);
  // Each record and point was new exactly once, whichever batch carried it.
  expect(inserted(first, 'POST /usage')).toBe(records.length);
  expect(inserted(first, 'POST /signals')).toBe(points.length);

  const replay = await runConcurrently(CLIENTS, tasks);
  expect(failures(replay)).toEqual([]);
  expect(replay.filter(a => a.inserted !== 0)).toEqual([]);

  await expectSpend(servers, records, now);
  await expectSignals(servers, db, PIPELINES.overlapping, points, now);
}

/**
 * 4,800 signal points of 4 series in 64 batches that share every bucket
 * of their series but no point, all at once: a rollup recounted from the
 * committed points misses those of the batches still in flight.
 */
async function interleavedLoad(servers: Server[], db: Knex) {
  const now = Date.now();
  const points = signalPool({
    pipeline: `aipipeline:default/${PIPELINES.interleaved}`,
    stages: ['api'],
    perSeries: 1_200,
    now,
    seed: 11,
  });
  const batches = interleavedSeriesBatches(points, 16);
  const answers = await runConcurrently(
    CLIENTS,
    batches.map((b, k) => () => postSignals(servers[k % servers.length], b)),
  );
  expect(failures(answers)).toEqual([]);
  expect(inserted(answers, 'POST /signals')).toBe(points.length);
  await expectSignals(servers, db, PIPELINES.interleaved, points, now);
}

describePostgres('two backend replicas on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let backends: Array<Awaited<ReturnType<typeof startInstance>>> = [];
  let servers: Server[];
  let db: Knex;

  beforeAll(async () => {
    database = await createPostgresDatabase('ai_replicas');
    // Both start at once, on a database neither has migrated yet.
    backends = await Promise.all([
      startInstance(database.connect()),
      startInstance(database.connect()),
    ]);
    servers = backends.map(b => b.server);
    db = database.connect({ max: 2 });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(backends.map(b => b.stop()));
    await database?.drop();
  });

  it(
    'answers overlapping, replayed usage and signal batches from 16 clients and counts each record and point once',
    async () => {
      expect.hasAssertions();
      await overlappingLoad(servers, db);
    },
    TIMEOUT_MS,
  );

  it(
    'counts every point of concurrent batches that share buckets but no point',
    async () => {
      expect.hasAssertions();
      await interleavedLoad(servers, db);
    },
    TIMEOUT_MS,
  );
});

describe('one backend instance on a SQLite file', () => {
  let dir: string;
  let knex: Knex;
  let backend: Awaited<ReturnType<typeof startInstance>>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-replicas-'));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'backend.sqlite') },
      useNullAsDefault: true,
    });
    backend = await startInstance(knex);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'answers overlapping, replayed usage and signal batches from 16 clients and counts each record and point once',
    async () => {
      expect.hasAssertions();
      await overlappingLoad([backend.server], knex);
    },
    TIMEOUT_MS,
  );

  it(
    'counts every point of concurrent batches that share buckets but no point',
    async () => {
      expect.hasAssertions();
      await interleavedLoad([backend.server], knex);
    },
    TIMEOUT_MS,
  );
});
