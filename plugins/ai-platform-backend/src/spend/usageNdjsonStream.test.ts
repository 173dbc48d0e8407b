import { mockCredentials } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { Knex } from 'knex';
import { createTestApp } from '../__testUtils__/createTestApp';
import { postRaw } from '../__testUtils__/rawHttp';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { spendOrgFixture, usageInput } from '../__testUtils__/usageFixtures';
import { NDJSON_BATCH } from './ingestUsageNdjson';

jest.setTimeout(180_000);

const SERVICE = mockCredentials.service.header();
const USER = mockCredentials.user.header('user:default/alice');
const NOW = Date.parse('2025-09-15T00:00:00Z');
const START = Date.parse('2025-09-01T00:00:00Z');
const NDJSON = 'application/x-ndjson';

/** `n` valid records, `prefix-0` to `prefix-(n-1)`, over three days. */
function lines(n: number, prefix = 'r'): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      usageInput(`${prefix}-${i}`, START + (i % 4320) * 60_000, {
        entityRef: 'component:default/answers',
        costUsd: 0.5,
        inputTokens: 10,
        outputTokens: 1 + (i % 3),
      }),
    ),
  );
}

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

describe('POST /usage NDJSON, streamed', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let server: http.Server;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { app } = await createTestApp({
        entities: spendOrgFixture(),
        knex,
        now: NOW,
        config: {
          aiPlatform: {
            ingestion: { routes: { usage: { maxBodySize: '2mb' } } },
          },
        },
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
    });

    afterAll(async () => {
      await new Promise(resolve => server.close(resolve));
    });

    beforeEach(async () => {
      await knex('ai_usage_rollups').delete();
      await knex('ai_usage_records').delete();
    });

    const port = () => (server.address() as AddressInfo).port;

    const post = (
      body: string | Buffer,
      headers: Record<string, string> = {},
    ) =>
      postRaw({
        port: port(),
        path: '/usage',
        body,
        headers: {
          authorization: SERVICE,
          'content-type': NDJSON,
          ...headers,
        },
      });

    async function expectNothingWritten() {
      expect(await count(knex, 'ai_usage_records')).toBe(0);
      expect(await count(knex, 'ai_usage_rollups')).toBe(0);
    }

    it('writes nothing when the last line is bad, after whole batches went to the database, and names its record and field', async () => {
      const body = [
        ...lines(2 * NDJSON_BATCH + 10),
        JSON.stringify({
          ...usageInput('last', START),
          inputTokens: -1,
        }),
      ].join('\n');
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toBe(
        `Invalid usage batch, nothing was written: records[${
          2 * NDJSON_BATCH + 10
        }].inputTokens: must not be negative`,
      );
      await expectNothingWritten();
    });

    it('writes nothing when the last line is not JSON, and names its line', async () => {
      const good = lines(NDJSON_BATCH + 1);
      const body = `${good.join('\n')}\n\n{"id": "cut`;
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `Invalid usage batch, nothing was written: records[${
          NDJSON_BATCH + 1
        }]: line ${NDJSON_BATCH + 3} is not valid JSON`,
      );
      await expectNothingWritten();
    });

    it('counts every problem of the stream, naming the first ten', async () => {
      const body = lines(30)
        .map((line, i) =>
          i % 2 ? line.replace('"model":"gpt-4o",', '') : line,
        )
        .join('\n');
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('records[1].model: is required');
      expect(res.body.error.message).toContain('records[19].model');
      expect(res.body.error.message).not.toContain('records[21]');
      expect(res.body.error.message).toContain('(and 5 more)');
      await expectNothingWritten();
    });

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
    ])('inflates a %s stream as it reads it', async (encoding, compress) => {
      const body = compress(`${lines(NDJSON_BATCH * 2 + 3).join('\r\n')}\n`);
      const res = await post(body, { 'content-encoding': encoding });
      expect(res.body).toEqual({
        received: NDJSON_BATCH * 2 + 3,
        inserted: NDJSON_BATCH * 2 + 3,
      });
      expect(await count(knex, 'ai_usage_records')).toBe(NDJSON_BATCH * 2 + 3);
    });

    it('refuses a body that does not inflate, writing nothing', async () => {
      const body = Buffer.concat([
        gzipSync(lines(NDJSON_BATCH + 5).join('\n')).subarray(0, 2000),
        Buffer.from('not gzip at all'),
      ]);
      const res = await post(body, { 'content-encoding': 'gzip' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /Request body of POST \/usage does not inflate/,
      );
      await expectNothingWritten();
    });

    it('answers 413 for a stream over the limit once inflated, after batches were written, and writes nothing', async () => {
      // About 8 MB of NDJSON that gzips to well under the 2 MB limit.
      const text = lines(40_000).join('\n');
      expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
      const body = gzipSync(text);
      expect(body.length).toBeLessThan(2 * 1024 * 1024);
      const res = await post(body, { 'content-encoding': 'gzip' });
      expect(res.status).toBe(413);
      expect(res.body.error.name).toBe('PayloadTooLargeError');
      expect(res.body.error.message).toBe(
        'Request body of POST /usage is larger than its limit of 2mb (after decompression); send smaller batches or raise aiPlatform.ingestion.routes.usage.maxBodySize',
      );
      await expectNothingWritten();
    });

    it('counts nothing twice: a replayed stream, and an id repeated across batches of one stream', async () => {
      const body = [...lines(NDJSON_BATCH + 50), lines(1)[0]].join('\n');
      const first = await post(body);
      expect(first.body).toEqual({
        received: NDJSON_BATCH + 51,
        inserted: NDJSON_BATCH + 50,
      });
      const rollups = await knex('ai_usage_rollups')
        .orderBy(['resolution', 'bucket'])
        .select('resolution', 'bucket', 'requests', 'input_tokens');
      const replay = await post(body);
      expect(replay.body).toEqual({
        received: NDJSON_BATCH + 51,
        inserted: 0,
      });
      expect(await count(knex, 'ai_usage_records')).toBe(NDJSON_BATCH + 50);
      expect(
        await knex('ai_usage_rollups')
          .orderBy(['resolution', 'bucket'])
          .select('resolution', 'bucket', 'requests', 'input_tokens'),
      ).toEqual(rollups);
      const [{ requests }] = await knex('ai_usage_rollups')
        .where({ resolution: 'month' })
        .sum({ requests: 'requests' });
      expect(Number(requests)).toBe(NDJSON_BATCH + 50);
    });

    it('skips a byte order mark before the first line', async () => {
      const res = await post(`\uFEFF${lines(2).join('\n')}`, {
        'content-type': `${NDJSON}; charset=utf-8`,
      });
      expect(res.body).toEqual({ received: 2, inserted: 2 });
    });

    it('refuses a charset other than UTF-8 before reading, writing nothing', async () => {
      const res = await post(lines(2).join('\n'), {
        'content-type': `${NDJSON}; charset=utf-16le`,
      });
      expect(res.status).toBe(415);
      expect(res.body.error.message).toBe(
        'Content-Type charset of POST /usage must be utf-8',
      );
      await expectNothingWritten();
    });

    it('reads lines and UTF-8 characters split across chunks of a chunked body', async () => {
      const records = lines(3).map(line =>
        line.replace('"model":"gpt-4o"', '"model":"gpt-4o","team":"équipe-🚀"'),
      );
      const bytes = Buffer.from(`${records.join('\n')}\n`);
      const res = await new Promise<{ status: number; body: any }>(
        (resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port: port(),
              path: '/usage',
              method: 'POST',
              headers: { authorization: SERVICE, 'content-type': NDJSON },
            },
            response => {
              let text = '';
              response.on('data', chunk => (text += chunk));
              response.on('end', () =>
                resolve({
                  status: response.statusCode!,
                  body: JSON.parse(text),
                }),
              );
            },
          );
          req.on('error', reject);
          // Seven bytes at a time: lines and multi-byte characters split.
          let at = 0;
          const next = () => {
            if (at >= bytes.length) {
              req.end();
              return;
            }
            req.write(bytes.subarray(at, at + 7));
            at += 7;
            setImmediate(next);
          };
          next();
        },
      );
      expect(res.body).toEqual({ received: 3, inserted: 3 });
      const teams = await knex('ai_usage_records').distinct('team');
      expect(teams).toEqual([{ team: 'équipe-🚀' }]);
    });

    it('refuses a user before reading the body, and closes the connection', async () => {
      const answer = await new Promise<{ status: number; connection?: string }>(
        (resolve, reject) => {
          const req = http.request({
            host: '127.0.0.1',
            port: port(),
            path: '/usage',
            method: 'POST',
            headers: {
              authorization: USER,
              'content-type': NDJSON,
              'content-encoding': 'gzip',
              'content-length': String(100 * 1024 * 1024),
            },
          });
          req.on('response', response => {
            response.resume();
            response.on('end', () => {
              resolve({
                status: response.statusCode!,
                connection: response.headers.connection,
              });
              req.destroy();
            });
          });
          req.on('error', error => {
            if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') {
              reject(error);
            }
          });
          // The rest of the 100 MB never comes: only an answer given before
          // reading the body resolves.
          req.write(Buffer.alloc(1024, 0x20));
        },
      );
      expect(answer.status).toBe(403);
      expect(answer.connection).toBe('close');
      await expectNothingWritten();
    });
  });
});
