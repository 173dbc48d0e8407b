/*
 * Halt enforcement through the HTTP API, on SQLite and PostgreSQL: the
 * built-in LiteLLM enforcer against a LiteLLM stand-in (LiteLLM cannot run
 * here) and the webhook enforcer against a receiver that verifies the HMAC.
 */
import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { HaltEnforcer } from '@aiplatform/plugin-ai-platform-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { component, pipeline } from '../__testUtils__/catalogFixtures';
import { createTestApp } from '../__testUtils__/createTestApp';
import { startLiteLLMStandIn } from '../__testUtils__/litellmStandIn';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { startWebhookReceiver } from '../__testUtils__/webhookReceiver';
import { ENFORCEMENT_RETRY_TASK_ID } from './HaltEnforcement';

jest.setTimeout(60_000);

const MASTER_KEY = 'sk-master-9c2d';
const SECRET = 'whsec-31ab';
const HALT = '/pipelines/default/kb-answers/halt';
const RESUME = '/pipelines/default/kb-answers/resume';
const USER = 'user:default/mock';

const ENTITIES = [
  pipeline('kb-answers', {
    type: 'rag',
    owner: 'group:default/ml',
    stages: [
      { name: 'serve', type: 'serving', entityRef: 'component:kb-api' },
      { name: 'embed', type: 'embedding', entityRef: 'component:kb-embed' },
    ],
  }),
  component('kb-api', { owner: 'group:default/ml' }),
  component('kb-embed', { owner: 'group:default/ml' }),
];

