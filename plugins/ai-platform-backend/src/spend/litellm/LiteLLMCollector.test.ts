/*
 * Runs the collector against a local HTTP server that answers like LiteLLM's
 * `GET /spend/logs/v2` (auth, required dates, FastAPI query validation,
 * `startTime` filter, newest-first offset pagination, the 10K count cap) and
 * records every request it gets.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  LiteLLMSpendLog,
  UsageRecord,
} from '@aiplatform/plugin-ai-platform-node';
import http from 'http';
import { AddressInfo } from 'net';
import { CursorStore, UsageSink } from '../UsageStore';
import {
  DEFAULT_LITELLM_SCHEDULE,
  LiteLLMCollector,
  LiteLLMCollectorOptions,
  LiteLLMRequestError,
} from './LiteLLMCollector';
import {
  LITELLM_COLLECTOR_TASK_ID,
  scheduleLiteLLMCollector,
} from './scheduleLiteLLMCollector';

const API_KEY = 'sk-litellm-master-0f3a9c2e';
// 2026-05-12 12:00:00 UTC
const NOW = Date.UTC(2026, 4, 12, 12, 0, 0);
const MINUTE = 60_000;

// ---------------------------------------------------------------------------
// Fixture: SpendLogs rows as LiteLLM serves them.

let nextSession = 0;

/** A SpendLogs row with LiteLLM's columns; `metadata` and `request_tags` as JSON strings. */
function spendLog(
  row: {
    request_id: string;
    startTime: string;
    alias?: string;
    tags?: string[];
  } & Partial<LiteLLMSpendLog>,
): LiteLLMSpendLog {
  const { alias = 'component:default/answers', tags, ...rest } = row;
  const prompt = (rest.prompt_tokens as number | undefined) ?? 1200;
  const completion = (rest.completion_tokens as number | undefined) ?? 350;
  const teamId = rest.team_id === undefined ? 'team-ml' : rest.team_id;
  nextSession += 1;
  return {
    call_type: 'acompletion',
    // LiteLLM stores the sha256 of the virtual key, never the key.
    api_key: 'c2f1a1d7e2b54a4d8a0f0e4a1d6c8b3e9f7a5c1b2d4e6f8a0c2e4a6b8d0f2a4c',
    spend: 0.00039,
    total_tokens: prompt + completion,
    prompt_tokens: prompt,
    completion_tokens: completion,
    endTime: rest.startTime,
    request_duration_ms: 1840,
    model: 'gpt-4o-mini-2024-07-18',
    model_group: 'gpt-4o-mini',
    model_id: '5e2c0b8a-1f39-4c55-8b0e-2a7d6f9c1e44',
    custom_llm_provider: 'openai',
    api_base: 'https://api.openai.com/v1/',
    user: 'default_user_id',
    metadata: JSON.stringify({
      user_api_key: 'c2f1a1d7…',
      user_api_key_alias: alias,
      user_api_key_team_id: teamId,
      user_api_key_team_alias: teamId,
      user_api_key_user_id: 'default_user_id',
      spend_logs_metadata: null,
      requester_ip_address: '',
      additional_usage_values: {
        prompt_tokens_details: { cached_tokens: 0 },
      },
      status: rest.status ?? 'success',
    }),
    cache_hit: 'False',
    cache_key: 'Cache OFF',
    request_tags: JSON.stringify(tags ?? [`backstage:${alias}`]),
    team_id: teamId,
    organization_id: null,
    end_user: '',
    requester_ip_address: '',
    session_id: `0b7c6e4e-9d7a-4b8e-a3c1-${String(nextSession).padStart(
      12,
      '0',
    )}`,
    status: 'success',
    messages: {},
    response: {},
    proxy_server_request: {},
    ...rest,
  };
}

