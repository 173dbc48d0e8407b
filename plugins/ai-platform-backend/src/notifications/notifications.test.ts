import {
  SchedulerService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import WebSocket from 'ws';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import signalsPlugin from '@backstage/plugin-signals-backend';
import { aiPlatformPlugin } from '../plugin';
import { orgFixture } from '../__testUtils__/orgFixture';

const HOUR = 3_600_000;
const PIPELINE = 'aipipeline:default/search-rag';
const RUNBOOK = 'https://runbooks.example.com/search-rag';
const SERVE_RUNBOOK = 'https://runbooks.example.com/search-rag/serve';

/**
 * The org of the HTTP tests; search-rag (owner ml-team: bob; stage owners
 * data-team: carol, and ml-team) halts by policy on its e2e SLO and has
 * runbooks.
 */
function entities(): Entity[] {
  return orgFixture().map(entity => {
    if (entity.metadata.name !== 'search-rag') return entity;
    const spec = entity.spec as any;
    return {
      ...entity,
      spec: {
        ...spec,
        runbook: RUNBOOK,
        stages: spec.stages.map((s: any) =>
          s.name === 'serve' ? { ...s, runbook: SERVE_RUNBOOK } : s,
        ),
        governance: { haltOn: [{ slo: 'answer-quality', status: 'breached' }] },
      },
    };
  });
}

/** A port free now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * The AI Platform backend with the real notifications and signals backends
 * (Backstage's own plugins) on a real backend (backend-defaults: its HTTP
 * server, web sockets and discovery, since the notifications client calls
 * the notifications backend over HTTP and signals travel on a web socket),
 * with mock auth (test tokens), a catalog of `entities()`, a webhook enforcer
 * that cannot reach its receiver, and a scheduler whose tasks the test runs.
 */
async function startBackend() {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The plugin's scheduler (tasks never run on their own), for the test to
  // run the SLO watcher's task when it wants.
  let scheduler!: SchedulerService;
  const backend = createBackend();
  backend.add(
    createBackendModule({
      pluginId: 'ai-platform',
      moduleId: 'test-scheduler',
      register(env) {
        env.registerInit({
          deps: { tasks: coreServices.scheduler },
          async init({ tasks }) {
            scheduler = tasks;
          },
        });
      },
    }),
  );
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        app: { baseUrl: 'http://localhost:3000' },
        backend: {
          baseUrl,
          listen: { host: '127.0.0.1', port },
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        aiPlatform: {
          governance: {
            enforcers: {
              // Port 9 (discard) refuses connections here: a failed enforcer.
              webhook: {
                url: 'http://127.0.0.1:9/halt',
                secret: 'test-secret',
                retries: 0,
                timeoutSeconds: 2,
              },
            },
          },
        },
      },
    }),
  );
  backend.add(mockServices.rootLogger.factory());
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(mockServices.userInfo.factory());
  backend.add(mockServices.permissions.factory());
  backend.add(mockServices.scheduler.factory({ skipTaskRunOnStartup: true }));
  backend.add(catalogServiceMock.factory({ entities: entities() }));
  backend.add(aiPlatformPlugin);
  backend.add(notificationsPlugin);
  backend.add(signalsPlugin);
  await backend.start();
  return { backend, server: baseUrl, port, scheduler };
}

type Notification = {
  payload: {
    title: string;
    description?: string;
    link?: string;
    severity?: string;
    scope?: string;
  };
};

async function notificationsOf(server: string, user: string) {
  const res = await request(server)
    .get('/api/notifications/notifications')
    .set('authorization', mockCredentials.user.header(`user:default/${user}`));
  expect(res.status).toBe(200);
  return res.body.notifications as Notification[];
}

/** `hours` hours of end-to-end quality of search-rag, ending now. */
function quality(value: number, hours = 48) {
  const now = Date.now();
  return Array.from({ length: hours }, (_, i) => ({
    pipeline: 'search-rag',
    signal: 'quality',
    value,
    timestamp: new Date(now - (i + 0.5) * HOUR).toISOString(),
  }));
}

