import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { HaltEnforcementContext } from '@aiplatform/plugin-ai-platform-node';
import { component, pipeline } from '../../__testUtils__/catalogFixtures';
import { GovernanceStore } from '../GovernanceStore';
import { HaltEnforcement } from '../HaltEnforcement';
import { startKubernetesStandIn } from './__testUtils__/kubernetesStandIn';
import {
  createEnvoyAiGatewayEnforcer,
  readEnvoyAiGatewayEnforcerOptions,
} from './envoyAiGatewayEnforcer';

const TOKEN = 'sa-token-0c41';
const ANNOTATION = 'ai-platform.io/envoy-ai-gateway-route';

function annotated(entity: any, routes: string) {
  return {
    ...entity,
    metadata: { ...entity.metadata, annotations: { [ANNOTATION]: routes } },
  };
}

const PIPELINE = pipeline('kb-answers', {
  type: 'rag',
  owner: 'group:default/ml',
  stages: [
    { name: 'serve', type: 'serving', entityRef: 'component:kb-api' },
    { name: 'embed', type: 'embedding', entityRef: 'component:kb-embed' },
  ],
});
/** What the scaffolder's gateway action writes: the route name only. */
const KB_API = annotated(component('kb-api'), 'kb-api');
const KB_EMBED = annotated(component('kb-embed'), 'ai-gateway/kb-embed');

const ctx = (stages = [KB_API, KB_EMBED]): HaltEnforcementContext => ({
  pipeline: PIPELINE,
  entityRefs: ['aipipeline:default/kb-answers'],
  stages,
  reason: 'leaking PII',
  actor: 'user:default/alice',
  at: '2026-05-12T12:00:00.000Z',
});

const POLICIES = '/apis/gateway.envoyproxy.io/v1alpha1/namespaces';

