/*
 * Signals benchmark (SQLite, a database file as a deployment would use):
 *  1. ingestion throughput through the store's batch path (KnexSignalStore
 *     .insertSignals, 10,000 points a batch) and of replaying the same batches;
 *  2. ingestion throughput through HTTP (`POST /signals`, validation against
 *     the catalog included, service credentials);
 *  3. the 90-day dashboard of a 10-stage pipeline holding 90 days of 1-minute
 *     points for 5 signals per stage (about 6.5 M points), through
 *     DashboardService and through HTTP.
 * Writes bench/results/signals.{json,md}. Asserts nothing about time.
 *
 *   yarn bench signals
 *   BENCH_DAYS=10 yarn bench signals     (quicker: fewer days of history)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SignalName } from '@aiplatform/plugin-ai-platform-common';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import knexFactory, { Knex } from 'knex';
import { KnexSignalStore } from '../plugins/ai-platform-backend/src/signals/KnexSignalStore';
import { KnexGovernanceStore } from '../plugins/ai-platform-backend/src/governance/KnexGovernanceStore';
import { DashboardService } from '../plugins/ai-platform-backend/src/signals/DashboardService';
import { createTestApp } from '../plugins/ai-platform-backend/src/__testUtils__/createTestApp';
import { Measurement, measure, ms } from './lib/measure';
import { writeResults } from './lib/writeResults';

const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const STAGES = 10;
const SIGNALS: SignalName[] = [
  'freshness',
  'accuracy',
  'quality',
  'latency',
  'cost',
];
const BATCH = 10_000;
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const NOW = Date.UTC(2026, 10, 1);
const RESULTS_DIR = path.resolve(__dirname, 'results');
const PIPELINE = 'aipipeline:default/bench-pipeline';

function pipelineEntity() {
  return {
    apiVersion: 'ai-platform.io/v1alpha1',
    kind: 'AIPipeline',
    metadata: { name: 'bench-pipeline', namespace: 'default' },
    spec: {
      type: 'rag',
      lifecycle: 'production',
      owner: 'group:default/team-a',
      stages: Array.from({ length: STAGES }, (_, i) => ({
        name: `stage-${i}`,
        type: i === 0 ? 'data-ingestion' : 'model',
        owner: 'group:default/team-a',
        ...(i > 0 ? { dependsOn: [`stage-${i - 1}`] } : {}),
      })),
      slos: [
        {
          name: 'e2e-accuracy',
          signal: 'accuracy',
          objective: { op: '>=', threshold: 0.9 },
          target: 0.99,
          window: '28d',
        },
        {
          name: 'ingest-freshness',
          signal: 'freshness',
          stage: 'stage-0',
          objective: { op: '<=', threshold: 3600 },
          target: 0.99,
          window: '28d',
        },
        {
          name: 'serving-latency',
          signal: 'latency',
          stage: `stage-${STAGES - 1}`,
          objective: { op: '<=', threshold: 0.5 },
          target: 0.99,
          window: '28d',
        },
      ],
    },
  };
}

function sqliteFile(): { knex: Knex; file: string } {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'ai-bench-')),
    'signals.sqlite',
  );
  return {
    file,
    knex: knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    }),
  };
}

/** 1-minute points, series by series, in batches of BATCH. */
function* batches(days: number): Generator<SignalPoint[]> {
  let batch: SignalPoint[] = [];
  for (let s = 0; s < STAGES; s++) {
    for (const signal of SIGNALS) {
      for (let ts = NOW - days * DAY; ts < NOW; ts += MINUTE) {
        batch.push({
          pipeline: PIPELINE,
          stage: `stage-${s}`,
          signal,
          value: Math.random(),
          ts,
          source: 'bench',
        });
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
  }
  if (batch.length) yield batch;
}

async function storeThroughput() {
  const { knex } = sqliteFile();
  const store = await KnexSignalStore.create({
    database: mockServices.database({ knex }),
  });
  const sample = [...batches(2)].slice(0, 50); // 500,000 points
  const points = sample.reduce((n, b) => n + b.length, 0);
  let start = performance.now();
  for (const b of sample) await store.insertSignals(b);
  const insertMs = performance.now() - start;
  start = performance.now();
  let replayed = 0;
  for (const b of sample) replayed += (await store.insertSignals(b)).inserted;
  const replayMs = performance.now() - start;
  await knex.destroy();
  return {
    points,
    insertMs,
    pointsPerSecond: Math.round((points / insertMs) * 1000),
    replayMs,
    replayPointsPerSecond: Math.round((points / replayMs) * 1000),
    replayInserted: replayed,
  };
}

async function httpThroughput() {
  const { knex } = sqliteFile();
  const { app } = await createTestApp({
    entities: [pipelineEntity() as any],
    knex,
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.service(),
    }),
    logger: mockServices.rootLogger({ level: 'error' }),
    // The points are dated before NOW: pin ingestion's clock to it.
    now: NOW,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const url = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/signals`;
  const sample = [...batches(1)].slice(0, 30); // 300,000 points
  const bodies = sample.map(b =>
    JSON.stringify({
      signals: b.map(p => ({
        pipeline: p.pipeline,
        stage: p.stage,
        signal: p.signal,
        value: p.value,
        timestamp: p.ts,
        source: p.source,
      })),
    }),
  );
  const points = sample.reduce((n, b) => n + b.length, 0);
  const start = performance.now();
  for (const body of bodies) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (!res.ok)
      throw new Error(`POST /signals: ${res.status} ${await res.text()}`);
  }
  const elapsed = performance.now() - start;
  server.close();
  await knex.destroy();
  return {
    points,
    ms: elapsed,
    pointsPerSecond: Math.round((points / elapsed) * 1000),
  };
}

async function dashboard() {
  const { knex, file } = sqliteFile();
  const database = mockServices.database({ knex });
  const signals = await KnexSignalStore.create({ database });
  const governance = await KnexGovernanceStore.create({ database });
  let points = 0;
  const loadStart = performance.now();
  for (const b of batches(DAYS)) {
    await signals.insertSignals(b);
    points += b.length;
  }
  const loadMs = performance.now() - loadStart;
  const catalog = catalogServiceMock({ entities: [pipelineEntity() as any] });
  const service = new DashboardService({
    catalog,
    signals,
    governance,
    // An admin's view: spend.read allowed, so cost is shown (no catalog read).
    spendReader: async () => () => true,
  });
  const credentials = mockCredentials.service();
  const range = { from: NOW - 90 * DAY, to: NOW };
  let series = 0;
  const direct = await measure(
    async () => {
      const d = await service.getDashboard(PIPELINE, range, credentials);
      series = d.series.length;
      return {
        extra: {
          series: d.series.length,
          buckets: d.series.reduce((n, s) => n + s.buckets.length, 0),
        },
      };
    },
    { iterations: 9, warmup: 2 },
  );
  const sizeMb = fs.statSync(file).size / 1024 / 1024;
  await knex.destroy();
  return {
    points,
    loadMs,
    loadPointsPerSecond: Math.round((points / loadMs) * 1000),
    direct,
    series,
    sizeMb,
  };
}

async function main() {
  const store = await storeThroughput();
  const http = await httpThroughput();
  const dash = await dashboard();
  const date = new Date().toISOString();
  const md = [
    '# Signals benchmark',
    '',
    `${date} · Node ${process.version} · ${os.cpus()[0]?.model ?? 'cpu'} (${
      os.cpus().length
    } CPUs) · SQLite (better-sqlite3) database file`,
    '',
    '| Scenario | Figure | Target |',
    '| --- | ---: | ---: |',
    `| Ingestion, store batch path (${store.points.toLocaleString(
      'en-US',
    )} points, batches of ${BATCH.toLocaleString(
      'en-US',
    )}) | ${store.pointsPerSecond.toLocaleString(
      'en-US',
    )} points/s | ≥ 50,000 points/s |`,
    `| Replay of the same batches (idempotent: ${
      store.replayInserted
    } inserted) | ${store.replayPointsPerSecond.toLocaleString(
      'en-US',
    )} points/s | |`,
    `| Ingestion through HTTP \`POST /signals\` (${http.points.toLocaleString(
      'en-US',
    )} points, validated) | ${http.pointsPerSecond.toLocaleString(
      'en-US',
    )} points/s | ≥ 50,000 points/s |`,
    `| Loading ${dash.points.toLocaleString(
      'en-US',
    )} points (${DAYS} days × 1-minute × ${STAGES} stages × ${
      SIGNALS.length
    } signals) | ${dash.loadPointsPerSecond.toLocaleString(
      'en-US',
    )} points/s | |`,
    `| Dashboard, 90 days, ${
      dash.series
    } series (DashboardService): median / p95 | ${ms(
      dash.direct.medianMs,
    )} / ${ms(dash.direct.p95Ms)} | < 200 ms |`,
    '',
    `Database file after loading: ${dash.sizeMb.toFixed(
      0,
    )} MB. Dashboard runs: ${dash.direct.iterations} after ${
      dash.direct.warmup
    } warm-ups; peak RSS ${dash.direct.peakRssMb} MB.`,
    '',
  ].join('\n');
  const out = writeResults(
    RESULTS_DIR,
    'signals',
    {
      date,
      days: DAYS,
      store,
      http,
      dashboard: { ...dash, direct: dash.direct as Measurement },
    },
    md,
  );
  process.stdout.write(
    `${out.markdown}\nWrote ${out.jsonFile} and ${out.markdownFile}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
