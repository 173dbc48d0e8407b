/*
 * Usage benchmark:
 *  1. ingestion through HTTP `POST /usage` as NDJSON (50,000 records a
 *     request: validation, pricing, attribution keys, raw rows, rollups)
 *     into SQLite (a database file) and PostgreSQL, side by side with the
 *     raw driver inserting the same rows in the same run;
 *  2. the backend's peak RSS while one request streams a 1 GB NDJSON body
 *     (generated as it is sent, never held whole) into SQLite;
 *  3. `GET /spend` latency (SpendService, read-time attribution through the
 *     catalog) over 10 M records spread over a year, on SQLite.
 * Writes bench/results/usage.{json,md}. Asserts nothing about time.
 *
 *   yarn bench usage
 *   BENCH_USAGE_RECORDS=1000000 yarn bench usage    (quicker)
 *   BENCH_USAGE_STREAM_MB=256 yarn bench usage      (a smaller stream; 0 skips it)
 *   BENCH_PG=postgresql://postgres@127.0.0.1:5432 (default; set to '' to skip PostgreSQL)
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  aiPlatformTeamRules,
  toUsageRecord,
  UsageRecordInput,
} from '@aiplatform/plugin-ai-platform-node';
import BetterSqlite3 from 'better-sqlite3';
import knexFactory, { Knex } from 'knex';
import { Client as PgClient } from 'pg';
import { KnexUsageStore } from '../plugins/ai-platform-backend/src/spend/KnexUsageStore';
import { SpendService } from '../plugins/ai-platform-backend/src/spend/SpendService';
import { createTestApp } from '../plugins/ai-platform-backend/src/__testUtils__/createTestApp';
import { measure, ms } from './lib/measure';
import { writeResults } from './lib/writeResults';

const RECORDS = Number(process.env.BENCH_USAGE_RECORDS ?? 10_000_000);
const HTTP_RECORDS = 200_000;
const PER_REQUEST = 50_000;
const STREAM_MB = Number(process.env.BENCH_USAGE_STREAM_MB ?? 1024);
const PG_URL = process.env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';
const RESULTS_DIR = path.resolve(__dirname, 'results');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);
const MODELS = [
  ['gpt-4o', 'openai'],
  ['gpt-4o-mini', 'openai'],
  ['claude-sonnet-4', 'anthropic'],
  ['gemini-2.5-flash', 'google'],
  ['text-embedding-3-small', 'openai'],
  ['llama-3.1-8b-instruct', 'hosted_vllm'],
] as const;
const TEAMS = 40;
const SERVICES = 200;

function catalogEntities(): Entity[] {
  const groups: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'org', namespace: 'default' },
      spec: {
        type: 'org',
        children: Array.from({ length: 4 }, (_, d) => `dept-${d}`),
      },
    },
    ...Array.from({ length: 4 }, (_, d) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `dept-${d}`, namespace: 'default' },
      spec: {
        type: 'department',
        parent: 'org',
        children: Array.from(
          { length: TEAMS / 4 },
          (_, t) => `team-${d * (TEAMS / 4) + t}`,
        ),
      },
    })),
    ...Array.from({ length: TEAMS }, (_, t) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${t}`, namespace: 'default' },
      spec: {
        type: 'team',
        parent: `dept-${Math.floor(t / (TEAMS / 4))}`,
        children: [],
      },
    })),
  ];
  const services: Entity[] = Array.from({ length: SERVICES }, (_, s) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `svc-${s}`, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/team-${s % TEAMS}`,
    },
  }));
  return [...groups, ...services];
}

function record(i: number, spanDays: number): UsageRecordInput {
  const [model, provider] = MODELS[i % MODELS.length];
  const shadow = i % 50 === 0;
  return {
    id: `bench-${i}`,
    timestamp: NOW - Math.floor(((i * 7919) % (spanDays * 1440)) * 60_000),
    ...(shadow
      ? { keyAlias: `personal-key-${i % 7}` }
      : { entityRef: `component:default/svc-${i % SERVICES}` }),
    model,
    provider,
    inputTokens: 1000 + (i % 5000),
    outputTokens: 100 + (i % 700),
    durationMs: 500 + (i % 1500),
    status: 'success',
  };
}

/** The test app on `knex` as a service calls it, listening on a free port. */
async function listen(knex: Knex, config?: Record<string, any>) {
  const { app } = await createTestApp({
    entities: catalogEntities(),
    knex,
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.service(),
    }),
    logger: mockServices.rootLogger({ level: 'error' }),
    // The records are dated before NOW: pin ingestion's clock to it.
    now: NOW,
    config,
  });
  const server = app.listen(0, '127.0.0.1');
  // Node's default of 300 s per request would cut a long stream short.
  server.requestTimeout = 0;
  await new Promise(resolve => server.once('listening', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function httpIngest(knex: Knex, label: string) {
  const { server, port } = await listen(knex);
  const url = `http://127.0.0.1:${port}/usage`;
  const bodies: string[] = [];
  for (let start = 0; start < HTTP_RECORDS; start += PER_REQUEST) {
    const lines: string[] = [];
    for (let i = start; i < start + PER_REQUEST; i++)
      lines.push(JSON.stringify(record(i, 30)));
    bodies.push(lines.join('\n'));
  }
  const t0 = performance.now();
  for (const body of bodies) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body,
    });
    if (!res.ok)
      throw new Error(
        `${label} POST /usage: ${res.status} ${await res.text()}`,
      );
  }
  const elapsed = performance.now() - t0;
  server.close();
  return {
    records: HTTP_RECORDS,
    ms: elapsed,
    perSecond: Math.round((HTTP_RECORDS / elapsed) * 1000),
  };
}

