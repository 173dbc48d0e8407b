import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { HaltEnforcementContext } from '@aiplatform/plugin-ai-platform-node';
import { component, pipeline } from '../../__testUtils__/catalogFixtures';
import { startKubernetesStandIn } from './__testUtils__/kubernetesStandIn';
import {
  createKubernetesEnforcer,
  readKubernetesEnforcerOptions,
} from './kubernetesEnforcer';
import { HaltEnforcement } from '../HaltEnforcement';
import { GovernanceStore } from '../GovernanceStore';

const TOKEN = 'sa-token-7f3e';
const ANNOTATION = 'ai-platform.io/kubernetes-workloads';

function annotated(entity: any, workloads: string) {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: { [ANNOTATION]: workloads },
    },
  };
}

const PIPELINE = annotated(
  pipeline('kb-answers', {
    type: 'rag',
    owner: 'group:default/ml',
    stages: [
      { name: 'serve', type: 'serving', entityRef: 'component:kb-api' },
      { name: 'embed', type: 'embedding', entityRef: 'component:kb-embed' },
    ],
  }),
  'cronjob/ml/kb-reindex',
);
const KB_API = annotated(
  component('kb-api', { owner: 'group:default/ml' }),
  'deployment/ml/kb-api, statefulset/ml/kb-vectors',
);
const KB_EMBED = annotated(
  component('kb-embed', { owner: 'group:default/ml' }),
  // Already at 0 and already suspended before the halt; kb-api repeated.
  'deployment/ml/kb-embed-batch,cronjob/ml/kb-embed-nightly, deployment/ml/kb-api',
);

const ctx = (stages = [KB_API, KB_EMBED]): HaltEnforcementContext => ({
  pipeline: PIPELINE,
  entityRefs: [
    'aipipeline:default/kb-answers',
    'component:default/kb-api',
    'component:default/kb-embed',
  ],
  stages,
  reason: 'accuracy below threshold',
  actor: 'user:default/alice',
  at: '2026-05-12T12:00:00.000Z',
});