/** The last day's calls (7 rows), plus one older than the first run's reach. */
function fixture(): LiteLLMSpendLog[] {
  return [
    spendLog({
      request_id: 'chatcmpl-7f1e0c2a-0001',
      startTime: '2026-05-12 11:55:10',
      spend: 0.00039,
    }),
    spendLog({
      // ISO with microseconds and an offset, as LiteLLM's JSON encoder writes it
      request_id: 'chatcmpl-7f1e0c2a-0002',
      startTime: '2026-05-12T11:40:00.123456+00:00',
      endTime: '2026-05-12T11:40:04.002000+00:00',
      request_duration_ms: 3878,
      // the key alias is not a ref: the entity comes from the request tag
      alias: 'prod-retriever-key',
      tags: [
        'backstage:component:default/retriever',
        'User-Agent: OpenAI/Python 1.82.0',
      ],
      model: 'claude-sonnet-4-20250514',
      model_group: 'claude-sonnet-4',
      custom_llm_provider: 'anthropic',
      api_base: 'https://api.anthropic.com/v1/messages',
      prompt_tokens: 2100,
      completion_tokens: 480,
      spend: 0.0135,
      team_id: 'team-search',
    }),
    spendLog({
      request_id: 'chatcmpl-7f1e0c2a-0003',
      startTime: '2026-05-12 10:15:00',
      alias: 'component:default/search',
      tags: [],
      spend: 0.00021,
    }),
    spendLog({
      request_id: 'chatcmpl-7f1e0c2a-0004',
      startTime: '2026-05-12T09:00:00+00:00',
      status: 'failure',
      prompt_tokens: 0,
      completion_tokens: 0,
      spend: 0,
    }),
    spendLog({
      request_id: 'embd-3a9d-0005',
      startTime: '2026-05-12 06:30:00',
      call_type: 'aembedding',
      model: 'text-embedding-3-small',
      model_group: 'text-embedding-3-small',
      prompt_tokens: 8000,
      completion_tokens: 0,
      spend: 0.00016,
    }),
    spendLog({
      request_id: 'chatcmpl-7f1e0c2a-0006',
      startTime: '2026-05-11 20:00:00',
      model: 'hosted_vllm/meta-llama/Llama-3.1-8B-Instruct',
      model_group: 'llama-3.1-8b',
      custom_llm_provider: 'hosted_vllm',
      api_base: 'http://vllm.serving:8000/v1',
      spend: 0,
    }),
    spendLog({
      request_id: 'chatcmpl-7f1e0c2a-0007',
      startTime: '2026-05-11 13:00:00',
      spend: 0.00044,
    }),
    spendLog({
      // two days old: outside the first run's one-day reach
      request_id: 'chatcmpl-7f1e0c2a-0000',
      startTime: '2026-05-10 09:00:00',
    }),
  ];
}

const IN_FIRST_WINDOW = fixture()
  .slice(0, 7)
  .map(r => r.request_id as string);

// ---------------------------------------------------------------------------
// A local server that answers like LiteLLM's /spend/logs/v2.

interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

interface Reply {
  status: number;
  /** JSON-encoded unless a string. */
  body: unknown;
}

interface FakeLiteLLMOptions {
  rows: LiteLLMSpendLog[];
  /** `page_size` cap: 1000 on current LiteLLM, 100 before. */
  maxPageSize?: number;
  /** Cap of the advertised `total` (LiteLLM: 10 000), with `total_is_capped`. */
  countCap?: number;
}

interface FakeLiteLLM {
  baseUrl: string;
  requests: RecordedRequest[];
  rows: LiteLLMSpendLog[];
  /** Answers instead of the real handler when it returns a reply (after auth). */
  override?: (req: RecordedRequest) => Reply | undefined;
  close(): Promise<void>;
}

