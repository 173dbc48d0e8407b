/*
 * The kubernetes and envoy-ai-gateway enforcers through the HTTP API, on
 * SQLite and PostgreSQL, against a stand-in Kubernetes API server (no
 * cluster runs here): halt, a failure retried by the scheduled task, resume.
 */
import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { component, pipeline } from '../../__testUtils__/catalogFixtures';
import { createTestApp } from '../../__testUtils__/createTestApp';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { startKubernetesStandIn } from './__testUtils__/kubernetesStandIn';

jest.setTimeout(60_000);

const TOKEN = 'sa-token-5d2a';
const HALT = '/pipelines/default/kb-answers/halt';
const RESUME = '/pipelines/default/kb-answers/resume';
const SCALE = '/apis/apps/v1/namespaces/ml/deployments/kb-api/scale';
const POLICIES =
  '/apis/gateway.envoyproxy.io/v1alpha1/namespaces/ai-gateway/securitypolicies';

const withAnnotations = (entity: any, annotations: Record<string, string>) => ({
  ...entity,
  metadata: { ...entity.metadata, annotations },
});

const ENTITIES = [
  pipeline('kb-answers', {
    type: 'rag',
    owner: 'group:default/ml',
    stages: [
      { name: 'serve', type: 'serving', entityRef: 'component:kb-api' },
      {
        name: 'ingest',
        type: 'data-ingestion',
        entityRef: 'component:kb-ingest',
      },
    ],
  }),
  withAnnotations(component('kb-api', { owner: 'group:default/ml' }), {
    'ai-platform.io/kubernetes-workloads': 'deployment/ml/kb-api',
    'ai-platform.io/envoy-ai-gateway-route': 'kb-api',
  }),
  withAnnotations(component('kb-ingest', { owner: 'group:default/ml' }), {
    'ai-platform.io/kubernetes-workloads': 'cronjob/ml/kb-ingest',
  }),
];

describe('Kubernetes and Envoy AI Gateway enforcement through the API (stand-in Kubernetes API server)', () => {
  const databases = createTestDatabases();
  let k8s: Awaited<ReturnType<typeof startKubernetesStandIn>>;
  beforeEach(async () => {
    k8s = await startKubernetesStandIn({
      token: TOKEN,
      replicas: { 'deployment/ml/kb-api': 3 },
      cronJobs: { 'ml/kb-ingest': false },
    });
  });
  afterEach(() => k8s.close());

  it.each(databases.eachSupportedId())(
    'halts, retries a failed scale with the scheduled task, and resume restores (%s)',
    async databaseId => {
      const { app, enforcement, governanceStore } = await createTestApp({
        entities: ENTITIES,
        knex: await databases.init(databaseId as TestDatabaseId),
        config: {
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
        },
      });
      k8s.failing.add(`PATCH ${SCALE}`);

      const halt = await request(app).post(HALT).send({ reason: 'drift' });
      expect(halt.status).toBe(200);
      expect(halt.body.enforcement).toEqual([
        {
          enforcer: 'kubernetes',
          target: 'workload:deployment/ml/kb-api',
          status: 'failed',
          message:
            'Kubernetes PATCH deployment ml/kb-api scale: 500 etcdserver: request timed out (ml/kb-api has 3)',
        },
        {
          enforcer: 'kubernetes',
          target: 'workload:cronjob/ml/kb-ingest',
          status: 'applied',
          message: 'suspended',
        },
        {
          enforcer: 'envoy-ai-gateway',
          target: 'route:ai-gateway/kb-api',
          status: 'pending',
          message:
            'SecurityPolicy created; Envoy Gateway has not accepted it yet',
        },
      ]);
      expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);
      expect(k8s.cronJobs.get('ml/kb-ingest')).toBe(true);
      expect(
        k8s.securityPolicies.has('ai-gateway/ai-platform-halt-kb-api'),
      ).toBe(true);

      // The scheduled task retries the failed and the pending results.
      const scheduler = mockServices.scheduler.mock();
      await enforcement.schedule(scheduler, governanceStore);
      const task = scheduler.scheduleTask.mock.calls[0][0];
      k8s.failing.clear();
      k8s.setPolicyAccepted('ai-gateway/ai-platform-halt-kb-api', true);
      await task.fn(new AbortController().signal);

      const state = (await request(app).get(HALT)).body;
      expect(
        state.enforcement.map((r: any) => [r.target, r.status, r.message]),
      ).toEqual([
        ['workload:deployment/ml/kb-api', 'applied', 'scaled to 0 (was 3)'],
        ['workload:cronjob/ml/kb-ingest', 'applied', 'suspended'],
        [
          'route:ai-gateway/kb-api',
          'applied',
          'denied (SecurityPolicy accepted by Envoy Gateway)',
        ],
      ]);
      expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(0);
      // Created once: the retry found it.
      expect(
        k8s.requests.filter(r => r.method === 'POST' && r.path === POLICIES),
      ).toHaveLength(1);

      const resume = await request(app).post(RESUME).send({ reason: 'fixed' });
      expect(resume.status).toBe(200);
      expect(
        resume.body.enforcement.map((r: any) => [
          r.target,
          r.status,
          r.message,
        ]),
      ).toEqual([
        ['workload:deployment/ml/kb-api', 'applied', 'scaled back to 3'],
        ['workload:cronjob/ml/kb-ingest', 'applied', 'unsuspended'],
        ['route:ai-gateway/kb-api', 'applied', 'SecurityPolicy deleted'],
      ]);
      expect(k8s.replicas.get('deployment/ml/kb-api')).toBe(3);
      expect(k8s.cronJobs.get('ml/kb-ingest')).toBe(false);
      expect(k8s.securityPolicies.size).toBe(0);
    },
  );
});