describe('Kubernetes halt enforcer against a stand-in Kubernetes API server', () => {
  let k8s: Awaited<ReturnType<typeof startKubernetesStandIn>>;
  beforeEach(async () => {
    k8s = await startKubernetesStandIn({
      token: TOKEN,
      replicas: {
        'deployment/ml/kb-api': 3,
        'statefulset/ml/kb-vectors': 2,
        'deployment/ml/kb-embed-batch': 0,
      },
      cronJobs: { 'ml/kb-reindex': false, 'ml/kb-embed-nightly': true },
    });
  });
  afterEach(() => k8s.close());

  const enforcer = (token = TOKEN, url = k8s.url) =>
    createKubernetesEnforcer({
      cluster: {
        kind: 'cluster',
        url,
        serviceAccountToken: token,
        skipTLSVerify: true,
      },
      timeoutMs: 5_000,
    });

  it('scales Deployments and StatefulSets to 0 and suspends CronJobs, through merge patches (stand-in)', async () => {
    const results = await enforcer().halt(ctx());

    expect(results.map(({ undo, ...r }) => r)).toEqual([
      {
        enforcer: 'kubernetes',
        target: 'workload:cronjob/ml/kb-reindex',
        status: 'applied',
        message: 'suspended',
      },
      {
        enforcer: 'kubernetes',
        target: 'workload:deployment/ml/kb-api',
        status: 'applied',
        message: 'scaled to 0 (was 3)',
      },
      {
        enforcer: 'kubernetes',
        target: 'workload:statefulset/ml/kb-vectors',
        status: 'applied',
        message: 'scaled to 0 (was 2)',
      },
      {
        enforcer: 'kubernetes',
        target: 'workload:deployment/ml/kb-embed-batch',
        status: 'applied',
        message: 'already at 0 replicas before the halt; stays at 0 on resume',
      },
      {
        enforcer: 'kubernetes',
        target: 'workload:cronjob/ml/kb-embed-nightly',
        status: 'applied',
        message: 'already suspended before the halt; stays suspended on resume',
      },
    ]);
    expect(Object.fromEntries(k8s.replicas)).toEqual({
      'deployment/ml/kb-api': 0,
      'statefulset/ml/kb-vectors': 0,
      'deployment/ml/kb-embed-batch': 0,
    });
    expect(Object.fromEntries(k8s.cronJobs)).toEqual({
      'ml/kb-reindex': true,
      'ml/kb-embed-nightly': true,
    });
    // Through the scale subresource, as merge patches.
    expect(k8s.requests).toContainEqual({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/ml/deployments/kb-api/scale',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 0 } },
    });
    expect(k8s.requests).toContainEqual({
      method: 'PATCH',
      path: '/apis/batch/v1/namespaces/ml/cronjobs/kb-reindex',
      contentType: 'application/merge-patch+json',
      body: { spec: { suspend: true } },
    });
    // The ones already halted are not patched; kb-api only once.
    const patched = k8s.requests
      .filter(r => r.method === 'PATCH')
      .map(r => r.path);
    expect(patched).toHaveLength(3);
  });

  it('restores on resume exactly what it changed: 3 -> 0 -> 3, and leaves what was already halted (stand-in)', async () => {
    const halted = await enforcer().halt(ctx());
    const resumed = await enforcer().resume(ctx(), halted);

    expect(resumed.map(r => [r.target, r.status, r.message])).toEqual([
      ['workload:cronjob/ml/kb-reindex', 'applied', 'unsuspended'],
      ['workload:deployment/ml/kb-api', 'applied', 'scaled back to 3'],
      ['workload:statefulset/ml/kb-vectors', 'applied', 'scaled back to 2'],
    ]);
    expect(Object.fromEntries(k8s.replicas)).toEqual({
      'deployment/ml/kb-api': 3,
      'statefulset/ml/kb-vectors': 2,
      'deployment/ml/kb-embed-batch': 0,
    });
    expect(Object.fromEntries(k8s.cronJobs)).toEqual({
      'ml/kb-reindex': false,
      'ml/kb-embed-nightly': true,
    });
  });

  it('a second halt keeps the replicas from before the first, never 0 (stand-in)', async () => {
    const first = await enforcer().halt(ctx());
    // Someone scales kb-api up during the halt; the pipeline is halted again.
    k8s.replicas.set('deployment/ml/kb-api', 1);
    const second = await enforcer().halt({ ...ctx(), previous: first });

    expect(
      second.find(r => r.target === 'workload:deployment/ml/kb-api'),
    ).toMatchObject({
      status: 'applied',
      message: 'scaled to 0 (was 3)',
      undo: { workload: 'deployment/ml/kb-api', replicas: 3 },
    });
    expect(
      second.find(r => r.target === 'workload:statefulset/ml/kb-vectors')?.undo,
    ).toEqual({ workload: 'statefulset/ml/kb-vectors', replicas: 2 });
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(0);

    await enforcer().resume(ctx(), second);
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);
    expect(k8s.replicas.get('deployment/ml/kb-embed-batch')).toBe(0);
    expect(k8s.cronJobs.get('ml/kb-embed-nightly')).toBe(true);
  });

  it('records a failed patch (500), and a retry applies it keeping the replicas before (stand-in)', async () => {
    k8s.failing.add(
      'PATCH /apis/apps/v1/namespaces/ml/deployments/kb-api/scale',
    );
    const first = await enforcer().halt(ctx());
    expect(
      first.find(r => r.target === 'workload:deployment/ml/kb-api'),
    ).toMatchObject({
      status: 'failed',
      message:
        'Kubernetes PATCH deployment ml/kb-api scale: 500 etcdserver: request timed out (ml/kb-api has 3)',
      undo: { workload: 'deployment/ml/kb-api', replicas: 3 },
    });
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);

    k8s.failing.clear();
    const retried = await enforcer().halt({ ...ctx(), previous: first });
    expect(retried.every(r => r.status === 'applied')).toBe(true);
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(0);

    await enforcer().resume(ctx(), retried);
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);
  });

  it('records a workload that does not exist (404) and an unreachable API server (stand-in)', async () => {
    const missing = annotated(
      component('kb-api', { owner: 'group:default/ml' }),
      'deployment/ml/gone',
    );
    const [, gone] = await enforcer().halt(ctx([missing]));
    expect(gone).toEqual({
      enforcer: 'kubernetes',
      target: 'workload:deployment/ml/gone',
      status: 'failed',
      message:
        'Kubernetes GET deployment ml/gone scale: 404 deployments.apps "gone" not found',
    });

    const url = k8s.url;
    await k8s.close();
    const unreachable = await enforcer(TOKEN, url).halt(ctx());
    expect(unreachable.every(r => r.status === 'failed')).toBe(true);
    expect(unreachable[0].message).toMatch(
      /^Kubernetes GET cronjob ml\/kb-reindex: .*ECONNREFUSED/,
    );
  });

  it('gives up on a call after timeoutSeconds (stand-in that does not answer)', async () => {
    k8s.hanging.add('GET /apis/apps/v1/namespaces/ml/deployments/kb-api/scale');
    const slow = createKubernetesEnforcer({
      cluster: {
        kind: 'cluster',
        url: k8s.url,
        serviceAccountToken: TOKEN,
        skipTLSVerify: true,
      },
      timeoutMs: 200,
    });
    const results = await slow.halt(ctx([KB_API]));
    expect(
      results.find(r => r.target === 'workload:deployment/ml/kb-api'),
    ).toEqual({
      enforcer: 'kubernetes',
      target: 'workload:deployment/ml/kb-api',
      status: 'failed',
      message:
        'Kubernetes GET deployment ml/kb-api scale: no answer within 0.2 s',
    });
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);
  });

  it('is refused with a wrong token (stand-in)', async () => {
    const results = await enforcer('wrong').halt(ctx());
    expect(results.map(r => r.status)).toEqual(Array(5).fill('failed'));
    expect(results[1].message).toBe(
      'Kubernetes GET deployment ml/kb-api scale: 401',
    );
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);
  });

  it('reports a malformed annotation item as a failed result naming the entity and annotation, and halts the rest (stand-in)', async () => {
    const bad = annotated(
      component('kb-api', { owner: 'group:default/ml' }),
      'deployment/ml/kb-api, job/ml/once, deployment/ML/x, deployment/kb-api',
    );
    const results = await enforcer().halt(ctx([bad]));
    expect(results.filter(r => r.status === 'failed')).toEqual([
      {
        enforcer: 'kubernetes',
        target: 'component:default/kb-api',
        status: 'failed',
        message:
          'component:default/kb-api annotation ai-platform.io/kubernetes-workloads: "job/ml/once" kind "job" is not one of deployment, statefulset, cronjob',
      },
      {
        enforcer: 'kubernetes',
        target: 'component:default/kb-api',
        status: 'failed',
        message:
          'component:default/kb-api annotation ai-platform.io/kubernetes-workloads: "deployment/ML/x" namespace "ML" is not a Kubernetes namespace name',
      },
      {
        enforcer: 'kubernetes',
        target: 'component:default/kb-api',
        status: 'failed',
        message:
          'component:default/kb-api annotation ai-platform.io/kubernetes-workloads: "deployment/kb-api" is not <kind>/<namespace>/<name>',
      },
    ]);
    expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(0);
  });

  it('applies only to pipelines whose entities carry the annotation', async () => {
    const plain = {
      ...ctx([component('kb-api')]),
      pipeline: pipeline('kb-answers', {
        type: 'rag',
        owner: 'group:default/ml',
        stages: [],
      }),
    };
    expect(await enforcer().appliesTo!(plain)).toBe(false);
    expect(await enforcer().appliesTo!(ctx())).toBe(true);
  });
});

