import { mockCredentials } from '@backstage/backend-test-utils';
import { Server } from 'node:http';
import request from 'supertest';
import { startWebhookReceiver } from '../__testUtils__/webhookReceiver';
import {
  ADMIN,
  PIPELINE,
  VIEWER,
  asUser,
  seedHistory,
  startActionsBackend,
} from '../__testUtils__/actionsBackend';

const API = '/api/ai-platform';

describe('actions for agents, through the real plugin and actions registry', () => {
  let server: Server;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ server, stop } = await startActionsBackend());
    await seedHistory(server);
  });

  afterAll(async () => {
    await stop();
  });

  /** Invokes an action as the registry serves it to the actions service. */
  const invoke = (name: string, input: object, authorization: string) =>
    request(server)
      .post(`${API}/.backstage/actions/v1/actions/ai-platform:${name}/invoke`)
      .set('Authorization', authorization)
      .send(input);

  const rest = (path: string, authorization: string) =>
    request(server).get(`${API}${path}`).set('Authorization', authorization);

  it('lists the six actions with their schemas and attributes', async () => {
    const res = await request(server)
      .get(`${API}/.backstage/actions/v1/actions`)
      .set('Authorization', asUser(VIEWER));
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.actions.map((a: any) => [a.name, a]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'get-pipeline-health',
      'get-pipeline-ownership',
      'get-team-spend',
      'halt-pipeline',
      'list-ownership-gaps',
      'resume-pipeline',
    ]);
    for (const name of [
      'get-pipeline-health',
      'get-pipeline-ownership',
      'get-team-spend',
      'list-ownership-gaps',
    ]) {
      expect(byName[name].attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
    }
    for (const name of ['halt-pipeline', 'resume-pipeline']) {
      expect(byName[name].attributes).toEqual({
        readOnly: false,
        idempotent: false,
        destructive: true,
      });
      expect(byName[name].schema.input.required).toEqual([
        'pipeline',
        'reason',
      ]);
      expect(byName[name].description).toContain('ai-platform.pipeline.halt');
    }
    expect(byName['get-team-spend'].schema.input.required).toEqual(['team']);
    expect(byName['get-pipeline-health'].examples[0].input).toEqual({
      pipeline: 'aipipeline:default/kb-answers',
    });
    expect(byName['get-pipeline-health'].description).toContain(
      'Examples:\n- Why is kb-answers failing',
    );
  });

  describe('get-pipeline-ownership', () => {
    it.each([ADMIN, VIEWER])(
      'answers what GET /ownership answers (as %s), for each form of the ref',
      async caller => {
        const expected = await rest(
          '/pipelines/default/support-answers/ownership',
          asUser(caller),
        );
        expect(expected.status).toBe(200);
        expect(expected.body.findings).toContainEqual(
          expect.objectContaining({ code: 'unowned-stage', stage: 'ingest' }),
        );
        for (const pipeline of [
          PIPELINE,
          'default/support-answers',
          'Support-Answers',
        ]) {
          const res = await invoke(
            'get-pipeline-ownership',
            { pipeline },
            asUser(caller),
          );
          expect(res.status).toBe(200);
          expect(res.body.output).toEqual(expected.body);
        }
      },
    );

    it('answers 404 for an unknown pipeline and 400 naming the input for another kind', async () => {
      const missing = await invoke(
        'get-pipeline-ownership',
        { pipeline: 'nope' },
        asUser(ADMIN),
      );
      expect(missing.status).toBe(404);
      expect(missing.body.error.name).toBe('NotFoundError');

      const wrongKind = await invoke(
        'get-pipeline-ownership',
        { pipeline: 'component:default/answers' },
        asUser(ADMIN),
      );
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.error.message).toBe(
        'Invalid input pipeline: "component:default/answers" must be an AIPipeline, e.g. aipipeline:default/kb-answers',
      );

      const noInput = await invoke('get-pipeline-ownership', {}, asUser(ADMIN));
      expect(noInput.status).toBe(400);
      expect(noInput.body.error.message).toContain('Invalid input');
    });
  });

  describe('get-pipeline-health', () => {
    it('answers the dashboard of the last 24 hours without its series', async () => {
      const before = Date.now();
      const res = await invoke(
        'get-pipeline-health',
        { pipeline: PIPELINE },
        asUser(ADMIN),
      );
      expect(res.status).toBe(200);
      const { from, to } = res.body.output;
      expect(Date.parse(to)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(to) - Date.parse(from)).toBe(24 * 3_600_000);

      const dashboard = await rest(
        `/pipelines/default/support-answers/dashboard?from=${from}&to=${to}`,
        asUser(ADMIN),
      );
      expect(dashboard.status).toBe(200);
      const { series, ...withoutSeries } = dashboard.body;
      expect(series.length).toBeGreaterThan(0);
      expect(res.body.output).toEqual(withoutSeries);
      expect(res.body.output.slos.map((s: any) => [s.name, s.status])).toEqual(
        dashboard.body.slos.map((s: any) => [s.name, s.status]),
      );
      expect(res.body.output.health).not.toBe('unknown');
      expect(res.body.output.halt).toEqual({
        halted: false,
        reason: null,
        by: null,
        at: null,
      });
    });

    it('answers the same as the route for an explicit range, and names a bad one', async () => {
      const to = new Date().toISOString();
      const from = new Date(Date.now() - 3 * 24 * 3_600_000).toISOString();
      const res = await invoke(
        'get-pipeline-health',
        { pipeline: 'support-answers', from, to },
        asUser(VIEWER),
      );
      expect(res.status).toBe(200);
      const dashboard = await rest(
        `/pipelines/default/support-answers/dashboard?from=${from}&to=${to}`,
        asUser(VIEWER),
      );
      const { series: _series, ...withoutSeries } = dashboard.body;
      expect(res.body.output).toEqual(withoutSeries);

      const backwards = await invoke(
        'get-pipeline-health',
        { pipeline: PIPELINE, from: to, to: from },
        asUser(VIEWER),
      );
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.message).toBe(
        'Invalid input from: must be before to',
      );
      const notATime = await invoke(
        'get-pipeline-health',
        { pipeline: PIPELINE, from: 'yesterday' },
        asUser(VIEWER),
      );
      expect(notATime.status).toBe(400);
    });
  });

  describe('list-ownership-gaps', () => {
    it.each([
      [{}, ''],
      [{ team: 'ml-team' }, '?owner=group:default/ml-team'],
      [
        { team: 'group:default/ml-platform' },
        '?owner=group:default/ml-platform',
      ],
    ])(
      'answers what GET /ownership/report answers for %j',
      async (input, query) => {
        const expected = await rest(
          `/ownership/report${query}`,
          asUser(VIEWER),
        );
        expect(expected.status).toBe(200);
        expect(expected.body.items.length).toBeGreaterThan(0);
        const res = await invoke('list-ownership-gaps', input, asUser(VIEWER));
        expect(res.status).toBe(200);
        // The route answers a page; the action every item, without paging.
        expect(res.body.output).toEqual({ items: expected.body.items });
        expect(res.body.output.items).toHaveLength(expected.body.totalItems);
      },
    );

    it('names a team that is not a Group or User', async () => {
      const res = await invoke(
        'list-ownership-gaps',
        { team: 'component:default/answers' },
        asUser(VIEWER),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'Invalid input team: "component:default/answers" must be a Group or a User',
      );
    });
  });

  describe('get-team-spend', () => {
    it.each([
      [{ team: 'group:default/ml-team' }, 'team=group:default/ml-team'],
      [
        { team: 'ml-platform', groupBy: 'model', includeSubteams: true },
        'team=group:default/ml-platform&groupBy=model&includeSubteams=true',
      ],
    ])('answers what GET /spend answers for %j', async (input, query) => {
      const to = new Date().toISOString();
      const expected = await rest(`/spend?${query}&to=${to}`, asUser(ADMIN));
      expect(expected.status).toBe(200);
      expect(expected.body.total).toBeCloseTo(1.5);
      const res = await invoke(
        'get-team-spend',
        { ...input, to },
        asUser(ADMIN),
      );
      expect(res.status).toBe(200);
      expect(res.body.output).toEqual(expected.body);
    });

    it('is refused without ai-platform.spend.read, like the route', async () => {
      const route = await rest(
        '/spend?team=group:default/ml-team',
        asUser(VIEWER),
      );
      expect(route.status).toBe(403);
      const res = await invoke(
        'get-team-spend',
        { team: 'group:default/ml-team' },
        asUser(VIEWER),
      );
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({
        name: 'NotAllowedError',
        message: route.body.error.message,
      });
      expect(res.body.error.message).toContain('ai-platform.spend.read');
    });

    it('names a team that is a User', async () => {
      const res = await invoke(
        'get-team-spend',
        { team: 'user:default/alice' },
        asUser(ADMIN),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'Invalid input team: must be a Group',
      );
    });
  });

  describe('halt-pipeline and resume-pipeline', () => {
    const halt = () =>
      rest('/pipelines/default/support-answers/halt', asUser(ADMIN));

    it('refuses a user without ai-platform.pipeline.halt and a service not listed, changing nothing', async () => {
      for (const name of ['halt-pipeline', 'resume-pipeline']) {
        const res = await invoke(
          name,
          { pipeline: PIPELINE, reason: 'quality fell' },
          asUser(VIEWER),
        );
        expect(res.status).toBe(403);
        expect(res.body.error.name).toBe('NotAllowedError');
        expect(res.body.error.message).toContain('ai-platform.pipeline.halt');
      }
      const service = await invoke(
        'halt-pipeline',
        { pipeline: PIPELINE, reason: 'quality fell' },
        mockCredentials.service.header(),
      );
      expect(service.status).toBe(403);
      expect(service.body.error.message).toContain(
        'aiPlatform.governance.serviceSubjects',
      );
      expect((await halt()).body.halted).toBe(false);
      const audit = await rest(`/audit?entityRef=${PIPELINE}`, asUser(ADMIN));
      expect(audit.body.items).toEqual([]);
    });

    it('halts and resumes as a permitted user, answering the halt state the route answers, audited', async () => {
      const halted = await invoke(
        'halt-pipeline',
        { pipeline: 'support-answers', reason: '  quality below 0.8  ' },
        asUser(ADMIN),
      );
      expect(halted.status).toBe(200);
      expect(halted.body.output).toMatchObject({
        halted: true,
        reason: 'quality below 0.8',
        by: ADMIN,
      });
      expect(halted.body.output).toEqual((await halt()).body);
      const health = await invoke(
        'get-pipeline-health',
        { pipeline: PIPELINE },
        asUser(VIEWER),
      );
      expect(health.body.output.health).toBe('halted');
      expect(health.body.output.halt).toEqual(halted.body.output);

      const resumed = await invoke(
        'resume-pipeline',
        { pipeline: PIPELINE, reason: 'index rebuilt' },
        asUser(ADMIN),
      );
      expect(resumed.status).toBe(200);
      expect(resumed.body.output).toMatchObject({
        halted: false,
        reason: 'index rebuilt',
        by: ADMIN,
      });
      expect(resumed.body.output).toEqual((await halt()).body);

      const audit = await rest(`/audit?entityRef=${PIPELINE}`, asUser(ADMIN));
      expect(audit.body.items.map((e: any) => [e.type, e.actor])).toEqual([
        ['pipeline.resumed', ADMIN],
        ['pipeline.halted', ADMIN],
      ]);
    });

    it('asks for a reason, as the route does', async () => {
      const res = await invoke(
        'halt-pipeline',
        { pipeline: PIPELINE, reason: '   ' },
        asUser(ADMIN),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'reason: say why, e.g. "accuracy below threshold"',
      );
    });
  });

  describe('halt-pipeline with a halt enforcer', () => {
    it('answers the halt state with what the enforcer did, as the halt route does', async () => {
      const receiver = await startWebhookReceiver({ secret: 's3cret' });
      const withEnforcer = await startActionsBackend({
        config: {
          aiPlatform: {
            governance: {
              enforcers: { webhook: { url: receiver.url, secret: 's3cret' } },
            },
          },
        },
      });
      try {
        const res = await request(withEnforcer.server)
          .post(
            `${API}/.backstage/actions/v1/actions/ai-platform:halt-pipeline/invoke`,
          )
          .set('Authorization', asUser(ADMIN))
          .send({ pipeline: PIPELINE, reason: 'quality fell' });
        expect(res.status).toBe(200);
        expect(res.body.output.enforcement).toEqual([
          expect.objectContaining({ enforcer: 'webhook', status: 'applied' }),
        ]);
        const state = await request(withEnforcer.server)
          .get(`${API}/pipelines/default/support-answers/halt`)
          .set('Authorization', asUser(VIEWER));
        expect(res.body.output).toEqual(state.body);
        expect(receiver.calls.map(c => [c.body.action, c.body.actor])).toEqual([
          ['halt', ADMIN],
        ]);
      } finally {
        await withEnforcer.stop();
        await receiver.close();
      }
    });
  });
});
