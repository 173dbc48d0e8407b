import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { GPU_REQUEST_ANNOTATION } from '@aiplatform/plugin-ai-platform-node';
import express from 'express';
import request from 'supertest';
import {
  component,
  group,
  stitchRelations,
  user,
} from '../__testUtils__/catalogFixtures';
import { createTestApp } from '../__testUtils__/createTestApp';

const CONFIG: JsonObject = {
  aiPlatform: {
    gateway: {
      kind: 'litellm',
      baseUrl: 'http://litellm.ai-gateway:4000',
      allowedModels: {
        default: ['gpt-4o-mini', 'text-embedding-3-small'],
        groups: {
          // Any spelling of the group ref names the same group.
          'ml-team': ['gpt-4o', 'gpt-4o-mini'],
          'group:default/data-team': ['claude-sonnet-4'],
        },
      },
    },
    gpu: {
      flavors: {
        'a100-80gb': {
          resource: 'nvidia.com/gpu',
          product: 'NVIDIA-A100-SXM4-80GB',
          memory: '81920',
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'cloud.example.com/pool': 'gpu' },
          kueueQueue: 'ml-gpu',
        },
        'mig-1g': { resource: 'nvidia.com/mig-1g.10gb' },
      },
      quotas: { 'group:default/ml-team': 8 },
      defaultQuota: 1,
    },
  },
};

/** A component of `owner` that a template gave `gpus` GPUs. */
function gpuComponent(name: string, owner: string, gpus?: string): Entity {
  const entity = component(name, { owner });
  if (gpus !== undefined) {
    entity.metadata.annotations = { [GPU_REQUEST_ANNOTATION]: gpus };
  }
  return entity;
}

// acme > engineering > ml-team, data-team, search-team, platform-team. The
// tests call as the mock user (in acme, so for every team) unless they say.
const ENTITIES = stitchRelations([
  group('acme', { children: ['engineering'] }),
  group('engineering', {
    parent: 'acme',
    children: ['ml-team', 'data-team', 'search-team', 'platform-team'],
  }),
  group('ml-team', { parent: 'engineering' }),
  group('data-team', { parent: 'engineering' }),
  group('search-team', { parent: 'engineering' }),
  group('platform-team', { parent: 'engineering' }),
  user('mock', ['acme']),
  user('alice', ['ml-team']),
  user('frank', ['data-team']),
  user('paula', ['platform-team']),
  gpuComponent('trainer', 'group:default/ml-team', '4'),
  gpuComponent('finetuner', 'group:default/ml-team', '2'),
  gpuComponent('api', 'group:default/ml-team'),
  gpuComponent('broken', 'group:default/ml-team', 'lots'),
  gpuComponent('etl', 'group:default/data-team', '3'),
  gpuComponent('notebook', 'user:default/alice', '1'),
]);

async function createApp(
  options: {
    config?: JsonObject;
    httpAuth?: HttpAuthService;
    userInfo?: UserInfoService;
  } = {},
) {
  return createTestApp({
    entities: ENTITIES,
    config: options.config ?? CONFIG,
    httpAuth: options.httpAuth,
    userInfo: options.userInfo,
  });
}

const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