/** The same rows, written by the driver alone: prepared INSERT in one transaction. */
function rawRows() {
  const rows = [];
  for (let i = 0; i < HTTP_RECORDS; i++) {
    const r = toUsageRecord(record(i + 10_000_000, 30));
    rows.push([
      r.id,
      r.ts,
      r.entityRef ?? '',
      r.team ?? '',
      r.keyAlias ?? '',
      '',
      r.model,
      r.provider ?? '',
      r.inputTokens,
      r.outputTokens,
      r.costUsd,
      r.costSource,
      r.priceSource,
      r.durationMs,
      r.status,
    ]);
  }
  return rows;
}
const RAW_SQL_COLUMNS =
  'id, ts, entity_candidates, team, key_alias, tag, model, provider, input_tokens, output_tokens, cost_usd, cost_source, price_source, duration_ms, status';

function rawSqlite(file: string) {
  const rows = rawRows();
  const db = new BetterSqlite3(file);
  const stmt = db.prepare(
    `INSERT INTO ai_usage_records (${RAW_SQL_COLUMNS}) VALUES (${new Array(15)
      .fill('?')
      .join(', ')}) ON CONFLICT (id) DO NOTHING`,
  );
  const t0 = performance.now();
  db.transaction(() => {
    for (const row of rows) stmt.run(row);
  })();
  const elapsed = performance.now() - t0;
  db.close();
  return {
    records: rows.length,
    ms: elapsed,
    perSecond: Math.round((rows.length / elapsed) * 1000),
  };
}

async function rawPg(database: string) {
  const rows = rawRows();
  const client = new PgClient({ connectionString: `${PG_URL}/${database}` });
  await client.connect();
  const t0 = performance.now();
  await client.query('BEGIN');
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = chunk
      .map(
        (_, r) =>
          `(${Array.from({ length: 15 }, (__, c) => `$${r * 15 + c + 1}`).join(
            ', ',
          )})`,
      )
      .join(', ');
    await client.query(
      `INSERT INTO ai_usage_records (${RAW_SQL_COLUMNS}) VALUES ${values} ON CONFLICT (id) DO NOTHING`,
      chunk.flat(),
    );
  }
  await client.query('COMMIT');
  const elapsed = performance.now() - t0;
  await client.end();
  return {
    records: rows.length,
    ms: elapsed,
    perSecond: Math.round((rows.length / elapsed) * 1000),
  };
}

