import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { aiPlatformPlugin } from './plugin';
import { orgFixture } from './__testUtils__/orgFixture';
import { postRaw } from './__testUtils__/rawHttp';

jest.setTimeout(60_000);

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header('user:default/alice');

/** A valid usage record at `ts`. */
const record = (id: string, ts = Date.now() - 60_000) => ({
  id,
  timestamp: new Date(ts).toISOString(),
  entityRef: 'component:default/storefront',
  model: 'gpt-4o-mini',
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.01,
});

/**
 * Sends the headers of a large body and only its first kilobyte, then waits
 * for the answer. A server that reads or inflates the body before checking
 * credentials never answers (the rest never comes), so this resolves only
 * when the refusal came first. The rest of the body is never sent.
 */
function answerBeforeBody(
  server: http.Server,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any; connection?: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(100 * 1024 * 1024),
        ...headers,
      },
    });
    req.on('response', res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (text += chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode!,
          body: text ? JSON.parse(text) : undefined,
          connection: res.headers.connection,
        });
        req.destroy();
      });
    });
    req.on('error', error => {
      // The server closing the socket after its answer is expected.
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.write(Buffer.alloc(1024, 0x20));
  });
}

/** POSTs raw bytes as a service (supertest would re-encode a Buffer). */
function post(
  server: http.Server,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const { port } = server.address() as AddressInfo;
  return postRaw({
    port,
    path,
    body,
    headers: { authorization: SERVICE, ...headers },
  });
}