describe('Kubernetes enforcer retried through HaltEnforcement (stand-in Kubernetes API server)', () => {
  it('a failed scale is retried by retryHalt until applied', async () => {
    const k8s = await startKubernetesStandIn({
      token: TOKEN,
      replicas: { 'deployment/ml/kb-api': 4 },
    });
    try {
      const kbApi = annotated(component('kb-api'), 'deployment/ml/kb-api');
      const catalog = {
        getEntitiesByRefs: jest.fn(async () => ({ items: [kbApi] })),
      };
      const enforcement = new HaltEnforcement({
        enforcers: readBuiltInFor(k8s.url),
        catalog: catalog as any,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      });
      const plain = pipeline('kb-answers', {
        type: 'rag',
        owner: 'group:default/ml',
        stages: [
          { name: 'serve', type: 'serving', entityRef: 'component:kb-api' },
        ],
      });
      const intent = {
        reason: 'drift',
        actor: 'user:default/alice',
        at: Date.now(),
      };

      k8s.failing.add(
        'PATCH /apis/apps/v1/namespaces/ml/deployments/kb-api/scale',
      );
      let stored = await enforcement.halt(plain, intent);
      expect(stored).toMatchObject([
        { target: 'workload:deployment/ml/kb-api', status: 'failed' },
      ]);

      k8s.failing.clear();
      const store = {
        getEnforcement: async () => stored,
        replaceEnforcerResults: async (
          _p: string,
          _at: number,
          _id: string,
          results: any[],
        ) => {
          stored = results;
          return true;
        },
      } as unknown as GovernanceStore;
      await enforcement.retryHalt(store, plain, {
        pipeline: 'aipipeline:default/kb-answers',
        ...intent,
      } as any);
      expect(stored).toMatchObject([
        {
          target: 'workload:deployment/ml/kb-api',
          status: 'applied',
          message: 'scaled to 0 (was 4)',
        },
      ]);
      expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(0);

      await enforcement.resume(plain, intent, stored);
      expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(4);
    } finally {
      await k8s.close();
    }
  });
});

