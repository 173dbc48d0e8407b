import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { pipeline, stitchRelations } from './__testUtils__/catalogFixtures';
import { orgFixture } from './__testUtils__/orgFixture';
import { createTestApp } from './__testUtils__/createTestApp';

async function createApp(
  options: {
    entities?: Entity[];
    httpAuth?: HttpAuthService;
  } = {},
) {
  return createTestApp({
    entities: options.entities ?? orgFixture(),
    httpAuth: options.httpAuth,
  });
}

describe('createRouter', () => {
  let app: express.Express;

  beforeAll(async () => {
    ({ app } = await createApp());
  });

  describe('GET /pipelines', () => {
    it('lists every pipeline with owner, stage count and finding counts', async () => {
      const res = await request(app).get('/pipelines');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            pipeline: 'aipipeline:default/churn-train',
            type: 'training',
            lifecycle: 'production',
            owner: 'group:default/ghost-team',
            stageCount: 3,
            findings: { error: 3, warning: 3, info: 1 },
            health: 'unknown',
          },
          {
            pipeline: 'aipipeline:default/search-rag',
            title: 'Search (RAG)',
            type: 'rag',
            lifecycle: 'production',
            owner: 'group:default/ml-team',
            stageCount: 4,
            findings: { error: 0, warning: 4, info: 1 },
            health: 'unknown',
          },
          {
            pipeline: 'aipipeline:default/web-assistant',
            title: 'Web assistant',
            type: 'agent',
            lifecycle: 'production',
            owner: 'group:default/web-team',
            stageCount: 2,
            findings: { error: 0, warning: 0, info: 1 },
            health: 'unknown',
          },
        ],
        totalItems: 3,
        limit: 100,
        offset: 0,
      });
    });

    it('counts the same findings as the ownership graph of each pipeline', async () => {
      // legacy's stage names an inline owner that no longer exists; the
      // entity's owner overrides it, but it must still be reported, and the
      // graph route (which fetches owners by ref) must agree with the list.
      const legacy = pipeline('legacy', {
        type: 'inference',
        owner: 'group:default/ml-team',
        stages: [
          {
            name: 'embed',
            type: 'model',
            entityRef: 'component:default/embedder',
            owner: 'group:default/disbanded',
          },
        ],
      });
      const { app: app2 } = await createApp({
        entities: stitchRelations<Entity>([...orgFixture(), legacy]),
      });

      const list = await request(app2).get('/pipelines');
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(4);
      for (const item of list.body.items) {
        const [, namespace, name] = /^aipipeline:([^/]+)\/(.+)$/.exec(
          item.pipeline,
        )!;
        const graph = await request(app2).get(
          `/pipelines/${namespace}/${name}/ownership`,
        );
        expect(graph.status).toBe(200);
        const counts = { error: 0, warning: 0, info: 0 };
        for (const f of graph.body.findings) {
          counts[f.severity as keyof typeof counts] += 1;
        }
        expect({ pipeline: item.pipeline, findings: counts }).toEqual({
          pipeline: item.pipeline,
          findings: item.findings,
        });
      }
      const legacyGraph = await request(app2).get(
        '/pipelines/default/legacy/ownership',
      );
      expect(legacyGraph.body.findings).toContainEqual(
        expect.objectContaining({
          code: 'unknown-owner',
          stage: 'embed',
          message: expect.stringContaining('group:default/disbanded'),
        }),
      );
    });

    it('skips (and logs) an invalid AIPipeline the catalog let through', async () => {
      const broken: Entity = {
        apiVersion: 'ai-platform.io/v1alpha1',
        kind: 'AIPipeline',
        metadata: { name: 'broken' },
        spec: { type: 'rag', lifecycle: 'production', owner: 'x', stages: [] },
      };
      const { app: app2, logger } = await createApp({
        entities: [...orgFixture(), broken],
      });

      const res = await request(app2).get('/pipelines');

      expect(res.status).toBe(200);
      expect(
        res.body.items.map((i: { pipeline: string }) => i.pipeline),
      ).toEqual([
        'aipipeline:default/churn-train',
        'aipipeline:default/search-rag',
        'aipipeline:default/web-assistant',
      ]);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Ignoring invalid AIPipeline aipipeline:default/broken',
        ),
      );
    });
  });

  describe('GET /pipelines/:namespace/:name/ownership', () => {
    it('returns the ownership graph with effective owners, findings and consumers', async () => {
      const res = await request(app).get(
        '/pipelines/default/search-rag/ownership',
      );

      expect(res.status).toBe(200);
      expect(res.body.pipeline).toBe('aipipeline:default/search-rag');
      expect(res.body.owner).toBe('group:default/ml-team');
      expect(res.body.stages).toEqual([
        {
          name: 'ingest',
          type: 'data-ingestion',
          owner: 'group:default/data-team',
          ownerSource: 'entity',
          entityRef: 'component:default/ingest',
        },
        {
          // The entity's owner wins over the inline owner.
          name: 'embed',
          type: 'embedding',
          owner: 'group:default/ml-team',
          ownerSource: 'entity',
          entityRef: 'component:default/embedder',
        },
        {
          name: 'index',
          type: 'vector-index',
          owner: 'group:default/ml-team',
          ownerSource: 'inline',
          entityRef: null,
        },
        {
          name: 'serve',
          type: 'serving',
          owner: 'group:default/ml-team',
          ownerSource: 'entity',
          entityRef: 'component:default/search-api',
        },
      ]);
      expect(res.body.edges).toEqual([
        { from: 'ingest', to: 'embed' },
        { from: 'embed', to: 'index' },
        { from: 'index', to: 'serve' },
      ]);
      expect(
        res.body.findings.map(
          (f: { code: string; severity: string; stage?: string }) => [
            f.code,
            f.severity,
            f.stage,
          ],
        ),
      ).toEqual([
        ['owner-mismatch', 'warning', 'embed'],
        ['unmonitored-stage', 'warning', 'ingest'],
        ['unmonitored-stage', 'warning', 'embed'],
        ['unmonitored-stage', 'warning', 'index'],
        ['cross-team-handoff', 'info', 'embed'],
      ]);
      for (const f of res.body.findings)
        expect(typeof f.message).toBe('string');
      // storefront dependsOn the pipeline; the stage components, which the
      // pipeline itself dependsOn, are not consumers.
      expect(res.body.consumers).toEqual([
        {
          entityRef: 'component:default/storefront',
          owner: 'group:default/web-team',
        },
      ]);
    });

    it('reports missing entities, unowned stages, unknown owners and ownerless teams', async () => {
      const res = await request(app).get(
        '/pipelines/default/churn-train/ownership',
      );

      expect(res.status).toBe(200);
      expect(res.body.stages).toEqual([
        {
          name: 'features',
          type: 'feature-pipeline',
          owner: null,
          ownerSource: null,
          entityRef: 'component:default/feature-job',
        },
        {
          name: 'train',
          type: 'training',
          owner: 'group:default/data-team',
          ownerSource: 'inline',
          entityRef: null,
        },
        {
          name: 'model',
          type: 'model',
          owner: 'group:default/nobody',
          ownerSource: 'inline',
          entityRef: null,
        },
      ]);
      expect(
        res.body.findings.map((f: { code: string; stage?: string }) => [
          f.code,
          f.stage,
        ]),
      ).toEqual([
        ['missing-entity', 'features'],
        ['unowned-stage', 'features'],
        ['unknown-owner', 'model'],
        ['ownerless-team', undefined],
        ['no-e2e-slo', undefined],
        ['unmonitored-stage', 'features'],
        ['cross-team-handoff', 'model'],
      ]);
      expect(res.body.consumers).toEqual([]);
    });

    it('is case-insensitive on the path, like entity refs', async () => {
      const res = await request(app).get(
        '/pipelines/Default/Search-RAG/ownership',
      );

      expect(res.status).toBe(200);
      expect(res.body.pipeline).toBe('aipipeline:default/search-rag');
    });

    it('answers 404 with the Backstage error body for an unknown pipeline', async () => {
      const res = await request(app).get('/pipelines/default/nope/ownership');

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        error: {
          name: 'NotFoundError',
          message: 'No AIPipeline aipipeline:default/nope in the catalog',
        },
        response: { statusCode: 404 },
      });
    });

    it('answers 404 for an entity of another kind under that name', async () => {
      // storefront exists, but as a Component, not an AIPipeline.
      const res = await request(app).get(
        '/pipelines/default/storefront/ownership',
      );

      expect(res.status).toBe(404);
      expect(res.body.error.name).toBe('NotFoundError');
    });

    it('answers 400 naming the parameter for a malformed name', async () => {
      const res = await request(app).get('/pipelines/default/-bad/ownership');

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: {
          name: 'InputError',
          message:
            'request/params/name must match pattern "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"',
        },
        response: { statusCode: 400 },
      });
    });
  });

  describe('GET /ownership/report', () => {
    it('reports every pipeline without an owner', async () => {
      const res = await request(app).get('/ownership/report');

      expect(res.status).toBe(200);
      expect(
        res.body.items.map((i: { pipeline: string; owner: string }) => [
          i.pipeline,
          i.owner,
        ]),
      ).toEqual([
        ['aipipeline:default/churn-train', 'group:default/ghost-team'],
        ['aipipeline:default/search-rag', 'group:default/ml-team'],
        ['aipipeline:default/web-assistant', 'group:default/web-team'],
      ]);
      expect(res.body.items[1].findings).toHaveLength(5);
    });

    it('includes the pipelines of sub-groups for a parent group and excludes others', async () => {
      const res = await request(app).get(
        '/ownership/report?owner=group:default/ml-platform',
      );

      expect(res.status).toBe(200);
      // search-rag is owned by ml-team; churn-train has a stage owned by
      // data-team; both are children of ml-platform. web-assistant is not.
      expect(
        res.body.items.map((i: { pipeline: string }) => i.pipeline),
      ).toEqual([
        'aipipeline:default/churn-train',
        'aipipeline:default/search-rag',
      ]);
    });

    it('restricts to one leaf group, with the short ref form', async () => {
      const res = await request(app).get('/ownership/report?owner=ml-team');

      expect(res.status).toBe(200);
      expect(
        res.body.items.map((i: { pipeline: string }) => i.pipeline),
      ).toEqual(['aipipeline:default/search-rag']);
    });

    it('accepts a user as owner', async () => {
      const res = await request(app).get(
        '/ownership/report?owner=user:default/dave',
      );

      expect(res.status).toBe(200);
      expect(
        res.body.items.map((i: { pipeline: string }) => i.pipeline),
      ).toEqual(['aipipeline:default/web-assistant']);
    });

    it.each([
      ['group:', 'owner=group:', 'Invalid query parameter owner: "group:"'],
      ['empty', 'owner=', "Empty value found for query parameter 'owner'"],
      [
        'repeated',
        'owner=ml-team&owner=web-team',
        'request/query/owner must be string',
      ],
    ])(
      'answers 400 naming the parameter for a malformed owner (%s)',
      async (_, query, message) => {
        const res = await request(app).get(`/ownership/report?${query}`);

        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          error: {
            name: 'InputError',
            message: expect.stringContaining(message),
          },
          response: { statusCode: 400 },
        });
      },
    );

    it('answers 400 for an owner that is not a Group or User', async () => {
      const res = await request(app).get(
        '/ownership/report?owner=component:default/x',
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({
        name: 'InputError',
        message: expect.stringMatching(
          /query parameter owner.*must be a Group or a User/,
        ),
      });
    });

    it('answers 404 for an unknown group', async () => {
      const res = await request(app).get(
        '/ownership/report?owner=group:default/unknown',
      );

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        error: {
          name: 'NotFoundError',
          message: 'No Group or User group:default/unknown in the catalog',
        },
        response: { statusCode: 404 },
      });
    });
  });

  describe('GET /stages', () => {
    it('returns the stages whose effective owner is the group', async () => {
      const res = await request(app).get('/stages?owner=group:default/ml-team');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            pipeline: 'aipipeline:default/search-rag',
            pipelineTitle: 'Search (RAG)',
            stage: 'embed',
            type: 'embedding',
            ownerSource: 'entity',
            entityRef: 'component:default/embedder',
          },
          {
            pipeline: 'aipipeline:default/search-rag',
            pipelineTitle: 'Search (RAG)',
            stage: 'index',
            type: 'vector-index',
            ownerSource: 'inline',
            entityRef: null,
          },
          {
            pipeline: 'aipipeline:default/search-rag',
            pipelineTitle: 'Search (RAG)',
            stage: 'serve',
            type: 'serving',
            ownerSource: 'entity',
            entityRef: 'component:default/search-api',
          },
        ],
        totalItems: 3,
        limit: 100,
        offset: 0,
      });
    });

    it('does not include the stages of sub-groups', async () => {
      const res = await request(app).get('/stages?owner=ml-platform');

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('returns the stages a user owns inline', async () => {
      const res = await request(app).get('/stages?owner=user:default/dave');

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          pipeline: 'aipipeline:default/web-assistant',
          pipelineTitle: 'Web assistant',
          stage: 'eval',
          type: 'evaluation',
          ownerSource: 'inline',
          entityRef: null,
        },
      ]);
    });

    it('answers 400 when owner is missing', async () => {
      const res = await request(app).get('/stages');

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: {
          name: 'InputError',
          message: expect.stringContaining('owner'),
        },
        response: { statusCode: 400 },
      });
    });

    it('answers 400 for a non-group kind and 404 for an unknown group', async () => {
      const bad = await request(app).get('/stages?owner=component:default/x');
      expect(bad.status).toBe(400);

      const unknown = await request(app).get(
        '/stages?owner=group:default/unknown',
      );
      expect(unknown.status).toBe(404);
    });
  });

  describe('authentication', () => {
    it('answers 401 to requests without credentials', async () => {
      const { app: strict } = await createApp({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
      });

      for (const path of [
        '/pipelines',
        '/pipelines/default/search-rag/ownership',
        '/ownership/report',
        '/stages?owner=ml-team',
      ]) {
        const res = await request(strict).get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 401 });
        expect(res.body.error.name).toBe('AuthenticationError');
      }
    });

    it('answers 401 to an explicitly unauthenticated request', async () => {
      const res = await request(app)
        .get('/pipelines')
        .set('Authorization', mockCredentials.none.header());

      expect(res.status).toBe(401);
    });

    it('accepts user and service credentials and decides what each sees with them', async () => {
      const permissions = mockServices.permissions({
        result: AuthorizeResult.ALLOW,
      });
      const authorize = jest.spyOn(permissions, 'authorizeConditional');
      const { app: app2, catalog } = await createTestApp({
        entities: orgFixture(),
        permissions,
      });
      const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');

      const asUser = await request(app2)
        .get('/pipelines')
        .set('Authorization', mockCredentials.user.header('user:default/bob'));
      expect(asUser.status).toBe(200);
      // Lists come from the catalog view; the caller's own catalog read
      // permission says which of its pipelines they see.
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'catalog.entity.read',
            }),
          },
        ],
        { credentials: mockCredentials.user('user:default/bob') },
      );

      authorize.mockClear();
      const asService = await request(app2)
        .get('/ownership/report')
        .set('Authorization', mockCredentials.service.header());
      expect(asService.status).toBe(200);
      expect(authorize).toHaveBeenCalledWith(expect.anything(), {
        credentials: mockCredentials.service(),
      });

      // One pipeline is read from the catalog with the caller's credentials.
      const one = await request(app2)
        .get('/pipelines/default/search-rag/ownership')
        .set('Authorization', mockCredentials.user.header('user:default/bob'));
      expect(one.status).toBe(200);
      expect(getEntityByRef).toHaveBeenCalledWith(
        'aipipeline:default/search-rag',
        { credentials: mockCredentials.user('user:default/bob') },
      );
    });
  });
});
