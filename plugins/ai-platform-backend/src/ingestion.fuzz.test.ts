import {
  TestDatabaseId,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { seededRandom } from './__testUtils__/usageFixtures';
import { createTestApp } from './__testUtils__/createTestApp';
import { postRaw } from './__testUtils__/rawHttp';
import { KB_DOCS, signalsFixture } from './__testUtils__/signalFixtures';
import { createTestDatabases } from './__testUtils__/testDatabases';

/**
 * A seeded, bounded fuzz of every ingestion route: thousands of malformed
 * payloads (hostile values in every field, broken containers, broken JSON
 * text), each sent over HTTP to the real router and stores. No answer may be
 * a 5xx; a refused request writes nothing; an accepted one writes exactly
 * what it says it inserted. The seed is fixed, so a failure replays.
 */

jest.setTimeout(300_000);

const SEED = 20261201;
/** Payloads per route and database. */
const CASES = 2000;

type Json = unknown;
type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

/** Values that no field should take without a 400 (or that test its bounds). */
const HOSTILE: readonly Json[] = [
  null,
  '',
  ' ',
  'a\u0000b',
  'line\n---\nkind: Location',
  '\u001b[31mred',
  'bad\ud800surrogate',
  'x'.repeat(256),
  'y'.repeat(70_000),
  -1,
  0.5,
  2 ** 53,
  2 ** 63,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  true,
  [],
  {},
  [[[]]],
  { $text: '/etc/passwd' },
  { nested: { deeper: { deepest: [1, 2, 3] } } },
  '1e999',
  'NaN',
  'Infinity',
  '2025-13-40T25:61:61Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '__proto__',
  'constructor',
  'DROP TABLE ai_usage_records; --',
  "' OR 1=1 --",
  '\u202e\u2066rtl',
  '\u{1F600}'.repeat(200),
];

/** Raw JSON texts to splice in where a value goes (not expressible as values). */
const RAW_VALUES = [
  '1e999',
  '-1e999',
  '9'.repeat(400),
  '"\\ud800"',
  '{"__proto__":{"polluted":true}}',
  `${'['.repeat(3000)}${']'.repeat(3000)}`,
  `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
];

function mutateValue(random: Random, value: Json, depth = 0): Json {
  if (value && typeof value === 'object' && depth < 3 && random() < 0.6) {
    const copy: any = Array.isArray(value) ? [...value] : { ...value };
    const keys = Object.keys(copy);
    if (keys.length === 0) return pick(random, HOSTILE);
    const key = pick(random, keys);
    const r = random();
    if (r < 0.15) delete copy[key];
    else if (r < 0.25) {
      // An own property, as JSON.parse makes it (even for `__proto__`).
      Object.defineProperty(
        copy,
        pick(random, ['__proto__', 'constructor', 'extra', '']),
        {
          value: pick(random, HOSTILE),
          enumerable: true,
          writable: true,
          configurable: true,
        },
      );
    } else copy[key] = mutateValue(random, copy[key], depth + 1);
    return copy;
  }
  return pick(random, HOSTILE);
}

/** A body: the valid one with 1–3 mutations, sometimes as broken text. */
function mutateBody(random: Random, valid: Json): string {
  let body = valid;
  const mutations = 1 + Math.floor(random() * 3);
  for (let i = 0; i < mutations; i++) body = mutateValue(random, body);
  let text = JSON.stringify(body) ?? 'null';
  const r = random();
  if (r < 0.08) {
    // A raw value JSON.stringify cannot write, in place of a number.
    text = text.replace(/\d+(\.\d+)?/, pick(random, RAW_VALUES));
  } else if (r < 0.14) {
    text = text.slice(0, Math.floor(random() * text.length));
  } else if (r < 0.18) {
    const at = Math.floor(random() * text.length);
    text = `${text.slice(0, at)}${pick(random, [
      '\u0000',
      '"',
      '}',
      ',',
      '\\',
    ])}${text.slice(at)}`;
  } else if (r < 0.2) {
    text = `\ufeff${text}`;
  }
  return text;
}

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

const usageRecord = (i: number) => ({
  id: `fuzz-usage-${i}`,
  timestamp: iso(now - 60_000 - i * 1000),
  entityRef: 'component:default/answers',
  team: 'ml-team',
  model: 'gpt-4o-mini',
  provider: 'openai',
  inputTokens: 120,
  outputTokens: 30,
  costUsd: 0.002,
  durationMs: 420,
  status: 'success',
  keyAlias: 'answers-prod',
  tags: ['backstage:component:default/answers', 'env:prod'],
});

const litellmRow = (i: number) => ({
  request_id: `fuzz-litellm-${i}`,
  startTime: iso(now - 60_000 - i * 1000),
  endTime: iso(now - 59_000 - i * 1000),
  model: 'gpt-4o',
  model_group: 'gpt-4o',
  custom_llm_provider: 'openai',
  prompt_tokens: 10,
  completion_tokens: 5,
  spend: 0.0001,
  team_id: 'team-1',
  metadata: { user_api_key_alias: 'component:default/answers' },
  request_tags: ['env:prod'],
  status: 'success',
});

const signalPoint = (i: number) => ({
  pipeline: 'support-answers',
  stage: 'ingest',
  signal: 'freshness',
  value: 60 + i,
  timestamp: now - 60_000 - i * 1000,
  source: 'fuzz',
});

const lineageEvent = (i: number) => ({
  eventType: 'COMPLETE',
  eventTime: iso(now - 60_000 - i * 1000),
  run: { runId: `run-${i}` },
  job: { namespace: 'airflow', name: 'kb-ingest' },
  outputs: [
    {
      ...KB_DOCS,
      facets: { dataQualityMetrics: { lastUpdated: iso(now - 3_600_000) } },
    },
  ],
});

const ROUTES: Array<{
  name: string;
  path: string;
  contentType: string;
  body: (random: Random, i: number) => string;
}> = [
  {
    name: 'POST /usage (JSON)',
    path: '/usage',
    contentType: 'application/json',
    body: (random, i) =>
      mutateBody(random, {
        records: [usageRecord(2 * i), usageRecord(2 * i + 1)],
      }),
  },
  {
    name: 'POST /usage (NDJSON)',
    path: '/usage',
    contentType: 'application/x-ndjson',
    body: (random, i) =>
      [usageRecord(10_000 + 2 * i), usageRecord(10_001 + 2 * i)]
        .map(r => (random() < 0.7 ? mutateBody(random, r) : JSON.stringify(r)))
        .join(random() < 0.5 ? '\n' : '\r\n'),
  },
  {
    name: 'POST /usage/litellm',
    path: '/usage/litellm',
    contentType: 'application/json',
    body: (random, i) =>
      mutateBody(
        random,
        random() < 0.5
          ? [litellmRow(2 * i), litellmRow(2 * i + 1)]
          : { data: [litellmRow(2 * i)], total: 1, page: 1 },
      ),
  },
  {
    name: 'POST /signals',
    path: '/signals',
    contentType: 'application/json',
    body: (random, i) =>
      mutateBody(random, {
        signals: [signalPoint(2 * i), signalPoint(2 * i + 1)],
      }),
  },
  {
    name: 'POST /openlineage',
    path: '/openlineage',
    contentType: 'application/json',
    body: (random, i) =>
      mutateBody(random, random() < 0.5 ? lineageEvent(i) : [lineageEvent(i)]),
  },
];

async function rows(knex: Knex): Promise<{ usage: number; signals: number }> {
  const [[u], [s]] = await Promise.all([
    knex('ai_usage_records').count({ n: '*' }),
    knex('ai_signal_points').count({ n: '*' }),
  ]);
  return { usage: Number(u.n), signals: Number(s.n) };
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(
  port: number,
  path: string,
  contentType: string,
  body: string,
): Promise<{ status: number; json: any }> {
  return postRaw({
    port,
    path,
    body,
    headers: { 'content-type': contentType },
    agent: keepAlive,
  }).then(res => ({ status: res.status, json: res.body }));
}

/** What is wrong with an answer that wrote `written` rows, if anything. */
function problemOf(
  res: { status: number; json: any },
  written: number,
): string | undefined {
  if (res.status >= 500) {
    return `answered ${res.status}: ${JSON.stringify(res.json).slice(0, 300)}`;
  }
  if (res.status >= 400) {
    if (written !== 0)
      return `refused with ${res.status} but wrote ${written} rows`;
    if (!/\S/.test(String(res.json?.error?.message ?? ''))) {
      return `refused with ${res.status} without a message`;
    }
    return undefined;
  }
  if (res.status === 200 && written !== res.json.inserted) {
    return `answered inserted ${res.json.inserted} but wrote ${written} rows`;
  }
  return undefined;
}

afterAll(() => keepAlive.destroy());

describe('ingestion fuzz (seeded, bounded)', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: http.Server;
    let port: number;
    let knex: Knex;
    let logger: ReturnType<typeof mockServices.logger.mock>;

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      logger = mockServices.logger.mock();
      const { app } = await createTestApp({
        entities: signalsFixture(),
        knex,
        logger,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.service(),
        }),
      });
      server = app.listen(0);
      await new Promise(r => server.once('listening', r));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      await new Promise(r => server.close(r));
    });

    it.each(ROUTES.map(r => [r.name, r] as const))(
      '%s: no 5xx, a refusal writes nothing, an acceptance writes what it says',
      async (_name, route) => {
        const random = seededRandom(SEED + route.name.length);
        const statuses = new Map<number, number>();
        const failures: string[] = [];
        for (let i = 0; i < CASES; i++) {
          const body = route.body(random, i);
          const before = await rows(knex);
          const res = await send(port, route.path, route.contentType, body);
          const after = await rows(knex);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const written =
            after.usage - before.usage + (after.signals - before.signals);
          const problem = problemOf(res, written);
          if (problem && failures.length < 5) {
            failures.push(`case ${i}: ${problem}; body ${body.slice(0, 300)}`);
          }
        }
        expect(failures).toEqual([]);
        // The payloads are hostile: most must be refused, with a 4xx.
        const refused = [...statuses]
          .filter(([status]) => status >= 400 && status < 500)
          .reduce((n, [, c]) => n + c, 0);
        expect(refused).toBeGreaterThan(CASES * 0.6);
        expect([...statuses.keys()].every(s => s < 500)).toBe(true);
      },
    );

    it('leaves every read route answering after the fuzz', async () => {
      const { port: p } = server.address() as AddressInfo;
      for (const path of [
        '/spend?groupBy=model',
        '/spend/daily',
        '/spend/unpriced',
        '/pipelines/default/support-answers/dashboard',
        '/audit',
      ]) {
        const res = await new Promise<number>((resolve, reject) =>
          http
            .get({ host: '127.0.0.1', port: p, path, agent: keepAlive }, r => {
              r.resume();
              r.on('end', () => resolve(r.statusCode!));
            })
            .on('error', reject),
        );
        expect({ path, status: res }).toEqual({ path, status: 200 });
      }
      expect(logger.error).not.toHaveBeenCalled();
    });
  });
});
