import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { aiPlatformPlugin } from './plugin';
import { orgFixture } from './__testUtils__/orgFixture';

describe('aiPlatformPlugin', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        aiPlatformPlugin,
        catalogServiceMock.factory({ entities: orgFixture() }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop();
  });

  it('serves /pipelines to a user (the default mock credentials)', async () => {
    const res = await request(server).get('/api/ai-platform/pipelines');

    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { pipeline: string }) => i.pipeline)).toEqual(
      [
        'aipipeline:default/churn-train',
        'aipipeline:default/search-rag',
        'aipipeline:default/web-assistant',
      ],
    );
  });

  it.each([
    ['user', () => mockCredentials.user.header('user:default/bob')],
    ['service', () => mockCredentials.service.header()],
  ])(
    'accepts %s credentials on /pipelines and the ownership route',
    async (_, header) => {
      const list = await request(server)
        .get('/api/ai-platform/pipelines')
        .set('Authorization', header());
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(3);

      const graph = await request(server)
        .get('/api/ai-platform/pipelines/default/search-rag/ownership')
        .set('Authorization', header());
      expect(graph.status).toBe(200);
      expect(graph.body).toMatchObject({
        pipeline: 'aipipeline:default/search-rag',
        owner: 'group:default/ml-team',
        consumers: [
          {
            entityRef: 'component:default/storefront',
            owner: 'group:default/web-team',
          },
        ],
      });
      expect(graph.body.stages).toHaveLength(4);
    },
  );

  it('rejects unauthenticated and invalid credentials with 401', async () => {
    const none = await request(server)
      .get('/api/ai-platform/pipelines')
      .set('Authorization', mockCredentials.none.header());
    expect(none.status).toBe(401);

    const invalid = await request(server)
      .get('/api/ai-platform/pipelines/default/search-rag/ownership')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(invalid.status).toBe(401);
  });

  it('answers 404 with the Backstage error body for an unknown pipeline', async () => {
    const res = await request(server).get(
      '/api/ai-platform/pipelines/default/nope/ownership',
    );

    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: {
        name: 'NotFoundError',
        message: expect.stringContaining('nope'),
      },
      response: { statusCode: 404 },
    });
  });
});