function readBuiltInFor(url: string) {
  const options = readKubernetesEnforcerOptions(
    new ConfigReader({
      aiPlatform: {
        governance: {
          enforcers: {
            kubernetes: {
              cluster: { url, serviceAccountToken: TOKEN, skipTLSVerify: true },
            },
          },
        },
      },
    }),
  )!;
  return [createKubernetesEnforcer(options)];
}

describe('readKubernetesEnforcerOptions', () => {
  const KEY = 'aiPlatform.governance.enforcers.kubernetes';
  const read = (kubernetes: unknown) =>
    readKubernetesEnforcerOptions(
      new ConfigReader({
        aiPlatform: { governance: { enforcers: { kubernetes } } },
      } as any),
    );

  it('is off without its key', () => {
    expect(readKubernetesEnforcerOptions(new ConfigReader({}))).toBeUndefined();
  });

  it('reads a cluster with a token', () => {
    expect(
      read({
        cluster: {
          url: 'https://k8s.example.com:6443/',
          serviceAccountToken: 't',
        },
        timeoutSeconds: 20,
      }),
    ).toEqual({
      cluster: {
        kind: 'cluster',
        url: 'https://k8s.example.com:6443',
        serviceAccountToken: 't',
        skipTLSVerify: false,
      },
      timeoutMs: 20_000,
    });
  });

  it('reports bad config naming the full key', () => {
    expect(() => read({})).toThrow(
      `Invalid config ${KEY}.cluster: is required`,
    );
    expect(() => read({ cluster: { serviceAccountToken: 't' } })).toThrow(
      `Invalid config ${KEY}.cluster.url: is required`,
    );
    expect(() => read({ cluster: { url: 'https://k' } })).toThrow(
      `Invalid config ${KEY}.cluster.serviceAccountToken: is required`,
    );
    expect(() =>
      read({ cluster: { url: 'http://k:8080', serviceAccountToken: 't' } }),
    ).toThrow(
      `Invalid config ${KEY}.cluster.url: "http://k:8080" is plain http`,
    );
    expect(() =>
      read({
        cluster: {
          url: 'https://k',
          serviceAccountToken: 't',
          caData: 'bm90IGEgY2VydA==',
        },
      }),
    ).toThrow(`Invalid config ${KEY}.cluster.caData`);
    expect(() =>
      read({
        cluster: { url: 'https://k', serviceAccountToken: 't' },
        timeoutSeconds: 0,
      }),
    ).toThrow(`Invalid config ${KEY}.timeoutSeconds`);
    expect(() =>
      read({
        inCluster: true,
        cluster: { url: 'https://k', serviceAccountToken: 't' },
      }),
    ).toThrow(`Invalid config ${KEY}: set either cluster or inCluster: true`);
  });

  it('refuses inCluster outside a pod, naming the key', () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      expect(() => read({ inCluster: true })).toThrow(
        `Invalid config ${KEY}.inCluster: KUBERNETES_SERVICE_HOST is not set`,
      );
    } finally {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved;
    }
  });
});