const LITELLM_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=utc)`. */
function strptimeUtc(value: string): number | undefined {
  const m = LITELLM_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** A stored `startTime` (either form) in epoch ms. */
function rowTime(row: LiteLLMSpendLog): number {
  const text = String(row.startTime);
  return LITELLM_DATE.test(text)
    ? strptimeUtc(text)!
    : Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

/** LiteLLM's ProxyException body. */
function proxyError(status: number, type: string, message: string): Reply {
  return {
    status,
    body: { error: { message, type, param: 'None', code: String(status) } },
  };
}

/** FastAPI's 422 for a query parameter out of range. */
function queryValidationError(
  name: string,
  input: string,
  constraint: { ge?: number; le?: number },
): Reply {
  const [type, msg, ctx] =
    constraint.le !== undefined
      ? [
          'less_than_equal',
          `Input should be less than or equal to ${constraint.le}`,
          { le: constraint.le },
        ]
      : [
          'greater_than_equal',
          `Input should be greater than or equal to ${constraint.ge}`,
          { ge: constraint.ge },
        ];
  return {
    status: 422,
    body: { detail: [{ type, loc: ['query', name], msg, input, ctx }] },
  };
}

function spendLogsV2(
  req: RecordedRequest,
  options: FakeLiteLLMOptions,
  rows: LiteLLMSpendLog[],
): Reply {
  const { start_date: start, end_date: end } = req.query;
  if (!start || !end) {
    return proxyError(
      400,
      'bad_request',
      'Start date and end date are required',
    );
  }
  const from = strptimeUtc(start);
  const to = strptimeUtc(end);
  if (from === undefined || to === undefined) {
    const bad = from === undefined ? start : end;
    return proxyError(
      500,
      'None',
      `time data '${bad}' does not match format '%Y-%m-%d %H:%M:%S'`,
    );
  }
  const maxPageSize = options.maxPageSize ?? 1000;
  const page = Number(req.query.page ?? '1');
  const pageSize = Number(req.query.page_size ?? '50');
  if (!(page >= 1)) {
    return queryValidationError('page', req.query.page, { ge: 1 });
  }
  if (!(pageSize >= 1)) {
    return queryValidationError('page_size', req.query.page_size, { ge: 1 });
  }
  if (pageSize > maxPageSize) {
    return queryValidationError('page_size', req.query.page_size, {
      le: maxPageSize,
    });
  }
  // where startTime gte start and lte end, order by startTime desc
  const matching = rows
    .filter(r => rowTime(r) >= from && rowTime(r) <= to)
    .sort((a, b) => rowTime(b) - rowTime(a));
  const capped =
    options.countCap !== undefined && matching.length > options.countCap;
  const total = capped ? options.countCap! : matching.length;
  const body: Record<string, unknown> = {
    data: matching.slice((page - 1) * pageSize, page * pageSize),
    total,
    page,
    page_size: pageSize,
    total_pages: Math.ceil(total / pageSize),
  };
  if (options.countCap !== undefined) body.total_is_capped = capped;
  return { status: 200, body };
}

async function startFakeLiteLLM(
  options: FakeLiteLLMOptions,
): Promise<FakeLiteLLM> {
  const requests: RecordedRequest[] = [];
  const rows = options.rows;
  const fake: Partial<FakeLiteLLM> = { requests, rows };

  const server = http.createServer((incoming, res) => {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const req: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: incoming.headers,
    };
    requests.push(req);

    const reply = ((): Reply => {
      if (req.method !== 'GET' || req.path !== '/spend/logs/v2') {
        return { status: 404, body: { detail: 'Not Found' } };
      }
      // LiteLLM reads the key from x-litellm-api-key or Authorization.
      const header = req.headers['x-litellm-api-key'];
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      const key = (typeof header === 'string' && header) || bearer?.[1];
      if (!key) {
        return proxyError(
          401,
          'auth_error',
          'Authentication Error, No api key passed in.',
        );
      }
      if (key !== API_KEY) {
        return proxyError(
          401,
          'auth_error',
          `Authentication Error, Invalid proxy server token passed. Received API Key = sk-...${key.slice(
            -4,
          )}, Key Hash (Token) =9a3c2f. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
        );
      }
      return fake.override?.(req) ?? spendLogsV2(req, options, rows);
    })();

    const text =
      typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type':
        typeof reply.body === 'string' ? 'text/html' : 'application/json',
    });
    res.end(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close(err => (err ? reject(err) : resolve()));
    });
  return fake as FakeLiteLLM;
}