async function ingestion() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-usage-bench-'));
  const file = path.join(dir, 'usage.sqlite');
  const sqliteKnex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  const sqlite = await httpIngest(sqliteKnex, 'SQLite');
  await sqliteKnex.destroy();
  const sqliteRaw = rawSqlite(file);
  let pg: { http: any; raw: any } | undefined;
  if (PG_URL) {
    const database = `ai_bench_${Date.now()}`;
    const admin = new PgClient({ connectionString: `${PG_URL}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const pgKnex = knexFactory({
      client: 'pg',
      connection: `${PG_URL}/${database}`,
    });
    const http = await httpIngest(pgKnex, 'PostgreSQL');
    await pgKnex.destroy();
    const raw = await rawPg(database);
    await admin.query(`DROP DATABASE ${database}`);
    await admin.end();
    pg = { http, raw };
  }
  return { sqlite: { http: sqlite, raw: sqliteRaw }, pg };
}

/**
 * One `POST /usage` of `STREAM_MB` of NDJSON, generated a thousand lines at
 * a time as the socket takes it, into a SQLite file; the process's RSS is
 * sampled every 50 ms. The sender runs in the same process, so the increase
 * bounds the backend's from above.
 */
async function streamRss() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-usage-bench-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'stream.sqlite') },
    useNullAsDefault: true,
  });
  const { server, port } = await listen(knex, {
    aiPlatform: {
      ingestion: { routes: { usage: { maxBodySize: `${STREAM_MB + 64}mb` } } },
    },
  });
  const target = STREAM_MB * 1024 * 1024;
  (global as any).gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  let sent = 0;
  let records = 0;
  const t0 = performance.now();
  const answer = await new Promise<{ status: number; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/usage',
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson' },
        },
        res => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      const write = () => {
        while (sent < target) {
          const lines: string[] = [];
          for (let n = 0; n < 1000; n++, records++) {
            lines.push(
              JSON.stringify({
                ...record(records, 30),
                id: `stream-${records}`,
              }),
            );
          }
          const chunk = Buffer.from(`${lines.join('\n')}\n`);
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    },
  );
  const elapsed = performance.now() - t0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  server.close();
  await knex.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  if (answer.status !== 200) {
    throw new Error(`stream POST /usage: ${answer.status} ${answer.body}`);
  }
  return {
    bytes: sent,
    records,
    ms: elapsed,
    perSecond: Math.round((records / elapsed) * 1000),
    baselineRssMb: Math.round(baseline / 1024 / 1024),
    peakRssMb: Math.round(peak / 1024 / 1024),
    rssIncreaseMb: Math.round((peak - baseline) / 1024 / 1024),
    answer: JSON.parse(answer.body),
  };
}

async function spendLatency() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-usage-bench-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'spend.sqlite') },
    useNullAsDefault: true,
  });
  const database = mockServices.database({ knex });
  const store = await KnexUsageStore.create({ database });
  const load0 = performance.now();
  for (let start = 0; start < RECORDS; start += PER_REQUEST) {
    const batch = [];
    for (let i = start; i < Math.min(RECORDS, start + PER_REQUEST); i++)
      batch.push(toUsageRecord(record(i, 365)));
    await store.insertUsage(batch);
  }
  const loadMs = performance.now() - load0;
  const spend = new SpendService({
    catalog: catalogServiceMock({ entities: catalogEntities() }),
    store,
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    teamRules: {
      getRuleByName: () => aiPlatformTeamRules.isInSubtreeOf as any,
    },
  });
  const credentials = mockCredentials.user();
  const results: Record<string, any> = {};
  for (const [name, query] of [
    [
      '30 days by team',
      {
        from: NOW - 30 * DAY,
        to: NOW,
        groupBy: 'team',
        includeSubteams: false,
      },
    ],
    [
      '90 days by service, one department with sub-teams',
      {
        from: NOW - 90 * DAY,
        to: NOW,
        groupBy: 'service',
        team: 'group:default/dept-1',
        includeSubteams: true,
      },
    ],
    [
      '365 days by model',
      {
        from: NOW - 365 * DAY,
        to: NOW,
        groupBy: 'model',
        includeSubteams: false,
      },
    ],
  ] as const) {
    results[name] = await measure(
      async () => {
        const r = await spend.getSpend(query as any, credentials);
        return { extra: { items: r.items.length } };
      },
      { iterations: 20, warmup: 3 },
    );
  }
  await knex.destroy();
  return {
    records: RECORDS,
    loadMs,
    loadPerSecond: Math.round((RECORDS / loadMs) * 1000),
    results,
  };
}

async function main() {
  // Other work on the machine slows every figure: say how much there was.
  const loadBefore = os.loadavg()[0];
  const ingest = await ingestion();
  const stream = STREAM_MB > 0 ? await streamRss() : undefined;
  const spend = await spendLatency();
  const date = new Date().toISOString();
  const load = { before: loadBefore, after: os.loadavg()[0] };
  const ratio = (a: number, b: number) => `${(b / a).toFixed(2)}×`;
  const lines = [
    '# Usage benchmark',
    '',
    `${date} · Node ${process.version} · ${os.cpus()[0]?.model ?? 'cpu'} (${
      os.cpus().length
    } CPUs) · load average ${load.before.toFixed(
      2,
    )} before, ${load.after.toFixed(2)} after`,
    '',
    `## Ingestion: ${HTTP_RECORDS.toLocaleString(
      'en-US',
    )} records through HTTP NDJSON (${PER_REQUEST.toLocaleString(
      'en-US',
    )} a request) vs the raw driver`,
    '',
    '| Database | HTTP NDJSON | Raw driver | Raw ÷ HTTP | Target |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| SQLite (file) | ${ingest.sqlite.http.perSecond.toLocaleString(
      'en-US',
    )} records/s | ${ingest.sqlite.raw.perSecond.toLocaleString(
      'en-US',
    )} records/s | ${ratio(
      ingest.sqlite.http.perSecond,
      ingest.sqlite.raw.perSecond,
    )} | ≥ 100,000/s, within 2× |`,
    ingest.pg
      ? `| PostgreSQL 15 | ${ingest.pg.http.perSecond.toLocaleString(
          'en-US',
        )} records/s | ${ingest.pg.raw.perSecond.toLocaleString(
          'en-US',
        )} records/s | ${ratio(
          ingest.pg.http.perSecond,
          ingest.pg.raw.perSecond,
        )} | ≥ 30,000/s, within 2× |`
      : '| PostgreSQL | skipped (BENCH_PG empty) | | | |',
    '',
    ...(stream
      ? [
          `## Memory: one ${(stream.bytes / 1024 ** 3).toFixed(
            2,
          )} GB NDJSON request streamed into SQLite`,
          '',
          `${stream.records.toLocaleString('en-US')} records in ${(
            stream.ms / 1000
          ).toFixed(1)} s (${stream.perSecond.toLocaleString(
            'en-US',
          )} records/s), answered ${JSON.stringify(stream.answer)}.`,
          '',
          '| Baseline RSS | Peak RSS | Increase | Target |',
          '| ---: | ---: | ---: | ---: |',
          `| ${stream.baselineRssMb} MB | ${stream.peakRssMb} MB | ${stream.rssIncreaseMb} MB | < 200 MB |`,
          '',
          'The sender generates the body in the same process as it streams it, so the increase bounds the backend’s from above.',
          '',
        ]
      : []),
    `## \`/spend\` over ${spend.records.toLocaleString(
      'en-US',
    )} records (a year, ${SERVICES} services, ${TEAMS} teams, SQLite)`,
    '',
    `Loaded through the store's batch path at ${spend.loadPerSecond.toLocaleString(
      'en-US',
    )} records/s.`,
    '',
    '| Query | Median | p95 | Target p95 |',
    '| --- | ---: | ---: | ---: |',
    ...Object.entries(spend.results).map(
      ([name, m]: [string, any]) =>
        `| ${name} | ${ms(m.medianMs)} | ${ms(m.p95Ms)} | < 100 ms |`,
    ),
    '',
  ];
  const out = writeResults(
    RESULTS_DIR,
    'usage',
    { date, load, ingest, stream, spend },
    lines.join('\n'),
  );
  process.stdout.write(
    `${out.markdown}\nWrote ${out.jsonFile} and ${out.markdownFile}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
