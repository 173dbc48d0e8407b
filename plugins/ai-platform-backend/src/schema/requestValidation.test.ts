import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import http from 'node:http';
import request from 'supertest';
import { aiPlatformPlugin } from '../plugin';
import { orgFixture } from '../__testUtils__/orgFixture';

jest.setTimeout(60_000);

const USER = mockCredentials.user.header('user:default/alice');
const BASE = '/api/ai-platform';
const PIPELINE = `${BASE}/pipelines/default/search-rag`;

describe('requests checked against the OpenAPI spec, through the real plugin', () => {
  let server: http.Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        catalogServiceMock.factory({ entities: orgFixture() }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    server = backend.server as unknown as http.Server;
    stop = () => backend.stop();
  });

  afterAll(() => stop());

  it.each([
    [
      'a path parameter off its pattern',
      `${BASE}/pipelines/default/bad%20name/dashboard`,
      'request/params/name must match pattern "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"',
    ],
    [
      'a value outside an enum',
      `${BASE}/spend?groupBy=owner`,
      'request/query/groupBy must be equal to one of the allowed values: team, service, model, pipeline',
    ],
    [
      'a boolean that is not one',
      `${BASE}/spend?team=ml-team&includeSubteams=yes`,
      'request/query/includeSubteams must be boolean',
    ],
    [
      'a date where a date-time is due',
      `${BASE}/spend/daily?from=2026-11-01`,
      'request/query/from must match format "date-time"',
    ],
    [
      'a word where a date-time is due',
      `${BASE}/spend/unpriced?to=soon`,
      'request/query/to must match format "date-time"',
    ],
    [
      'a missing required parameter',
      `${BASE}/spend/budget`,
      "request/query must have required property 'entityRef'",
    ],
    [
      'an integer that is not one',
      `${BASE}/audit?limit=ten`,
      'request/query/limit must be integer',
    ],
    [
      'an unknown query parameter',
      `${BASE}/stages?owner=ml-team&page=2`,
      "Unknown query parameter 'page'",
    ],
    [
      'a sort key the route does not have',
      `${BASE}/stages?owner=ml-team&sort=name`,
      'request/query/sort must be equal to one of the allowed values: pipeline, -pipeline, stage, -stage',
    ],
    [
      'a query parameter of a route that takes none',
      `${BASE}/pipelines/default/search-rag/halt?limit=5`,
      "Unknown query parameter 'limit'",
    ],
  ])('answers 400 naming the parameter to %s', async (_case, path, message) => {
    const res = await request(server).get(path).set('Authorization', USER);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { name: 'InputError', message },
      response: { statusCode: 400 },
    });
  });

  it.each([
    [
      'a field of the wrong type',
      'application/json',
      JSON.stringify({ reason: ['drift'] }),
      'request/body/reason must be string',
    ],
    [
      'a body of a media type the spec does not list',
      'text/plain',
      'drift',
      'unsupported media type text/plain',
    ],
    [
      'a body that is not JSON',
      'application/json',
      '{"reason": ',
      `Request body of POST /pipelines/default/search-rag/halt is not valid JSON`,
    ],
  ])('answers 400 to a halt with %s', async (_case, type, body, message) => {
    const res = await request(server)
      .post(`${PIPELINE}/halt`)
      .set('Authorization', USER)
      .set('Content-Type', type)
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });

  it('answers 413 to an action body over 16kb', async () => {
    const res = await request(server)
      .post(`${PIPELINE}/resume`)
      .set('Authorization', USER)
      .send({ reason: 'x'.repeat(20 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({
      name: 'PayloadTooLargeError',
      message: expect.stringContaining('limit of 16kb'),
    });
  });

  it('passes requests that match, with the values typed as the spec says', async () => {
    // Reserved characters may stay unencoded in entity refs (allowReserved).
    const spend = await request(server)
      .get(
        `${BASE}/spend?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00.000Z&groupBy=model&team=group:default/ml-team&includeSubteams=true`,
      )
      .set('Authorization', USER);
    expect(spend.status).toBe(200);
    expect(spend.body).toMatchObject({ currency: 'USD', items: [] });

    const audit = await request(server)
      .get(`${BASE}/audit?limit=1&entityRef=aipipeline:default/search-rag`)
      .set('Authorization', USER);
    expect(audit.status).toBe(200);
    expect(audit.body).toEqual({ items: [] });
  });

  it('serves the spec at /openapi.json under the plugin path', async () => {
    const res = await request(server)
      .get(`${BASE}/openapi.json`)
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        `${BASE}/spend`,
        `${BASE}/usage`,
        `${BASE}/pipelines/{namespace}/{name}/halt`,
      ]),
    );
  });
});