describe('GET /scaffolder/options', () => {
  let app: express.Express;

  beforeAll(async () => {
    ({ app } = await createApp());
  });

  it('returns the models, GPU flavors, quota and GPU use of a group', async () => {
    const res = await request(app).get(
      '/scaffolder/options?owner=group:default/ml-team',
    );

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      owner: 'group:default/ml-team',
      models: ['gpt-4o-mini', 'text-embedding-3-small', 'gpt-4o'],
      gpu: {
        flavors: [
          {
            name: 'a100-80gb',
            resource: 'nvidia.com/gpu',
            product: 'NVIDIA-A100-SXM4-80GB',
            memory: '81920',
            nodeSelector: { 'cloud.example.com/pool': 'gpu' },
            kueueQueue: 'ml-gpu',
          },
          { name: 'mig-1g', resource: 'nvidia.com/mig-1g.10gb' },
        ],
        quota: 8,
        // trainer and finetuner; api has no request, broken's is not a number.
        currentUse: 6,
      },
    });
  });

  it('normalizes the owner ref and uses the defaults of a group without settings', async () => {
    const data = await request(app).get('/scaffolder/options?owner=data-team');
    expect(data.status).toBe(200);
    expect(data.body.owner).toBe('group:default/data-team');
    expect(data.body.models).toEqual([
      'gpt-4o-mini',
      'text-embedding-3-small',
      'claude-sonnet-4',
    ]);
    expect(data.body.gpu.quota).toBe(1);
    expect(data.body.gpu.currentUse).toBe(3);

    const search = await request(app).get(
      '/scaffolder/options?owner=Default/Search-Team',
    );
    expect(search.status).toBe(200);
    expect(search.body).toMatchObject({
      owner: 'group:default/search-team',
      models: ['gpt-4o-mini', 'text-embedding-3-small'],
      gpu: { quota: 1, currentUse: 0 },
    });
  });

  it('accepts a User as the owner', async () => {
    const res = await request(app)
      .get('/scaffolder/options?owner=user:default/alice')
      .set('Authorization', as('alice'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      owner: 'user:default/alice',
      models: ['gpt-4o-mini', 'text-embedding-3-small'],
      gpu: { quota: 1, currentUse: 1 },
    });
  });

  it('returns empty choices and no quota without config', async () => {
    const { app: bare } = await createApp({ config: {} });
    const res = await request(bare).get('/scaffolder/options?owner=ml-team');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      owner: 'group:default/ml-team',
      models: [],
      gpu: { flavors: [], quota: 0, currentUse: 6 },
    });
  });

  it('counts GPU use with its own service credentials, not the caller’s', async () => {
    const { app: app2, catalog } = await createApp();
    const getEntities = jest.spyOn(catalog, 'getEntities');

    const res = await request(app2)
      .get('/scaffolder/options?owner=ml-team')
      .set('Authorization', as('alice'));

    expect(res.status).toBe(200);
    expect(getEntities).toHaveBeenCalledTimes(1);
    const [, { credentials }] = getEntities.mock.calls[0] as [
      unknown,
      { credentials: { principal: { type: string } } },
    ];
    expect(credentials.principal.type).toBe('service');
  });

  it.each([
    [
      'missing',
      '/scaffolder/options',
      /^request\/query must have required property 'owner'$/,
    ],
    [
      'empty',
      '/scaffolder/options?owner=',
      /^Empty value found for query parameter 'owner'$/,
    ],
    [
      'blank',
      '/scaffolder/options?owner=%20',
      /^Invalid query parameter owner: expected one entity ref/,
    ],
    [
      'repeated',
      '/scaffolder/options?owner=ml-team&owner=data-team',
      /^request\/query\/owner must be string$/,
    ],
    [
      'not a ref',
      '/scaffolder/options?owner=group:default/',
      /Invalid query parameter owner/,
    ],
    [
      'not a Group or User',
      '/scaffolder/options?owner=component:default/trainer',
      /Invalid query parameter owner: .* must be a Group or a User/,
    ],
  ])('answers 400 naming owner when it is %s', async (_case, path, message) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 500 when a GPU flavor in the config has no resource', async () => {
    const { app: broken, logger } = await createApp({
      config: {
        aiPlatform: { gpu: { flavors: { a100: { product: 'A100' } } } },
      },
    });
    const res = await request(broken).get('/scaffolder/options?owner=ml-team');
    expect(res.status).toBe(500);
    // The caller gets a log id; the backend log has the config error.
    const logId = /logId=([0-9a-f]+)/.exec(res.body.error.message)?.[1];
    expect(logId).toBeDefined();
    expect(logger.error).toHaveBeenCalledWith(
      `AI Platform request failed (logId=${logId})`,
      expect.objectContaining({
        message: expect.stringMatching(
          /Invalid aiPlatform.gpu config: GPU flavor 'a100'/,
        ),
      }),
    );
  });

  it('answers 401 without credentials', async () => {
    const { app: strict } = await createApp({
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
    });
    const res = await request(strict).get('/scaffolder/options?owner=ml-team');
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });

  describe('only for owners the caller may act for', () => {
    it('answers 403 naming the owner for a team the caller is not a member of', async () => {
      const res = await request(app)
        .get('/scaffolder/options?owner=group:default/ml-team')
        .set('Authorization', as('frank'));
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toBe(
        "user:default/frank may not act for owner 'group:default/ml-team': not a member of it or of a group above it",
      );
      expect(res.body).not.toHaveProperty('models');
    });

    it("answers for the caller's own team and for a team below one of theirs", async () => {
      const own = await request(app)
        .get('/scaffolder/options?owner=data-team')
        .set('Authorization', as('frank'));
      expect(own.status).toBe(200);
      expect(own.body.gpu.currentUse).toBe(3);
      // The mock user is in acme, two levels above ml-team.
      const below = await request(app).get('/scaffolder/options?owner=ml-team');
      expect(below.status).toBe(200);
    });

    it('answers for a User owner only to that user', async () => {
      const res = await request(app)
        .get('/scaffolder/options?owner=user:default/alice')
        .set('Authorization', as('frank'));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/a User owner is only that user/);
    });

    it('answers an admin (aiPlatform.adminGroups) for any team', async () => {
      const { app: withAdmins } = await createApp({
        config: {
          aiPlatform: {
            ...(CONFIG.aiPlatform as JsonObject),
            adminGroups: ['group:default/platform-team'],
          },
        },
      });
      const res = await request(withAdmins)
        .get('/scaffolder/options?owner=ml-team')
        .set('Authorization', as('paula'));
      expect(res.status).toBe(200);
      expect(res.body.gpu.quota).toBe(8);
      // Without the setting, Paula is only platform-team.
      const refused = await request(app)
        .get('/scaffolder/options?owner=ml-team')
        .set('Authorization', as('paula'));
      expect(refused.status).toBe(403);
    });

    it("takes memberships from the caller's ownership refs too", async () => {
      // Frank's sign-in says he is in engineering, whatever the catalog says.
      const { app: signedIn } = await createApp({
        userInfo: {
          getUserInfo: async () => ({
            userEntityRef: 'user:default/frank',
            ownershipEntityRefs: [
              'user:default/frank',
              'group:default/engineering',
            ],
          }),
        },
      });
      const res = await request(signedIn)
        .get('/scaffolder/options?owner=ml-team')
        .set('Authorization', as('frank'));
      expect(res.status).toBe(200);
    });

    it('answers 400 naming owner for an owner the catalog does not have', async () => {
      for (const owner of ['group:default/ghost-team', 'user:default/nobody']) {
        const res = await request(app).get(
          `/scaffolder/options?owner=${owner}`,
        );
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toBe(
          `Unknown owner '${owner}': there is no such Group or User in the catalog`,
        );
      }
    });

    it('answers 403 to a service: it acts for no owner', async () => {
      const { app: asService } = await createApp({
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.service(),
        }),
      });
      const res = await request(asService).get(
        '/scaffolder/options?owner=ml-team',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /Only a signed-in user may act for owner 'group:default\/ml-team'/,
      );
    });
  });
});