describe('halt enforcement through the API (LiteLLM stand-in, webhook receiver)', () => {
  const databases = createTestDatabases();
  let litellm: Awaited<ReturnType<typeof startLiteLLMStandIn>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeEach(async () => {
    litellm = await startLiteLLMStandIn({
      masterKey: MASTER_KEY,
      keys: [
        {
          token: 'hash-api',
          key_alias: 'component:default/kb-api',
          team_id: 'team-kb-api',
        },
        {
          token: 'hash-embed',
          key_alias: 'embed',
          metadata: { tags: ['backstage:component:default/kb-embed'] },
        },
        { token: 'hash-eval', key_alias: 'aipipeline:default/kb-answers' },
        { token: 'hash-other', key_alias: 'component:default/search-api' },
      ],
      teams: [{ team_id: 'team-kb-api', team_alias: 'kb-api' }],
    });
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  afterEach(async () => {
    await litellm.close();
    await receiver.close();
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    async function setup(haltEnforcers?: HaltEnforcer[]) {
      return createTestApp({
        entities: ENTITIES,
        knex: await databases.init(databaseId as TestDatabaseId),
        haltEnforcers,
        config: {
          aiPlatform: {
            litellm: { baseUrl: litellm.baseUrl, apiKey: MASTER_KEY },
            governance: {
              enforcers: {
                litellm: {},
                webhook: { url: receiver.url, secret: SECRET, retries: 0 },
              },
            },
          },
        },
      });
    }

    it('halts with a working and a failing enforcer, retries the failed one, and resume undoes', async () => {
      const { app, enforcement, governanceStore } = await setup();
      receiver.answer(502);

      // The failing webhook does not fail the halt; the state says so.
      const halt = await request(app)
        .post(HALT)
        .send({ reason: 'accuracy below threshold' });
      expect(halt.status).toBe(200);
      const litellmApplied = [
        'key:component:default/kb-api',
        'key:embed',
        'key:aipipeline:default/kb-answers',
        'team:kb-api',
      ].map(target => ({
        enforcer: 'litellm',
        target,
        status: 'applied',
        message: 'blocked',
      }));
      const webhookFailed = {
        enforcer: 'webhook',
        target: new URL(receiver.url).origin,
        status: 'failed',
        message: '502 Bad Gateway',
      };
      expect(halt.body).toEqual({
        halted: true,
        reason: 'accuracy below threshold',
        by: USER,
        at: expect.any(String),
        enforcement: [...litellmApplied, webhookFailed],
      });
      expect(litellm.blocked().sort()).toEqual([
        'hash-api',
        'hash-embed',
        'hash-eval',
        'team-kb-api',
      ]);
      expect((await request(app).get(HALT)).body).toEqual(halt.body);

      // The audit event carries the results.
      const [event] = (await request(app).get('/audit')).body.items;
      expect(event).toMatchObject({
        type: 'pipeline.halted',
        entityRef: 'aipipeline:default/kb-answers',
        message: `${USER} halted aipipeline:default/kb-answers: accuracy below threshold (enforcement: 4 applied, 1 failed)`,
        details: { enforcement: [...litellmApplied, webhookFailed] },
      });

      // The scheduled task (global scope) retries the failed one only.
      const scheduler = mockServices.scheduler.mock();
      await enforcement.schedule(scheduler, governanceStore);
      expect(scheduler.scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: ENFORCEMENT_RETRY_TASK_ID,
          scope: 'global',
        }),
      );
      const task = scheduler.scheduleTask.mock.calls[0][0];
      await task.fn(new AbortController().signal);
      expect((await request(app).get(HALT)).body.enforcement).toEqual([
        ...litellmApplied,
        webhookFailed,
      ]);
      expect(receiver.calls).toHaveLength(0);

      receiver.answer(200);
      const blockCalls = litellm.requests.filter(r =>
        r.path.endsWith('/block'),
      ).length;
      await task.fn(new AbortController().signal);
      expect((await request(app).get(HALT)).body.enforcement).toEqual([
        ...litellmApplied,
        { ...webhookFailed, status: 'applied', message: '200 OK' },
      ]);
      expect(receiver.calls.map(c => c.body)).toEqual([
        {
          action: 'halt',
          pipeline: 'aipipeline:default/kb-answers',
          reason: 'accuracy below threshold',
          actor: USER,
          at: halt.body.at,
        },
      ]);
      // LiteLLM was not asked again.
      expect(
        litellm.requests.filter(r => r.path.endsWith('/block')),
      ).toHaveLength(blockCalls);
      // Nothing is left to retry.
      await task.fn(new AbortController().signal);
      expect(receiver.calls).toHaveLength(1);

      // Resume undoes what the halt did.
      const resume = await request(app)
        .post(RESUME)
        .send({ reason: 'index rebuilt' });
      expect(resume.status).toBe(200);
      expect(resume.body).toMatchObject({
        halted: false,
        reason: 'index rebuilt',
      });
      expect(resume.body.enforcement).toEqual([
        ...litellmApplied.map(r => ({ ...r, message: 'unblocked' })),
        { ...webhookFailed, status: 'applied', message: '200 OK' },
      ]);
      expect(litellm.blocked()).toEqual([]);
      expect(receiver.calls.map(c => c.body.action)).toEqual([
        'halt',
        'resume',
      ]);
      const [resumed] = (await request(app).get('/audit')).body.items;
      expect(resumed).toMatchObject({
        type: 'pipeline.resumed',
        details: { enforcement: resume.body.enforcement },
      });
    });

    it('retries now through POST …/halt/retry, behind the halt permission', async () => {
      const { app } = await setup();
      const RETRY = '/pipelines/default/kb-answers/halt/retry';
      // Not halted: nothing to retry.
      const early = await request(app).post(RETRY);
      expect(early.status).toBe(409);
      expect(early.body.error.message).toContain('is not halted');

      receiver.answer(502);
      await request(app).post(HALT).send({ reason: 'r' }).expect(200);
      receiver.answer(200);
      const blocks = litellm.requests.length;

      const retried = await request(app).post(RETRY);
      expect(retried.status).toBe(200);
      expect(retried.body.halted).toBe(true);
      expect(
        retried.body.enforcement.filter((e: any) => e.enforcer === 'webhook'),
      ).toEqual([
        {
          enforcer: 'webhook',
          target: new URL(receiver.url).origin,
          status: 'applied',
          message: '200 OK',
        },
      ]);
      // Only the failed enforcer ran again.
      expect(litellm.requests).toHaveLength(blocks);
      expect((await request(app).get(HALT)).body).toEqual(retried.body);
    });

    it('refuses POST …/halt/retry without the halt permission', async () => {
      const app = (
        await createTestApp({
          entities: ENTITIES,
          knex: await databases.init(databaseId as TestDatabaseId),
          permissions: mockServices.permissions({
            result: AuthorizeResult.DENY,
          }),
        })
      ).app;
      const res = await request(app).post(
        '/pipelines/default/kb-answers/halt/retry',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'You need the ai-platform.pipeline.halt permission to retry the enforcement of a pipeline',
      );
      const unknown = await request((await setup()).app).post(
        '/pipelines/default/nope/halt/retry',
      );
      expect(unknown.status).toBe(404);
    });

    it('stops retrying once the pipeline is resumed', async () => {
      const { app, enforcement, governanceStore } = await setup();
      receiver.answer(503);
      await request(app).post(HALT).send({ reason: 'r' }).expect(200);
      await request(app).post(RESUME).send({ reason: 'ok' }).expect(200);
      const attempts = receiver.attempts();

      await enforcement.retryFailed(governanceStore);

      expect(receiver.attempts()).toBe(attempts);
      expect(await governanceStore.listHaltsToRetry()).toEqual([]);
    });

    it('records a module enforcer that throws as failed, and skips one that does not apply', async () => {
      const resumeCalls: unknown[] = [];
      const { app } = await setup([
        {
          id: 'argo',
          halt: async () => {
            throw new Error('argo is down');
          },
          resume: async (_ctx, previous) => {
            resumeCalls.push(previous);
            return [];
          },
        },
        {
          id: 'never',
          appliesTo: ctx =>
            ctx.entityRefs.includes('component:default/elsewhere'),
          halt: async () => [
            { enforcer: 'never', target: 'x', status: 'applied', message: '' },
          ],
          resume: async () => [],
        },
      ]);
      const halt = await request(app).post(HALT).send({ reason: 'r' });
      expect(halt.status).toBe(200);
      expect(halt.body.enforcement).toContainEqual({
        enforcer: 'argo',
        target: 'argo',
        status: 'failed',
        message: 'argo is down',
      });
      expect(halt.body.enforcement.map((e: any) => e.enforcer)).not.toContain(
        'never',
      );

      await request(app).post(RESUME).send({ reason: 'ok' }).expect(200);
      expect(resumeCalls).toEqual([
        [
          {
            enforcer: 'argo',
            target: 'argo',
            status: 'failed',
            message: 'argo is down',
          },
        ],
      ]);
    });
  });
});