describe('ingestion guards of the real plugin (credentials before the body, limits after inflating)', () => {
  let server: http.Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        catalogServiceMock.factory({ entities: orgFixture() }),
        mockServices.rootConfig.factory({
          data: {
            aiPlatform: {
              ingestion: {
                maxBodySize: '2mb',
                routes: { litellm: { maxBodySize: '64kb' } },
              },
            },
          },
        }),
      ],
    });
    server = backend.server as unknown as http.Server;
    stop = () => backend.stop();
  });

  afterAll(() => stop());

  const spendTotal = async () =>
    (
      await request(server)
        .get(
          `/api/ai-platform/spend?from=${new Date(
            Date.now() - 86_400_000,
          ).toISOString()}&groupBy=model`,
        )
        .set('Authorization', USER)
    ).body;

  it.each([
    ['/api/ai-platform/usage', 'user', USER, 403],
    ['/api/ai-platform/usage/litellm', 'user', USER, 403],
    ['/api/ai-platform/signals', 'user', USER, 403],
    ['/api/ai-platform/openlineage', 'user', USER, 403],
    ['/api/ai-platform/usage', 'anonymous', mockCredentials.none.header(), 401],
    [
      '/api/ai-platform/signals',
      'anonymous',
      mockCredentials.none.header(),
      401,
    ],
    [
      '/api/ai-platform/openlineage',
      'anonymous',
      mockCredentials.none.header(),
      401,
    ],
    [
      '/api/ai-platform/usage/litellm',
      'invalid-token',
      mockCredentials.service.invalidHeader(),
      401,
    ],
  ])(
    'refuses %s from a %s caller before reading a 100 MB body, and closes the connection',
    async (path, _who, authorization, status) => {
      const answer = await answerBeforeBody(server, path, { authorization });
      expect(answer.status).toBe(status);
      expect(answer.connection).toBe('close');
    },
  );

  it.each([
    ['anonymous', mockCredentials.none.header(), 401],
    ['user', USER, 403],
  ])(
    'refuses an %s caller before the OpenAPI validator could answer: an unknown query parameter and a text/plain body get the credential error, unread',
    async (_who, authorization, status) => {
      // Were the spec's validator in front, this would be a 400 (unknown
      // query parameter, media type) after looking at the request.
      const answer = await answerBeforeBody(
        server,
        '/api/ai-platform/usage?dryRun=true',
        { authorization, 'content-type': 'text/plain' },
      );
      expect(answer.status).toBe(status);
      expect(answer.connection).toBe('close');
    },
  );

  it('refuses a gzip body from a user without inflating it', async () => {
    const answer = await answerBeforeBody(server, '/api/ai-platform/usage', {
      authorization: USER,
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error.name).toBe('NotAllowedError');
  });

  it('takes a gzip body from a service within the limit', async () => {
    const body = gzipSync(
      JSON.stringify({ records: [record('gz-1'), record('gz-2')] }),
    );
    const res = await post(server, '/api/ai-platform/usage', body, {
      'content-encoding': 'gzip',
    });
    expect(res.body).toEqual({ received: 2, inserted: 2 });
  });

  it('bounds a compressed body by its inflated size: a 2 MB limit refuses 5 MB that gzip to a few kilobytes, writing nothing', async () => {
    const before = await spendTotal();
    const records = Array.from({ length: 25_000 }, (_, i) =>
      record(`bomb-${i}`),
    );
    const json = JSON.stringify({ records });
    expect(json.length).toBeGreaterThan(4 * 1024 * 1024);
    const body = gzipSync(json);
    expect(body.length).toBeLessThan(2 * 1024 * 1024);
    const res = await post(server, '/api/ai-platform/usage', body, {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('limit of 2mb');
    expect(res.body.error.message).toContain(
      'aiPlatform.ingestion.routes.usage.maxBodySize',
    );
    expect(await spendTotal()).toEqual(before);
  });

  it('applies the limit configured per route', async () => {
    const rows = Array.from({ length: 800 }, (_, i) => ({
      request_id: `ll-${i}`,
      startTime: new Date().toISOString(),
      model: 'gpt-4o-mini',
      prompt_tokens: 1,
      completion_tokens: 1,
      spend: 0.001,
    }));
    const res = await request(server)
      .post('/api/ai-platform/usage/litellm')
      .set('Authorization', SERVICE)
      .send(rows);
    expect(JSON.stringify(rows).length).toBeGreaterThan(64 * 1024);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain('limit of 64kb');
  });

  it('answers 413 at once when Content-Length is over the limit', async () => {
    const answer = await answerBeforeBody(server, '/api/ai-platform/usage', {
      authorization: SERVICE,
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.name).toBe('PayloadTooLargeError');
  });

  it.each([
    ['text/plain', 'must be application/json or application/x-ndjson'],
    ['application/xml', 'got application/xml'],
  ])('answers 415 to a %s body', async (type, message) => {
    const res = await request(server)
      .post('/api/ai-platform/usage')
      .set('Authorization', SERVICE)
      .set('Content-Type', type)
      .send('{"records":[]}');
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain(message);
  });

  it('answers 415 to an unknown Content-Encoding', async () => {
    const res = await post(
      server,
      '/api/ai-platform/signals',
      Buffer.from('{}'),
      {
        'content-encoding': 'zstd',
      },
    );
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain('Content-Encoding');
  });

  it('answers 400 naming the route to a body that is not JSON', async () => {
    const res = await request(server)
      .post('/api/ai-platform/signals')
      .set('Authorization', SERVICE)
      .set('Content-Type', 'application/json')
      .send('{"signals": [');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'Request body of POST /signals is not valid JSON',
    );
  });

  it('refuses a record older than raw retention (90 days by default), so a replay can never count it twice', async () => {
    const old = record('old-1', Date.now() - 91 * 86_400_000);
    const res = await request(server)
      .post('/api/ai-platform/usage')
      .set('Authorization', SERVICE)
      .send({ records: [old] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'records[0].timestamp: is older than raw usage retention',
    );
  });
});

describe('a catalog that cannot be reached', () => {
  let server: http.Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // The real catalog client, pointed at a port nobody listens on.
    const discovery = createServiceFactory({
      service: coreServices.discovery,
      deps: {},
      factory: () => ({
        getBaseUrl: async (pluginId: string) =>
          `http://127.0.0.1:1/api/${pluginId}`,
        getExternalBaseUrl: async (pluginId: string) =>
          `http://127.0.0.1:1/api/${pluginId}`,
      }),
    });
    const backend = await startTestBackend({
      features: [aiPlatformPlugin, discovery],
    });
    server = backend.server as unknown as http.Server;
    stop = () => backend.stop();
  });

  afterAll(() => stop());

  it.each([
    ['GET', '/api/ai-platform/pipelines', USER],
    ['GET', '/api/ai-platform/pipelines/default/x/ownership', USER],
    ['GET', '/api/ai-platform/pipelines/default/x/dashboard', USER],
    ['GET', '/api/ai-platform/pipelines/default/x/halt', USER],
    ['GET', '/api/ai-platform/ownership/report', USER],
    ['GET', '/api/ai-platform/stages?owner=group:default/ml-team', USER],
    ['GET', '/api/ai-platform/spend', USER],
  ])('answers 503 naming the catalog to %s %s', async (_m, path, auth) => {
    const res = await request(server).get(path).set('Authorization', auth);
    expect(res.status).toBe(503);
    expect(res.body.error.name).toBe('ServiceUnavailableError');
    expect(res.body.error.message).toMatch(/^The catalog is unavailable/);
  });

  it('answers 503 to a signal batch that needs the catalog, writing nothing', async () => {
    const res = await request(server)
      .post('/api/ai-platform/signals')
      .set('Authorization', SERVICE)
      .send({
        signals: [
          {
            pipeline: 'search-rag',
            signal: 'quality',
            value: 0.9,
            timestamp: Date.now() - 1000,
          },
        ],
      });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/^The catalog is unavailable/);
  });
});
