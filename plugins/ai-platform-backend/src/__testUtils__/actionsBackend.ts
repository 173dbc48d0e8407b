/*
 * A test backend for the actions for agents: the real plugin, the real
 * actions registry (and, for MCP, the real actions service and the MCP
 * actions backend), a catalog mocked in memory and a permission policy with
 * one user who may do everything and one who may neither halt nor read spend.
 */
import {
  BackstageCredentials,
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  aiPlatformPipelineHaltPermission,
  aiPlatformSpendReadPermission,
} from '@aiplatform/plugin-ai-platform-common';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Server } from 'node:http';
import request from 'supertest';
import { aiPlatformPlugin } from '../plugin';
import {
  component,
  group,
  pipeline,
  stitchRelations,
  user,
} from './catalogFixtures';

/** May halt, resume and read every team's spend. */
export const ADMIN = 'user:default/alice';
/** May read what the catalog shows, but neither halt nor read spend. */
export const VIEWER = 'user:default/bob';
export const PIPELINE = 'aipipeline:default/support-answers';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * ml-platform → ml-team (alice, bob). support-answers (ml-team): ingest
 * (no owner: an unowned-stage error) → serve (component answers, ml-team),
 * SLOs on ingest freshness and end-to-end quality. kb-sync (ml-platform):
 * sync (inline owner ml-team).
 */
export function actionsFixture(): Entity[] {
  return stitchRelations<Entity>([
    group('ml-platform', { children: ['group:default/ml-team'] }),
    group('ml-team', {
      parent: 'group:default/ml-platform',
      members: [ADMIN, VIEWER],
    }),
    user('alice', ['group:default/ml-team']),
    user('bob', ['group:default/ml-team']),
    component('answers', { owner: 'group:default/ml-team' }),
    pipeline('support-answers', {
      type: 'rag',
      owner: 'group:default/ml-team',
      stages: [
        { name: 'ingest', type: 'data-ingestion' },
        {
          name: 'serve',
          type: 'serving',
          dependsOn: ['ingest'],
          entityRef: 'component:default/answers',
        },
      ],
      slos: [
        {
          name: 'ingest-freshness',
          signal: 'freshness',
          stage: 'ingest',
          objective: { op: '<=', threshold: 7200 },
          target: 0.9,
          window: '7d',
        },
        {
          name: 'answer-quality',
          signal: 'quality',
          objective: { op: '>=', threshold: 0.8 },
          target: 0.9,
          window: '7d',
        },
      ],
    }),
    pipeline('kb-sync', {
      type: 'batch-scoring',
      owner: 'group:default/ml-platform',
      stages: [
        {
          name: 'sync',
          type: 'data-ingestion',
          owner: 'group:default/ml-team',
        },
      ],
    }),
  ]);
}

const DENIED_TO_VIEWER = new Set([
  aiPlatformPipelineHaltPermission.name,
  aiPlatformSpendReadPermission.name,
]);

function decide(permission: Permission, credentials: BackstageCredentials) {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  const denied =
    principal.type === 'user' &&
    principal.userEntityRef === VIEWER &&
    DENIED_TO_VIEWER.has(permission.name);
  return { result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW };
}

/** The policy: VIEWER is denied halting and spend; everything else is allowed. */
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    authorize: async (requests, { credentials }) =>
      requests.map(r => decide(r.permission, credentials)) as any,
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(r => decide(r.permission, credentials)) as any,
  }),
});

/**
 * Starts the backend; `mcp` adds the MCP actions backend and the real
 * actions service that lists and invokes actions over HTTP; `config` is
 * more root config (e.g. `aiPlatform.governance.enforcers`).
 */
export async function startActionsBackend(
  options: { mcp?: boolean; config?: JsonObject } = {},
): Promise<{ server: Server; stop: () => Promise<void> }> {
  const features: any[] = [
    aiPlatformPlugin,
    catalogServiceMock.factory({ entities: actionsFixture() }),
    actionsRegistryServiceFactory,
    permissionsFactory,
    mockServices.rootConfig.factory({
      data: {
        ...options.config,
        backend: { actions: { pluginSources: ['ai-platform'] } },
      },
    }),
  ];
  if (options.mcp) {
    features.push(actionsServiceFactory, mcpActionsPlugin);
  }
  const backend = await startTestBackend({ features });
  return { server: backend.server, stop: () => backend.stop() };
}

/**
 * A day of support-answers signals (ingest fresh, quality below its
 * objective for the last 6 hours) and ml-team's usage, as the gateway and
 * collectors would send them.
 */
export async function seedHistory(server: Server) {
  const now = Date.now();
  const signals = [];
  for (let h = 1; h <= 24; h++) {
    const timestamp = iso(now - h * HOUR + HOUR / 2);
    signals.push(
      {
        pipeline: PIPELINE,
        stage: 'ingest',
        signal: 'freshness',
        value: 60,
        timestamp,
      },
      {
        pipeline: PIPELINE,
        signal: 'quality',
        value: h <= 6 ? 0.4 : 0.95,
        timestamp,
      },
    );
  }
  await request(server)
    .post('/api/ai-platform/signals')
    .set('Authorization', mockCredentials.service.header())
    .send({ signals })
    .expect(200);
  const records = [1, 2, 3].map(i => ({
    id: `usage-${i}`,
    timestamp: iso(now - i * HOUR),
    entityRef: 'component:default/answers',
    model: i === 3 ? 'claude-sonnet' : 'gpt-4o',
    provider: i === 3 ? 'anthropic' : 'openai',
    inputTokens: 1000 * i,
    outputTokens: 100 * i,
    costUsd: 0.25 * i,
  }));
  await request(server)
    .post('/api/ai-platform/usage')
    .set('Authorization', mockCredentials.service.header())
    .send({ records })
    .expect(200);
}

/** An Authorization header of a user. */
export const asUser = (userEntityRef: string) =>
  mockCredentials.user.header(userEntityRef);
