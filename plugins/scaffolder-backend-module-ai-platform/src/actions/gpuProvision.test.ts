import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createGpuProvisionAction } from './gpuProvision';
import { createTempWorkspace } from '../__testUtils__/workspace';
import { orgEntities, testAccessChecker } from '../__testUtils__/org';

const config = new ConfigReader({
  aiPlatform: {
    gpu: {
      flavors: {
        'a100-80gb': {
          resource: 'nvidia.com/gpu',
          product: 'NVIDIA-A100-SXM4-80GB',
          memory: '81920',
          kueueQueue: 'ml-team-queue',
        },
        'mig-1g-10gb': {
          resource: 'nvidia.com/mig-1g.10gb',
          tolerations: [
            {
              key: 'gpu-pool',
              operator: 'Equal',
              value: 'mig',
              effect: 'NoSchedule',
            },
          ],
          nodeSelector: { pool: 'mig' },
        },
      },
      quotas: { 'group:default/ml-team': 8 },
      defaultQuota: 1,
    },
  },
});

/** A component the templates created, owned by `owner`, using `gpus` GPUs. */
function gpuComponent(name: string, owner: string, gpus: number) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'ai-platform.io/gpu-request': String(gpus) },
    },
    spec: { type: 'model-server', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

describe('ai-platform:gpu:provision', () => {
  // ml-team already runs 4 GPUs (3 + 1); data-team's 16 do not count for it.
  const entities = [
    ...orgEntities(),
    gpuComponent('llama-70b', 'group:default/ml-team', 3),
    gpuComponent('embedder', 'group:default/ml-team', 1),
    gpuComponent('big-batch', 'group:default/data-team', 16),
  ];
  const catalog = catalogServiceMock({ entities });
  const action = createGpuProvisionAction({
    config,
    catalog,
    auth: mockServices.auth(),
    access: testAccessChecker(entities),
  });
  let ws: Awaited<ReturnType<typeof createTempWorkspace>>;

  beforeEach(async () => {
    ws = await createTempWorkspace();
  });
  afterEach(async () => {
    await ws.cleanup();
  });

  const input = {
    name: 'llama-server',
    owner: 'group:default/ml-team',
    flavor: 'a100-80gb',
    count: 2,
  };

  function context(
    values: Record<string, unknown>,
    isDryRun = false,
    user = 'user:default/ivan',
  ) {
    const ctx = createMockActionContext({
      input: values as any,
      workspacePath: ws.workspacePath,
    });
    return {
      ...ctx,
      isDryRun,
      getInitiatorCredentials: async () => mockCredentials.user(user),
    };
  }

  function outputsOf(ctx: { output: unknown }) {
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('has an id, dry-run support and parseable examples', () => {
    expect(action.id).toBe('ai-platform:gpu:provision');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBeGreaterThan(0);
    for (const example of action.examples ?? []) {
      expect(() => yaml.parse(example.example)).not.toThrow();
    }
  });

  it('returns the pod settings and counts current use from the catalog', async () => {
    const ctx = context(input);
    await action.handler(ctx);

    expect(outputsOf(ctx)).toEqual({
      resourceName: 'nvidia.com/gpu',
      gpuRequest: 2,
      limits: { 'nvidia.com/gpu': 2 },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
      nodeSelector: {
        'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
        'nvidia.com/gpu.memory': '81920',
      },
      labels: { 'kueue.x-k8s.io/queue-name': 'ml-team-queue' },
      annotations: {
        'ai-platform.io/gpu-request': '2',
        'ai-platform.io/gpu-flavor': 'a100-80gb',
        'ai-platform.io/gpu-resource': 'nvidia.com/gpu',
      },
      quota: 8,
      currentUse: 4,
    });
    // Without a patchPath nothing is written.
    expect(await ws.listFiles()).toEqual([]);
  });

  it('writes a kustomize patch with MIG resources and flavor tolerations', async () => {
    const ctx = context({
      name: 'embedder-2',
      owner: 'ml-team',
      flavor: 'mig-1g-10gb',
      count: 1,
      patchPath: 'deploy/gpu/patch.yaml',
    });
    await action.handler(ctx);
    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'deploy', 'gpu', 'patch.yaml'),
    ]);
    const patch = yaml.parse(
      await fs.readFile(
        path.join(ws.workspacePath, 'deploy', 'gpu', 'patch.yaml'),
        'utf8',
      ),
    );
    expect(patch.kind).toBe('Deployment');
    expect(patch.metadata.name).toBe('embedder-2');
    const pod = patch.spec.template.spec;
    expect(pod.containers[0].resources.limits).toEqual({
      'nvidia.com/mig-1g.10gb': 1,
    });
    expect(pod.tolerations[0].key).toBe('gpu-pool');
    expect(pod.nodeSelector).toEqual({ pool: 'mig' });
    expect(patch.spec.template.metadata.labels).toEqual({});
  });

  it('checks the quota in a dry run too', async () => {
    const ok = context(input, true);
    await action.handler(ok);
    expect(outputsOf(ok).gpuRequest).toBe(2);

    const over = context({ ...input, count: 5 }, true);
    await expect(action.handler(over)).rejects.toThrow(
      'quota 8, current use 4, request 5',
    );
  });

  it('refuses an invalid name and writes nothing', async () => {
    for (const name of ['Llama_Server', '../x', '']) {
      const ctx = context({ ...input, name, patchPath: 'patch.yaml' });
      await expect(action.handler(ctx)).rejects.toThrow(
        /Invalid name .*DNS-1123/,
      );
    }
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses an unknown flavor, listing the configured ones', async () => {
    const ctx = context({ ...input, flavor: 'h100' });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Unknown GPU flavor 'h100'; configured flavors: a100-80gb, mig-1g-10gb",
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses a request over quota with quota, current use and request', async () => {
    const ctx = context({ ...input, count: 5, patchPath: 'patch.yaml' });
    await expect(action.handler(ctx)).rejects.toThrow(
      "GPU request for 'llama-server' exceeds the quota of group:default/ml-team: quota 8, current use 4, request 5",
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('applies the default quota to teams without one', async () => {
    const ctx = context({ ...input, owner: 'group:default/web', count: 2 });
    await expect(action.handler(ctx)).rejects.toThrow(
      'quota 1, current use 0, request 2',
    );
  });

  it('refuses a patchPath outside the workspace and writes nothing', async () => {
    for (const isDryRun of [false, true]) {
      const ctx = context(
        { ...input, patchPath: '../escape/patch.yaml' },
        isDryRun,
      );
      await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
      expect(await ws.listFiles()).toEqual([]);
    }
  });

  it('refuses an owner the user may not act for before counting its quota, in a dry run too', async () => {
    const getEntities = jest.spyOn(catalog, 'getEntities');
    for (const isDryRun of [false, true]) {
      // Frank is in data-team only: ml-team's GPUs are not his to spend.
      const ctx = context(
        { ...input, patchPath: 'patch.yaml' },
        isDryRun,
        'user:default/frank',
      );
      await expect(action.handler(ctx)).rejects.toThrow(
        expect.objectContaining({
          name: 'NotAllowedError',
          message:
            "user:default/frank may not act for owner 'group:default/ml-team': not a member of it or of a group above it",
        }),
      );
    }
    expect(getEntities).not.toHaveBeenCalled();
    getEntities.mockRestore();
    // His own team's quota he may use.
    const own = context(
      { ...input, owner: 'group:default/data-team', count: 1 },
      false,
      'user:default/frank',
    );
    await expect(action.handler(own)).rejects.toThrow(
      'quota 1, current use 16, request 1',
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses an unknown owner naming the field', async () => {
    const ctx = context({ ...input, owner: 'group:default/ghost-team' });
    await expect(action.handler(ctx)).rejects.toThrow(
      "Unknown owner 'group:default/ghost-team': there is no such Group or User in the catalog",
    );
  });
});