describe('Envoy AI Gateway halt enforcer against a stand-in Kubernetes API server', () => {
  let k8s: Awaited<ReturnType<typeof startKubernetesStandIn>>;
  beforeEach(async () => {
    k8s = await startKubernetesStandIn({ token: TOKEN });
  });
  afterEach(() => k8s.close());

  const enforcer = (url = k8s.url) =>
    createEnvoyAiGatewayEnforcer({
      cluster: {
        kind: 'cluster',
        url,
        serviceAccountToken: TOKEN,
        skipTLSVerify: true,
      },
      timeoutMs: 5_000,
      defaultNamespace: 'ai-gateway',
    });

  it('creates a deny-all SecurityPolicy on the HTTPRoute of each AIGatewayRoute (stand-in)', async () => {
    const results = await enforcer().halt(ctx());

    expect(results).toEqual([
      {
        enforcer: 'envoy-ai-gateway',
        target: 'route:ai-gateway/kb-api',
        status: 'pending',
        message:
          'SecurityPolicy created; Envoy Gateway has not accepted it yet',
        undo: { namespace: 'ai-gateway', policy: 'ai-platform-halt-kb-api' },
      },
      {
        enforcer: 'envoy-ai-gateway',
        target: 'route:ai-gateway/kb-embed',
        status: 'pending',
        message:
          'SecurityPolicy created; Envoy Gateway has not accepted it yet',
        undo: { namespace: 'ai-gateway', policy: 'ai-platform-halt-kb-embed' },
      },
    ]);
    expect([...k8s.securityPolicies.keys()]).toEqual([
      'ai-gateway/ai-platform-halt-kb-api',
      'ai-gateway/ai-platform-halt-kb-embed',
    ]);
    const post = k8s.requests.find(r => r.method === 'POST');
    expect(post).toEqual({
      method: 'POST',
      path: `${POLICIES}/ai-gateway/securitypolicies`,
      contentType: 'application/json',
      body: {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'SecurityPolicy',
        metadata: {
          name: 'ai-platform-halt-kb-api',
          namespace: 'ai-gateway',
          labels: { 'app.kubernetes.io/managed-by': 'ai-platform' },
          annotations: {
            'ai-platform.io/halted-pipeline': 'aipipeline:default/kb-answers',
            'ai-platform.io/halted-by': 'user:default/alice',
            'ai-platform.io/halted-at': '2026-05-12T12:00:00.000Z',
          },
        },
        spec: {
          targetRefs: [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'HTTPRoute',
              name: 'kb-api',
            },
          ],
          authorization: { defaultAction: 'Deny' },
        },
      },
    });
  });

  it('a retry confirms the policy once Envoy Gateway accepted it, or says why not (stand-in)', async () => {
    const first = await enforcer().halt(ctx());
    k8s.setPolicyAccepted('ai-gateway/ai-platform-halt-kb-api', true);
    k8s.setPolicyAccepted(
      'ai-gateway/ai-platform-halt-kb-embed',
      false,
      'Conflicted',
    );
    const retried = await enforcer().halt({ ...ctx(), previous: first });

    expect(retried.map(r => [r.target, r.status, r.message])).toEqual([
      [
        'route:ai-gateway/kb-api',
        'applied',
        'denied (SecurityPolicy accepted by Envoy Gateway)',
      ],
      [
        'route:ai-gateway/kb-embed',
        'failed',
        'Envoy Gateway did not accept the SecurityPolicy: Conflicted (rejected)',
      ],
    ]);
    // Nothing created twice.
    expect(k8s.requests.filter(r => r.method === 'POST')).toHaveLength(2);
    expect(retried.every(r => r.undo)).toBe(true);
  });

  it('deletes on resume the policies it created, and leaves one that was there before (stand-in)', async () => {
    const foreign = {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'SecurityPolicy',
      metadata: { name: 'ai-platform-halt-kb-embed', namespace: 'ai-gateway' },
    };
    k8s.securityPolicies.set('ai-gateway/ai-platform-halt-kb-embed', foreign);

    const halted = await enforcer().halt(ctx());
    expect(halted[1]).toEqual({
      enforcer: 'envoy-ai-gateway',
      target: 'route:ai-gateway/kb-embed',
      status: 'applied',
      message:
        'SecurityPolicy ai-gateway/ai-platform-halt-kb-embed was there before the halt; it is left on resume',
    });

    const resumed = await enforcer().resume(ctx(), halted);
    expect(resumed).toEqual([
      {
        enforcer: 'envoy-ai-gateway',
        target: 'route:ai-gateway/kb-api',
        status: 'applied',
        message: 'SecurityPolicy deleted',
      },
    ]);
    expect([...k8s.securityPolicies.keys()]).toEqual([
      'ai-gateway/ai-platform-halt-kb-embed',
    ]);
    expect(
      k8s.requests.filter(r => r.method === 'DELETE').map(r => r.path),
    ).toEqual([
      `${POLICIES}/ai-gateway/securitypolicies/ai-platform-halt-kb-api`,
    ]);
  });

  it('records a failed create (500) and an unreachable API server; a retry creates it (stand-in)', async () => {
    k8s.failing.add(`POST ${POLICIES}/ai-gateway/securitypolicies`);
    const first = await enforcer().halt(ctx([KB_API]));
    expect(first).toEqual([
      {
        enforcer: 'envoy-ai-gateway',
        target: 'route:ai-gateway/kb-api',
        status: 'failed',
        message:
          'Kubernetes POST securitypolicy ai-gateway/ai-platform-halt-kb-api: 500 etcdserver: request timed out',
        undo: { namespace: 'ai-gateway', policy: 'ai-platform-halt-kb-api' },
      },
    ]);
    expect(k8s.securityPolicies.size).toBe(0);

    k8s.failing.clear();
    const retried = await enforcer().halt({
      ...ctx([KB_API]),
      previous: first,
    });
    expect(retried[0].status).toBe('pending');
    expect(k8s.securityPolicies.has('ai-gateway/ai-platform-halt-kb-api')).toBe(
      true,
    );

    const url = k8s.url;
    await k8s.close();
    const [down] = await enforcer(url).halt(ctx([KB_API]));
    expect(down.status).toBe('failed');
    expect(down.message).toMatch(
      /^Kubernetes GET securitypolicy ai-gateway\/ai-platform-halt-kb-api: .*ECONNREFUSED/,
    );
  });

  it('keeps what an earlier attempt created for a route no longer annotated, while the policy exists (stand-in)', async () => {
    const first = await enforcer().halt(ctx());
    k8s.setPolicyAccepted('ai-gateway/ai-platform-halt-kb-embed', true);
    // kb-embed's annotation is gone; its pending policy is still there.
    const second = await enforcer().halt({ ...ctx([KB_API]), previous: first });
    expect(second.map(r => [r.target, r.status])).toEqual([
      ['route:ai-gateway/kb-api', 'pending'],
      ['route:ai-gateway/kb-embed', 'applied'],
    ]);
    // Deleted meanwhile: nothing left to keep.
    k8s.securityPolicies.delete('ai-gateway/ai-platform-halt-kb-embed');
    const pendingOnly = second.map(r => ({ ...r, status: 'pending' as const }));
    const third = await enforcer().halt({
      ...ctx([KB_API]),
      previous: pendingOnly,
    });
    expect(third.map(r => r.target)).toEqual(['route:ai-gateway/kb-api']);

    await enforcer().resume(ctx([KB_API]), second);
    expect(k8s.securityPolicies.size).toBe(0);
  });

  it('a policy already deleted is fine on resume (404 from the stand-in)', async () => {
    const halted = await enforcer().halt(ctx([KB_API]));
    k8s.securityPolicies.clear();
    const [resumed] = await enforcer().resume(ctx([KB_API]), halted);
    expect(resumed).toMatchObject({
      status: 'applied',
      message: 'SecurityPolicy already gone',
    });
  });

  it('reports a malformed annotation as a failed result naming the entity and annotation', async () => {
    const bad = annotated(component('kb-api'), 'a/b/c, Bad_Name');
    const results = await enforcer().halt(ctx([bad]));
    expect(results.map(r => r.message)).toEqual([
      'component:default/kb-api annotation ai-platform.io/envoy-ai-gateway-route: "a/b/c" is not [<namespace>/]<name>',
      'component:default/kb-api annotation ai-platform.io/envoy-ai-gateway-route: "Bad_Name" name "Bad_Name" is not a Kubernetes object name',
    ]);
    expect(results.every(r => r.status === 'failed' && !r.undo)).toBe(true);
    expect(k8s.requests).toEqual([]);
  });
});

