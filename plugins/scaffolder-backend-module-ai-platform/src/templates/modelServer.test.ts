import {
  DryRunResponse,
  decodeFiles,
  startScaffolder,
} from './__testUtils__/dryRun';
import {
  Inspection,
  containerEnv,
  entity,
  inspectOutput,
  manifest,
} from './__testUtils__/inspect';
import { kserveValues, vllmValues } from './__testUtils__/sampleValues';

jest.setTimeout(120_000);

const HF_TOKEN_ENV = {
  name: 'HF_TOKEN',
  valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } },
};

function completedSteps(res: DryRunResponse) {
  return (res.body.log ?? [])
    .filter(entry => entry.body.status === 'completed')
    .map(entry => entry.body.stepId);
}

describe('template model-server (dry run through the scaffolder)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder({ gatewayKind: 'envoy' });
  });

  afterAll(async () => {
    await scaffolder?.stop();
  });

  describe('vLLM on two A100 GPUs', () => {
    let res: DryRunResponse;
    let inspection: Inspection;

    beforeAll(async () => {
      res = await scaffolder.dryRun('model-server', vllmValues);
      inspection = await inspectOutput(decodeFiles(res.body));
    });

    it('runs every step', () => {
      expect(res.body.error).toBeUndefined();
      expect(res.status).toBe(200);
      expect(completedSteps(res)).toEqual(
        expect.arrayContaining([
          'check',
          'gpu',
          'gateway',
          'fetch',
          'publish',
          'register',
        ]),
      );
      expect([...inspection.files.keys()].sort()).toEqual([
        'README.md',
        'catalog-info.yaml',
        'k8s/ai-gateway.yaml',
        'k8s/gateway.env',
        'k8s/model-server.yaml',
      ]);
    });

    it('has Kubernetes manifests that validate against their schemas', () => {
      expect(inspection.manifestReport.failures).toEqual([]);
      expect(inspection.manifestReport.validated).toEqual(
        expect.arrayContaining([
          'k8s/model-server.yaml#0 apps/v1/Deployment',
          'k8s/model-server.yaml#1 v1/Service',
        ]),
      );
    });

    it('generates a vLLM Deployment with the GPU request, scheduling and HF token from a Secret', () => {
      const deployment = manifest(inspection, 'Deployment', 'llama-chat');
      expect(deployment.metadata.namespace).toBe('models');
      const pod = deployment.spec.template.spec;
      const container = pod.containers[0];
      expect(container.image).toMatch(/^vllm\/vllm-openai:v\d+\.\d+/);
      expect(container.args).toEqual(
        expect.arrayContaining([
          '--model',
          'meta-llama/Llama-3.1-8B-Instruct',
          '--served-model-name',
          'llama-3.1-8b',
        ]),
      );
      const tp = container.args.indexOf('--tensor-parallel-size');
      expect(container.args[tp + 1]).toBe('2');
      expect(container.ports).toEqual([{ name: 'http', containerPort: 8000 }]);
      for (const probe of ['readinessProbe', 'livenessProbe']) {
        expect(container[probe].httpGet.path).toBe('/health');
      }
      expect(container.resources.limits).toMatchObject({ 'nvidia.com/gpu': 2 });
      expect(containerEnv(pod).HF_TOKEN).toEqual(HF_TOKEN_ENV);
      expect(container.volumeMounts).toEqual(
        expect.arrayContaining([{ name: 'dshm', mountPath: '/dev/shm' }]),
      );
      expect(pod.volumes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'dshm',
            emptyDir: expect.objectContaining({ medium: 'Memory' }),
          }),
        ]),
      );
      expect(pod.tolerations).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(pod.nodeSelector).toMatchObject({
        'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      });
      expect(deployment.spec.template.metadata.labels).toMatchObject({
        'kueue.x-k8s.io/queue-name': 'ml-gpu',
        'backstage.io/kubernetes-id': 'llama-chat',
      });
      const service = manifest(inspection, 'Service', 'llama-chat');
      expect(service.spec.ports[0].port).toBe(8000);
    });

    it('routes the gateway to the server', () => {
      const gateway = inspection.files.get('k8s/ai-gateway.yaml')!;
      expect(gateway).toContain('llama-chat.models.svc.cluster.local');
      expect(gateway).toContain('llama-3.1-8b');
    });

    it('has a catalog entry with the GPU and gateway annotations', () => {
      expect(inspection.entityFailures).toEqual([]);
      const component = entity(inspection, 'Component', 'llama-chat');
      expect(component.spec).toMatchObject({
        type: 'model-server',
        owner: 'group:default/ml-team',
      });
      expect(component.metadata.annotations).toMatchObject({
        'backstage.io/kubernetes-id': 'llama-chat',
        'ai-platform.io/gpu-request': '2',
        'ai-platform.io/gpu-flavor': 'a100-80gb',
        'ai-platform.io/gpu-resource': 'nvidia.com/gpu',
        'ai-platform.io/gateway-key-alias': 'component:default/llama-chat',
        'ai-platform.io/gateway-models': 'llama-3.1-8b',
      });
      expect(inspection.secretFindings).toEqual([]);
    });
  });

  describe('KServe on a MIG slice', () => {
    let res: DryRunResponse;
    let inspection: Inspection;

    beforeAll(async () => {
      res = await scaffolder.dryRun('model-server', kserveValues);
      inspection = await inspectOutput(decodeFiles(res.body));
    });

    it('runs every step', () => {
      expect(res.body.error).toBeUndefined();
      expect(res.status).toBe(200);
      expect(completedSteps(res)).toEqual(
        expect.arrayContaining([
          'check',
          'gpu',
          'gateway',
          'fetch',
          'publish',
          'register',
        ]),
      );
    });

    it('generates an InferenceService (shape checked: no maintained schema package)', () => {
      expect(inspection.manifestReport.failures).toEqual([]);
      expect(inspection.manifestReport.unvalidated).toContain(
        'k8s/model-server.yaml#0 serving.kserve.io/v1beta1/InferenceService',
      );
      expect(
        inspection.manifests.filter(m => m.file === 'k8s/model-server.yaml'),
      ).toHaveLength(1);
      const isvc = manifest(inspection, 'InferenceService', 'qwen-small');
      expect(isvc.metadata.namespace).toBe('models');
      const predictor = isvc.spec.predictor;
      expect(predictor.model.modelFormat.name).toBe('huggingface');
      expect(predictor.model.storageUri).toBe(
        'hf://Qwen/Qwen2.5-1.5B-Instruct',
      );
      // servedModelName defaults to the server name.
      expect(predictor.model.args).toContain('--model_name=qwen-small');
      expect(predictor.model.resources.limits).toMatchObject({
        'nvidia.com/mig-1g.10gb': 1,
      });
      expect(predictor.model.env).toContainEqual(HF_TOKEN_ENV);
      expect(predictor.tolerations).toHaveLength(2);
      expect(predictor.nodeSelector).toMatchObject({
        'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      });
      expect(isvc.metadata.labels['backstage.io/kubernetes-id']).toBe(
        'qwen-small',
      );
    });

    it('routes the gateway to the predictor service', () => {
      const gateway = inspection.files.get('k8s/ai-gateway.yaml')!;
      expect(gateway).toContain(
        'qwen-small-predictor.models.svc.cluster.local',
      );
    });

    it('has a catalog entry the catalog accepts', () => {
      expect(inspection.entityFailures).toEqual([]);
      expect(
        entity(inspection, 'Component', 'qwen-small').metadata.annotations,
      ).toMatchObject({
        'ai-platform.io/gpu-request': '1',
        'ai-platform.io/gpu-resource': 'nvidia.com/mig-1g.10gb',
        'ai-platform.io/gateway-models': 'qwen-small',
      });
      expect(inspection.secretFindings).toEqual([]);
    });
  });

  it('refuses a GPU request over the quota, with the quota, current use and request', async () => {
    const res = await scaffolder.dryRun('model-server', {
      ...vllmValues,
      count: 4,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const message = res.body.error?.message ?? '';
    expect(message).toMatch(/quota 8/);
    expect(message).toMatch(/current use 5/);
    expect(message).toMatch(/request 4/);
    expect(res.body.directoryContents).toBeUndefined();
  });
});
