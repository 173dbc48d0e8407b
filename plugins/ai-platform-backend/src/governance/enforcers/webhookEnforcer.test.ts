import { ConfigReader } from '@backstage/config';
import { HaltEnforcementContext } from '@aiplatform/plugin-ai-platform-node';
import { pipeline } from '../../__testUtils__/catalogFixtures';
import { startWebhookReceiver } from '../../__testUtils__/webhookReceiver';
import {
  WEBHOOK_SIGNATURE_HEADER,
  createWebhookEnforcer,
  readWebhookEnforcerOptions,
  signWebhookBody,
} from './webhookEnforcer';

const SECRET = 'whsec-7d1f0c2a';
const AT = '2026-05-12T12:00:00.000Z';

const ctx: HaltEnforcementContext = {
  pipeline: pipeline('kb-answers', {
    type: 'rag',
    owner: 'group:default/ml',
    stages: [{ name: 'serve', type: 'serving', entityRef: 'component:kb-api' }],
  }),
  entityRefs: ['aipipeline:default/kb-answers', 'component:default/kb-api'],
  stages: [],
  reason: 'accuracy below threshold',
  actor: 'user:default/alice',
  at: AT,
};

describe('webhook halt enforcer', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeEach(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET });
  });
  afterEach(() => receiver.close());

  const enforcer = (overrides: { secret?: string; retries?: number } = {}) =>
    createWebhookEnforcer({
      url: receiver.url,
      secret: overrides.secret ?? SECRET,
      timeoutMs: 5_000,
      retries: overrides.retries ?? 2,
      backoffMs: 1,
    });

  it('POSTs the halt signed with HMAC-SHA256 and is applied on a 2xx', async () => {
    const results = await enforcer().halt(ctx);

    expect(results).toEqual([
      {
        enforcer: 'webhook',
        target: new URL(receiver.url).origin,
        status: 'applied',
        message: '200 OK',
      },
    ]);
    // Only the origin is shown: the path of a webhook URL may be a secret.
    expect(results[0].target).not.toContain('/hooks/halt');
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0].body).toEqual({
      action: 'halt',
      pipeline: 'aipipeline:default/kb-answers',
      reason: 'accuracy below threshold',
      actor: 'user:default/alice',
      at: AT,
    });
  });

  it('POSTs the resume on resume', async () => {
    const halted = await enforcer().halt(ctx);
    const resumed = await enforcer().resume(
      { ...ctx, reason: 'fixed' },
      halted,
    );

    expect(resumed).toEqual([
      expect.objectContaining({
        status: 'applied',
        target: new URL(receiver.url).origin,
      }),
    ]);
    expect(receiver.calls.map(c => c.body.action)).toEqual(['halt', 'resume']);
    expect(receiver.calls[1].body.reason).toBe('fixed');
  });

  it('retries a 5xx with backoff and succeeds when the receiver recovers', async () => {
    let n = 0;
    receiver.answer(() => (++n < 3 ? 503 : 204));

    const results = await enforcer({ retries: 2 }).halt(ctx);

    expect(results[0]).toMatchObject({
      status: 'applied',
      message: '204 No Content',
    });
    expect(receiver.attempts()).toBe(3);
  });

  it('records a failure with the status after its retries', async () => {
    receiver.answer(502);

    const results = await enforcer({ retries: 2 }).halt(ctx);

    expect(results).toEqual([
      {
        enforcer: 'webhook',
        target: new URL(receiver.url).origin,
        status: 'failed',
        message: '502 Bad Gateway (after 3 attempts)',
      },
    ]);
    expect(receiver.attempts()).toBe(3);
  });

  it('does not retry a refusal: a wrong secret is a 401 at once', async () => {
    const results = await enforcer({ secret: 'not-the-secret' }).halt(ctx);

    expect(results[0]).toMatchObject({
      status: 'failed',
      message: '401 Unauthorized',
    });
    expect(receiver.attempts()).toBe(1);
    expect(receiver.calls).toHaveLength(0);
  });

  it('records an unreachable receiver as failed', async () => {
    await receiver.close();
    const results = await enforcer({ retries: 0 }).halt(ctx);
    expect(results[0]).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
    receiver = await startWebhookReceiver({ secret: SECRET });
  });

  it('signs as sha256=<hex> of the raw body', () => {
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('x-ai-platform-signature');
    // A well-known HMAC-SHA256 test vector.
    expect(
      signWebhookBody('key', 'The quick brown fox jumps over the lazy dog'),
    ).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });
});

describe('readWebhookEnforcerOptions', () => {
  const read = (webhook: any) =>
    readWebhookEnforcerOptions(
      new ConfigReader({
        aiPlatform: { governance: { enforcers: { webhook } } },
      }),
    );

  it('is off without its key', () => {
    expect(readWebhookEnforcerOptions(new ConfigReader({}))).toBeUndefined();
  });

  it('reads the defaults', () => {
    expect(read({ url: 'http://hooks.local/halt', secret: 's' })).toEqual({
      url: 'http://hooks.local/halt',
      secret: 's',
      timeoutMs: 10_000,
      retries: 2,
    });
  });

  it.each([
    [{ secret: 's' }, 'aiPlatform.governance.enforcers.webhook.url'],
    [
      { url: 'ftp://x', secret: 's' },
      'aiPlatform.governance.enforcers.webhook.url',
    ],
    [{ url: 'http://x' }, 'aiPlatform.governance.enforcers.webhook.secret'],
    [
      { url: 'http://x', secret: 's', retries: 1.5 },
      'aiPlatform.governance.enforcers.webhook.retries',
    ],
    [
      { url: 'http://x', secret: 's', timeoutSeconds: 0 },
      'aiPlatform.governance.enforcers.webhook.timeoutSeconds',
    ],
  ])('reports bad config %j naming %s', (webhook, key) => {
    expect(() => read(webhook)).toThrow(key);
  });
});