describe('Envoy AI Gateway enforcer retried through HaltEnforcement (stand-in Kubernetes API server)', () => {
  it('a failed create is retried by retryHalt, and resume deletes the policy', async () => {
    const k8s = await startKubernetesStandIn({ token: TOKEN });
    try {
      const options = readEnvoyAiGatewayEnforcerOptions(
        new ConfigReader({
          aiPlatform: {
            governance: {
              enforcers: {
                kubernetes: {
                  cluster: {
                    url: k8s.url,
                    serviceAccountToken: TOKEN,
                    skipTLSVerify: true,
                  },
                },
                envoyAiGateway: { namespace: 'ai-gateway' },
              },
            },
          },
        }),
      )!;
      const enforcement = new HaltEnforcement({
        enforcers: [createEnvoyAiGatewayEnforcer(options)],
        catalog: {
          getEntitiesByRefs: async () => ({ items: [KB_API] }),
        } as any,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      });
      const intent = {
        reason: 'PII',
        actor: 'user:default/alice',
        at: Date.now(),
      };

      k8s.failing.add(`POST ${POLICIES}/ai-gateway/securitypolicies`);
      let stored = await enforcement.halt(PIPELINE, intent);
      expect(stored).toMatchObject([
        { target: 'route:ai-gateway/kb-api', status: 'failed' },
      ]);

      k8s.failing.clear();
      const store = {
        getEnforcement: async () => stored,
        replaceEnforcerResults: async (
          _p: string,
          _a: number,
          _i: string,
          r: any[],
        ) => {
          stored = r;
          return true;
        },
      } as unknown as GovernanceStore;
      const halt = {
        pipeline: 'aipipeline:default/kb-answers',
        ...intent,
      } as any;
      await enforcement.retryHalt(store, PIPELINE, halt);
      expect(stored).toMatchObject([{ status: 'pending' }]);

      // Pending is retried too: the next run sees Envoy Gateway's status.
      k8s.setPolicyAccepted('ai-gateway/ai-platform-halt-kb-api', true);
      await enforcement.retryHalt(store, PIPELINE, halt);
      expect(stored).toMatchObject([{ status: 'applied' }]);

      const resumed = await enforcement.resume(PIPELINE, intent, stored);
      expect(resumed).toMatchObject([
        { status: 'applied', message: 'SecurityPolicy deleted' },
      ]);
      expect(k8s.securityPolicies.size).toBe(0);
    } finally {
      await k8s.close();
    }
  });
});

describe('readEnvoyAiGatewayEnforcerOptions', () => {
  const KEY = 'aiPlatform.governance.enforcers.envoyAiGateway';
  const read = (enforcers: unknown) =>
    readEnvoyAiGatewayEnforcerOptions(
      new ConfigReader({ aiPlatform: { governance: { enforcers } } } as any),
    );
  const cluster = { url: 'https://k:6443', serviceAccountToken: 't' };

  it("is off without its key, and defaults to the kubernetes enforcer's cluster", () => {
    expect(read({ kubernetes: { cluster } })).toBeUndefined();
    expect(
      read({ kubernetes: { cluster, timeoutSeconds: 30 }, envoyAiGateway: {} }),
    ).toEqual({
      cluster: { kind: 'cluster', ...cluster, skipTLSVerify: false },
      timeoutMs: 30_000,
      defaultNamespace: 'default',
    });
  });

  it('prefers its own cluster', () => {
    expect(
      read({
        kubernetes: { cluster },
        envoyAiGateway: {
          cluster: { url: 'https://gw:6443', serviceAccountToken: 'g' },
          namespace: 'envoy-ai-gateway-system',
        },
      }),
    ).toMatchObject({
      cluster: { url: 'https://gw:6443', serviceAccountToken: 'g' },
      defaultNamespace: 'envoy-ai-gateway-system',
    });
  });

  it('reports bad config naming the full key', () => {
    expect(() => read({ envoyAiGateway: {} })).toThrow(
      `Invalid config ${KEY}.cluster: is required`,
    );
    expect(() =>
      read({ kubernetes: { cluster }, envoyAiGateway: { namespace: 'No' } }),
    ).toThrow(`Invalid config ${KEY}.namespace`);
    expect(() =>
      read({
        envoyAiGateway: {
          cluster: { url: 'ftp://x', serviceAccountToken: 't' },
        },
      }),
    ).toThrow(`Invalid config ${KEY}.cluster.url`);
  });
});