// ---------------------------------------------------------------------------
// An in-memory usage store, idempotent on the record id like the real one.

function memoryStore(initialCursors: Record<string, string> = {}) {
  const records = new Map<string, UsageRecord>();
  const batches: string[][] = [];
  const cursorValues = new Map(Object.entries(initialCursors));
  const sink: UsageSink = {
    insertUsage: jest.fn(async (batch: UsageRecord[]) => {
      batches.push(batch.map(r => r.id));
      let inserted = 0;
      for (const r of batch) {
        if (!records.has(r.id)) {
          records.set(r.id, r);
          inserted += 1;
        }
      }
      return { inserted };
    }),
  };
  const cursors: CursorStore = {
    getCursor: jest.fn(async (key: string) => cursorValues.get(key)),
    setCursor: jest.fn(async (key: string, value: string) => {
      cursorValues.set(key, value);
    }),
  };
  return { records, batches, cursorValues, sink, cursors };
}

/** The text of every call of a mocked logger method. */
function messages(fn: jest.Mock): string[] {
  return fn.mock.calls.map(call => String(call[0]));
}

describe('LiteLLMCollector against a LiteLLM-like server', () => {
  let server: FakeLiteLLM;
  let store: ReturnType<typeof memoryStore>;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  const cursorKey = () => `litellm:${server.baseUrl}`;
  const collector = (options: Partial<LiteLLMCollectorOptions> = {}) =>
    new LiteLLMCollector({
      baseUrl: server.baseUrl,
      apiKey: API_KEY,
      sink: store.sink,
      cursors: store.cursors,
      logger,
      pageSize: 3,
      ...options,
    });

  beforeEach(async () => {
    server = await startFakeLiteLLM({ rows: fixture() });
    store = memoryStore();
    logger = mockServices.logger.mock();
  });
  afterEach(async () => {
    await server.close();
  });

  it('first run: reads every page of the last day, with the dates, pages and key LiteLLM expects', async () => {
    const result = await collector().collect(NOW);

    expect(result).toEqual({ pages: 3, rows: 7, inserted: 7, rejected: 0 });
    expect(server.requests.map(r => [r.method, r.path])).toEqual([
      ['GET', '/spend/logs/v2'],
      ['GET', '/spend/logs/v2'],
      ['GET', '/spend/logs/v2'],
    ]);
    // now − 1 day to now, `YYYY-MM-DD HH:MM:SS` UTC, pages 1..total_pages
    expect(server.requests.map(r => r.query)).toEqual(
      ['1', '2', '3'].map(page => ({
        start_date: '2026-05-11 12:00:00',
        end_date: '2026-05-12 12:00:00',
        page,
        page_size: '3',
      })),
    );
    for (const r of server.requests) {
      expect(r.headers['x-litellm-api-key']).toBe(API_KEY);
      expect(r.headers.authorization).toBe(`Bearer ${API_KEY}`);
    }

    // one batch per page, newest first (LiteLLM's order); the old row not read
    expect(store.batches).toEqual([
      IN_FIRST_WINDOW.slice(0, 3),
      IN_FIRST_WINDOW.slice(3, 6),
      IN_FIRST_WINDOW.slice(6),
    ]);
    expect(store.records.has('chatcmpl-7f1e0c2a-0000')).toBe(false);

    // the cursor is the newest startTime stored
    expect(store.cursorValues.get(cursorKey())).toBe(
      '2026-05-12T11:55:10.000Z',
    );
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('maps rows: entity from the request tag, cost from spend, both startTime forms', async () => {
    await collector().collect(NOW);

    expect(store.records.get('chatcmpl-7f1e0c2a-0001')).toEqual({
      id: 'chatcmpl-7f1e0c2a-0001',
      ts: Date.UTC(2026, 4, 12, 11, 55, 10),
      entityRef: 'component:default/answers',
      team: 'team-ml',
      keyAlias: 'component:default/answers',
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 1200,
      outputTokens: 350,
      costUsd: 0.00039,
      costSource: 'gateway',
      priceSource: 'gateway',
      durationMs: 1840,
      status: 'success',
      tags: ['backstage:component:default/answers'],
    });

    // ISO startTime with microseconds; the key alias is no ref, the tag is
    expect(store.records.get('chatcmpl-7f1e0c2a-0002')).toMatchObject({
      ts: Date.UTC(2026, 4, 12, 11, 40, 0, 123),
      entityRef: 'component:default/retriever',
      keyAlias: 'prod-retriever-key',
      team: 'team-search',
      model: 'claude-sonnet-4',
      provider: 'anthropic',
      inputTokens: 2100,
      outputTokens: 480,
      costUsd: 0.0135,
      costSource: 'gateway',
      durationMs: 3878,
      // LiteLLM's own User-Agent tag names no service and is dropped
      tags: ['backstage:component:default/retriever'],
    });

    // no backstage tag: the key alias names the entity
    expect(store.records.get('chatcmpl-7f1e0c2a-0003')).toMatchObject({
      entityRef: 'component:default/search',
      costUsd: 0.00021,
    });
    // a failed call with no tokens costs a real 0
    expect(store.records.get('chatcmpl-7f1e0c2a-0004')).toMatchObject({
      status: 'failure',
      costUsd: 0,
      costSource: 'gateway',
    });
    // spend 0 for tokens on a self-hosted model: unpriced, never a silent 0
    expect(store.records.get('chatcmpl-7f1e0c2a-0006')).toMatchObject({
      model: 'llama-3.1-8b',
      provider: 'hosted_vllm',
      costUsd: null,
      costSource: 'unpriced',
    });
  });

  it('second run re-reads only the overlap window and inserts nothing new; a late row is caught', async () => {
    await collector().collect(NOW);
    server.requests.length = 0;

    const second = await collector().collect(NOW + 5 * MINUTE);

    // cursor (11:55:10) − 2 h to now: only the rows since 09:55:10
    expect(server.requests.map(r => r.query)).toEqual([
      {
        start_date: '2026-05-12 09:55:10',
        end_date: '2026-05-12 12:05:00',
        page: '1',
        page_size: '3',
      },
    ]);
    expect(second).toEqual({ pages: 1, rows: 3, inserted: 0, rejected: 0 });
    expect(store.records.size).toBe(7);
    expect(store.cursorValues.get(cursorKey())).toBe(
      '2026-05-12T11:55:10.000Z',
    );

    // LiteLLM writes a call late (its startTime is before the cursor), and a new one
    server.rows.push(
      spendLog({
        request_id: 'chatcmpl-late-0008',
        startTime: '2026-05-12 11:50:00',
      }),
      spendLog({
        request_id: 'chatcmpl-new-0009',
        startTime: '2026-05-12 12:07:30',
      }),
    );
    server.requests.length = 0;

    const third = await collector().collect(NOW + 10 * MINUTE);

    expect(
      server.requests.map(r => [
        r.query.start_date,
        r.query.end_date,
        r.query.page,
      ]),
    ).toEqual([
      ['2026-05-12 09:55:10', '2026-05-12 12:10:00', '1'],
      ['2026-05-12 09:55:10', '2026-05-12 12:10:00', '2'],
    ]);
    expect(third).toEqual({ pages: 2, rows: 5, inserted: 2, rejected: 0 });
    expect(store.records.has('chatcmpl-late-0008')).toBe(true);
    expect(store.records.has('chatcmpl-new-0009')).toBe(true);
    expect(store.cursorValues.get(cursorKey())).toBe(
      '2026-05-12T12:07:30.000Z',
    );
  });

  it('a 500 on page 2 stops the run, logs it and leaves the cursor; the next run recovers', async () => {
    store = memoryStore();
    await store.cursors.setCursor(
      `litellm:${server.baseUrl}`,
      '2026-05-12T06:00:00.000Z',
    );
    (store.cursors.setCursor as jest.Mock).mockClear();
    server.override = req =>
      req.query.page === '2'
        ? proxyError(
            500,
            'internal_error',
            'Internal Server Error, could not connect to database',
          )
        : undefined;

    const error = await collector({ pageSize: 2 })
      .collect(NOW)
      .catch(e => e);

    expect(error).toBeInstanceOf(LiteLLMRequestError);
    expect(error.status).toBe(500);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('could not connect to database');
    // page 1 was read and written, page 2 failed, page 3 never asked
    expect(server.requests.map(r => r.query.page)).toEqual(['1', '2']);
    expect(store.batches).toEqual([
      ['chatcmpl-7f1e0c2a-0001', 'chatcmpl-7f1e0c2a-0002'],
    ]);
    expect(store.cursors.setCursor).not.toHaveBeenCalled();
    expect(store.cursorValues.get(cursorKey())).toBe(
      '2026-05-12T06:00:00.000Z',
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
    const [logged] = messages(logger.error as jest.Mock);
    expect(logged).toContain('HTTP 500');
    expect(logged).toContain('cursor left at 2026-05-12T06:00:00.000Z');
    expect(logged).not.toContain(API_KEY);

    // the proxy is back: the same window is read again, page 1 adds nothing
    server.override = undefined;
    server.requests.length = 0;
    const retry = await collector({ pageSize: 2 }).collect(NOW);
    expect(server.requests.map(r => r.query.start_date)).toEqual([
      '2026-05-12 04:00:00',
      '2026-05-12 04:00:00',
      '2026-05-12 04:00:00',
    ]);
    expect(retry).toEqual({ pages: 3, rows: 5, inserted: 3, rejected: 0 });
    expect(store.cursorValues.get(cursorKey())).toBe(
      '2026-05-12T11:55:10.000Z',
    );
  });

  it('a wrong key: the 401 is surfaced clearly, nothing is written, the key is not echoed', async () => {
    const wrongKey = 'sk-not-the-master-key-4242';
    const error = await collector({ apiKey: wrongKey })
      .collect(NOW)
      .catch(e => e);

    expect(error).toBeInstanceOf(LiteLLMRequestError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).toContain('aiPlatform.litellm.apiKey');
    expect(error.message).toContain(
      'Authentication Error, Invalid proxy server token passed',
    );
    expect(error.message).not.toContain(wrongKey);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers['x-litellm-api-key']).toBe(wrongKey);
    expect(store.sink.insertUsage).not.toHaveBeenCalled();
    expect(store.cursors.setCursor).not.toHaveBeenCalled();
    expect(messages(logger.error as jest.Mock).join('\n')).toContain(
      'HTTP 401',
    );
  });

  it('no key at all: LiteLLM says so', async () => {
    const error = await collector({ apiKey: undefined })
      .collect(NOW)
      .catch(e => e);
    expect(server.requests[0].headers['x-litellm-api-key']).toBeUndefined();
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(error.message).toContain('No api key passed in');
  });

  it('skips and counts invalid rows, names them in a warning, and still moves the cursor', async () => {
    server.rows.push(
      spendLog({
        request_id: 'chatcmpl-bad-0010',
        startTime: '2026-05-12 11:58:00',
        prompt_tokens: -5,
      }),
      spendLog({
        request_id: 'chatcmpl-bad-0011',
        startTime: '2026-05-12 11:57:00',
        model: null,
        model_group: null,
      }),
    );

    const result = await collector().collect(NOW);

    expect(result).toEqual({ pages: 3, rows: 9, inserted: 7, rejected: 2 });
    expect(store.records.has('chatcmpl-bad-0010')).toBe(false);
    expect(store.records.has('chatcmpl-bad-0011')).toBe(false);
    // the good row sharing page 1 with both bad ones is stored
    expect(store.batches[0]).toEqual(['chatcmpl-7f1e0c2a-0001']);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    const [warning] = messages(logger.warn as jest.Mock);
    expect(warning).toContain('skipped 2 invalid spend-log row(s) of 9');
    expect(warning).toContain(
      'request_id chatcmpl-bad-0010: prompt_tokens must not be negative',
    );
    expect(warning).toContain(
      'request_id chatcmpl-bad-0011: model_group is required',
    );
    // the newest valid row, not the newer bad ones
    expect(store.cursorValues.get(cursorKey())).toBe(
      '2026-05-12T11:55:10.000Z',
    );
  });

  it('skips rows older than raw retention, which a later replay could not recognise', async () => {
    server.rows.push(
      spendLog({
        request_id: 'chatcmpl-old-0020',
        startTime: '2026-05-12 01:30:00',
      }),
    );
    // Retention of 10 h before NOW (12:00): 01:30 is out, and so are the
    // fixture's two rows of 11 May.
    const result = await collector({
      rawRetentionMs: 10 * 3_600_000,
    }).collect(NOW);
    expect(result.rejected).toBe(3);
    expect(store.records.has('chatcmpl-7f1e0c2a-0006')).toBe(false);
    expect(store.records.has('chatcmpl-7f1e0c2a-0001')).toBe(true);
    expect(store.records.has('chatcmpl-old-0020')).toBe(false);
    const [warning] = messages(logger.warn as jest.Mock);
    expect(warning).toContain(
      'request_id chatcmpl-old-0020: startTime is older than raw usage retention',
    );
  });

  it('a malformed page (an HTML error page with 200) aborts without moving the cursor', async () => {
    server.override = req =>
      req.query.page === '2'
        ? { status: 200, body: '<html><body>Sign in to continue</body></html>' }
        : undefined;

    const error = await collector()
      .collect(NOW)
      .catch(e => e);

    expect(error).toBeInstanceOf(LiteLLMRequestError);
    expect(error.message).toContain('malformed page');
    expect(store.cursors.setCursor).not.toHaveBeenCalled();
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('reads past total_pages while LiteLLM says the count is capped', async () => {
    await server.close();
    server = await startFakeLiteLLM({ rows: fixture(), countCap: 4 });

    const result = await collector({ pageSize: 2 }).collect(NOW);

    // total 4 (capped) → total_pages 2, but the rows go on: 2+2+2+1
    expect(server.requests.map(r => r.query.page)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    expect(result).toEqual({ pages: 4, rows: 7, inserted: 7, rejected: 0 });
  });

  it('falls back to 100 rows a page on a proxy that refuses 1000 (older LiteLLM)', async () => {
    await server.close();
    server = await startFakeLiteLLM({ rows: fixture(), maxPageSize: 100 });
    const c = collector({ pageSize: undefined });

    const result = await c.collect(NOW);

    expect(server.requests.map(r => r.query.page_size)).toEqual([
      '1000',
      '100',
    ]);
    expect(result).toEqual({ pages: 1, rows: 7, inserted: 7, rejected: 0 });
    expect(messages(logger.warn as jest.Mock).join('\n')).toContain(
      'refuses page_size=1000',
    );

    // and keeps 100 afterwards
    server.requests.length = 0;
    await c.collect(NOW + MINUTE);
    expect(server.requests.map(r => r.query.page_size)).toEqual(['100']);
  });

  it('an unreachable proxy is an error, not an empty run', async () => {
    const { baseUrl } = server;
    await server.close();
    const error = await new LiteLLMCollector({
      baseUrl,
      apiKey: API_KEY,
      sink: store.sink,
      cursors: store.cursors,
      logger,
    })
      .collect(NOW)
      .catch(e => e);
    expect(error).toBeInstanceOf(LiteLLMRequestError);
    expect(error.message).toContain('failed');
    expect(store.cursors.setCursor).not.toHaveBeenCalled();
    server = await startFakeLiteLLM({ rows: [] }); // for afterEach
  });
});

describe('LiteLLMCollector.fromConfig and scheduleLiteLLMCollector', () => {
  const deps = () => ({
    ...memoryStore(),
    logger: mockServices.logger.mock(),
  });

  it('is off without aiPlatform.litellm.baseUrl', () => {
    expect(
      LiteLLMCollector.fromConfig(new ConfigReader({}), deps()),
    ).toBeUndefined();
    expect(
      LiteLLMCollector.fromConfig(
        new ConfigReader({ aiPlatform: { litellm: { apiKey: 'sk-1' } } }),
        deps(),
      ),
    ).toBeUndefined();
  });

  it('reads baseUrl, apiKey and schedule; the default schedule is every 5 minutes', () => {
    const d = deps();
    const collector = LiteLLMCollector.fromConfig(
      new ConfigReader({
        aiPlatform: {
          litellm: { baseUrl: 'http://litellm:4000/', apiKey: 'sk-1' },
        },
      }),
      d,
    );
    expect(collector?.schedule).toEqual(DEFAULT_LITELLM_SCHEDULE);
    expect(DEFAULT_LITELLM_SCHEDULE).toEqual({
      frequency: { minutes: 5 },
      timeout: { minutes: 4 },
    });
    expect(collector?.cursorKey).toBe('litellm:http://litellm:4000');
    expect(d.logger.warn).not.toHaveBeenCalled();

    const custom = LiteLLMCollector.fromConfig(
      new ConfigReader({
        aiPlatform: {
          litellm: {
            baseUrl: 'http://litellm:4000',
            schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 } },
          },
        },
      }),
      d,
    );
    expect(custom?.schedule).toEqual({
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
    });
    // no key: allowed (a proxy without auth), but said
    expect(messages(d.logger.warn as jest.Mock).join('\n')).toContain(
      'aiPlatform.litellm.apiKey is not set',
    );
  });

  it('refuses a baseUrl that is not an http(s) URL', () => {
    expect(() =>
      LiteLLMCollector.fromConfig(
        new ConfigReader({
          aiPlatform: { litellm: { baseUrl: 'litellm:4000' } },
        }),
        deps(),
      ),
    ).toThrow(/aiPlatform\.litellm\.baseUrl/);
    expect(() =>
      LiteLLMCollector.fromConfig(
        new ConfigReader({ aiPlatform: { litellm: { baseUrl: 'nope' } } }),
        deps(),
      ),
    ).toThrow(/not a URL/);
  });

  it('schedules a global task that runs a collection against the proxy', async () => {
    const server = await startFakeLiteLLM({ rows: fixture() });
    try {
      const d = deps();
      const scheduler = mockServices.scheduler.mock();
      const collector = await scheduleLiteLLMCollector({
        config: new ConfigReader({
          aiPlatform: { litellm: { baseUrl: server.baseUrl, apiKey: API_KEY } },
        }),
        scheduler,
        logger: d.logger,
        sink: d.sink,
        cursors: d.cursors,
      });
      expect(collector).toBeInstanceOf(LiteLLMCollector);
      expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
      const task = scheduler.scheduleTask.mock.calls[0][0];
      expect(task.id).toBe(LITELLM_COLLECTOR_TASK_ID);
      expect(task.id).toBe('ai-platform-litellm-collector');
      expect(task.frequency).toEqual({ minutes: 5 });
      expect(task.timeout).toEqual({ minutes: 4 });
      expect(task.scope).toBeUndefined(); // the scheduler's default: global

      // the task collects up to Date.now(): pin it to the fixture's now
      jest.spyOn(Date, 'now').mockReturnValue(NOW);
      await task.fn(new AbortController().signal);
      expect(server.requests).toHaveLength(1); // 7 rows fit one 1000-row page
      expect(server.requests[0].query.page_size).toBe('1000');
      expect(d.records.size).toBe(7);
      expect(d.cursorValues.get(`litellm:${server.baseUrl}`)).toBe(
        '2026-05-12T11:55:10.000Z',
      );
    } finally {
      jest.restoreAllMocks();
      await server.close();
    }
  });

  it('schedules nothing without a baseUrl', async () => {
    const d = deps();
    const scheduler = mockServices.scheduler.mock();
    await expect(
      scheduleLiteLLMCollector({
        config: new ConfigReader({}),
        scheduler,
        logger: d.logger,
        sink: d.sink,
        cursors: d.cursors,
      }),
    ).resolves.toBeUndefined();
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