// Each test starts a whole backend: a harness timeout above jest's 5 s
// default for loaded machines (nothing here is timed).
jest.setTimeout(60_000);

describe('notifications, policy halts and live updates (real notifications and signals backends)', () => {
  it('notifies the pipeline owner and every stage owner of a halt and its resume, in one scope, and the failed enforcement once', async () => {
    const { backend, server } = await startBackend();
    try {
      const halt = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/halt')
        .set('authorization', mockCredentials.user.header('user:default/alice'))
        .send({ reason: 'answers cite retired docs' });
      expect(halt.status).toBe(200);
      expect(halt.body.enforcement).toEqual([
        expect.objectContaining({ enforcer: 'webhook', status: 'failed' }),
      ]);

      // bob: the pipeline's owner (ml-team); carol: owner of the embed stage.
      for (const user of ['bob', 'carol']) {
        const got = await notificationsOf(server, user);
        expect(got.map(n => n.payload.scope).sort()).toEqual([
          expect.stringMatching(
            /^ai-platform:enforcement:aipipeline:default\/search-rag:\d+$/,
          ),
          `ai-platform:halt:${PIPELINE}`,
        ]);
        const halted = got.find(n => n.payload.scope?.includes(':halt:'))!;
        expect(halted.payload).toMatchObject({
          title: 'search-rag was halted by user:default/alice',
          link: '/catalog/default/aipipeline/search-rag/dashboard',
          severity: 'high',
        });
        expect(halted.payload.description).toContain(
          'Reason: answers cite retired docs',
        );
        expect(halted.payload.description).toContain(
          'Enforcement: webhook failed:',
        );
        expect(halted.payload.description).toContain(`Runbook: ${RUNBOOK}`);
        const failed = got.find(n =>
          n.payload.scope?.includes(':enforcement:'),
        )!;
        expect(failed.payload).toMatchObject({
          title: 'search-rag is halted, but enforcement failed',
          severity: 'critical',
        });
      }
      // Neither alice (only in the parent group) nor dave (web-team) owns it.
      expect(await notificationsOf(server, 'dave')).toEqual([]);
      expect(await notificationsOf(server, 'alice')).toEqual([]);

      const resume = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/resume')
        .set('authorization', mockCredentials.user.header('user:default/alice'))
        .send({ reason: 'docs re-indexed' });
      expect(resume.status).toBe(200);
      const afterResume = await notificationsOf(server, 'bob');
      // The resume took the halt's place (same scope): still two.
      expect(afterResume).toHaveLength(2);
      expect(
        afterResume.find(
          n => n.payload.scope === `ai-platform:halt:${PIPELINE}`,
        )?.payload,
      ).toMatchObject({
        title: 'search-rag was resumed by user:default/alice',
        severity: 'normal',
      });
    } finally {
      await backend.stop();
    }
  });

  it('halts by policy on a breach and notifies once, however often the watcher checks; a resume holds until override', async () => {
    const { backend, server, scheduler } = await startBackend();
    try {
      const ingest = await request(server)
        .post('/api/ai-platform/signals')
        .set('authorization', mockCredentials.service.header())
        .send({ signals: quality(0.5) });
      expect(ingest.status).toBe(200);

      await scheduler.triggerTask('ai-platform-slo-check');
      await scheduler.triggerTask('ai-platform-slo-check');

      const halt = await request(server)
        .get('/api/ai-platform/pipelines/default/search-rag/halt')
        .set('authorization', mockCredentials.user.header('user:default/bob'));
      expect(halt.body).toMatchObject({
        halted: true,
        by: 'ai-platform (policy answer-quality)',
        policy: { slo: 'answer-quality' },
        reason: expect.stringMatching(/^SLO answer-quality is breached: /),
      });

      const bobs = await notificationsOf(server, 'bob');
      const slo = bobs.filter(
        n => n.payload.scope === `ai-platform:slo:${PIPELINE}:answer-quality`,
      );
      expect(slo).toHaveLength(1);
      expect(slo[0].payload).toMatchObject({
        title: 'search-rag: SLO answer-quality is breached',
        severity: 'high',
        link: '/catalog/default/aipipeline/search-rag/dashboard',
      });
      expect(slo[0].payload.description).toContain(
        'Runbook: https://runbooks.example.com/search-rag',
      );
      expect(
        bobs
          .filter(n => n.payload.scope === `ai-platform:halt:${PIPELINE}`)
          .map(n => n.payload.title),
      ).toEqual([
        'search-rag was halted by ai-platform (policy answer-quality)',
      ]);
      // The SLO is end to end: carol (a stage owner, not the suspect's) gets
      // the halt, not the SLO alert.
      const carols = await notificationsOf(server, 'carol');
      expect(carols.map(n => n.payload.scope)).not.toContain(
        `ai-platform:slo:${PIPELINE}:answer-quality`,
      );

      const held = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/resume')
        .set('authorization', mockCredentials.user.header('user:default/alice'))
        .send({ reason: 'looks fine to me' });
      expect(held.status).toBe(409);
      expect(held.body.error.message).toBe(
        `${PIPELINE} stays halted: its policy (spec.governance.haltOn) halted it on SLO answer-quality, which is still breached. Resume with override: true to resume it anyway.`,
      );
      const badOverride = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/resume')
        .set('authorization', mockCredentials.user.header('user:default/alice'))
        .send({ reason: 'x', override: 'yes' });
      expect(badOverride.status).toBe(400);
      expect(badOverride.body.error.message).toMatch(/override/);

      const overridden = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/resume')
        .set('authorization', mockCredentials.user.header('user:default/alice'))
        .send({ reason: 'known bad eval set', override: true });
      expect(overridden.status).toBe(200);
      expect(overridden.body.halted).toBe(false);
      expect(overridden.body.policy).toBeUndefined();

      // The lasting breach neither halts again nor notifies again.
      await scheduler.triggerTask('ai-platform-slo-check');
      const state = await request(server)
        .get('/api/ai-platform/pipelines/default/search-rag/halt')
        .set('authorization', mockCredentials.user.header('user:default/bob'));
      expect(state.body.halted).toBe(false);
      expect(
        (await notificationsOf(server, 'bob')).filter(
          n => n.payload.scope === `ai-platform:slo:${PIPELINE}:answer-quality`,
        ),
      ).toHaveLength(1);

      const audit = await request(server)
        .get(`/api/ai-platform/audit?entityRef=${PIPELINE}`)
        .set('authorization', mockCredentials.user.header('user:default/bob'));
      const resumed = audit.body.items.find(
        (e: any) => e.type === 'pipeline.resumed',
      );
      expect(resumed).toMatchObject({
        actor: 'user:default/alice',
        message: expect.stringContaining(
          '(override: SLO answer-quality is still breached)',
        ),
        details: expect.objectContaining({ override: true }),
      });
      expect(
        audit.body.items.filter((e: any) => e.type === 'slo.breached'),
      ).toHaveLength(1);
    } finally {
      await backend.stop();
    }
  });

  it('tells open pages of a halt through the signals channel', async () => {
    const { backend, server, port } = await startBackend();
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/signals`, {
      headers: {
        authorization: mockCredentials.user.header('user:default/dave'),
      },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const received = new Promise<any>(resolve =>
        socket.on('message', data => resolve(JSON.parse(data.toString()))),
      );
      socket.send(
        JSON.stringify({
          action: 'subscribe',
          channel: 'ai-platform:pipelines',
        }),
      );
      // The subscription is handled asynchronously: give it a moment.
      await new Promise(resolve => setTimeout(resolve, 200));
      const halt = await request(server)
        .post('/api/ai-platform/pipelines/default/search-rag/halt')
        .set('authorization', mockCredentials.user.header('user:default/alice'))
        .send({ reason: 'drift' });
      expect(halt.status).toBe(200);
      const message = await received;
      expect(message).toEqual({
        channel: 'ai-platform:pipelines',
        message: { type: 'halt', at: expect.any(String) },
      });
      // The message names no pipeline (dave may not see every pipeline).
      expect(JSON.stringify(message)).not.toContain('search-rag');
    } finally {
      socket.close();
      await backend.stop();
    }
  });
});
