import { ConfigReader } from '@backstage/config';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createGpuProvisionAction } from './gpuProvision';
import { createContext, createTempWorkspace } from '../__testUtils__/workspace';

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

describe('ai-platform:gpu:provision', () => {
  const action = createGpuProvisionAction({ config });
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
    currentUse: 4,
  };

  it('has an id, dry-run support and examples', () => {
    expect(action.id).toBe('ai-platform:gpu:provision');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBeGreaterThan(0);
    for (const example of action.examples ?? []) {
      expect(() => yaml.parse(example.example)).not.toThrow();
    }
  });

  it('writes the GPU fragment and returns outputs', async () => {
    const { ctx, outputs } = createContext(input, ws.workspacePath);
    await action.handler(ctx);

    expect(await ws.listFiles()).toEqual([
      path.join('workspace', 'k8s', 'gpu-resources.yaml'),
    ]);
    const doc = yaml.parse(
      await fs.readFile(
        path.join(ws.workspacePath, 'k8s', 'gpu-resources.yaml'),
        'utf8',
      ),
    );
    expect(doc.resources.limits).toEqual({ 'nvidia.com/gpu': 2 });
    expect(doc.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(doc.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      'nvidia.com/gpu.memory': '81920',
    });
    expect(doc.metadata.labels).toEqual({
      'kueue.x-k8s.io/queue-name': 'ml-team-queue',
    });
    expect(outputs).toEqual({
      resourceName: 'nvidia.com/gpu',
      gpuRequest: 2,
      annotations: {
        'ai-platform.io/gpu-request': '2',
        'ai-platform.io/gpu-flavor': 'a100-80gb',
        'ai-platform.io/gpu-resource': 'nvidia.com/gpu',
      },
    });
  });

  it('uses MIG resources, flavor tolerations and a custom targetPath', async () => {
    const { ctx } = createContext(
      {
        name: 'embedder',
        owner: 'ml-team',
        flavor: 'mig-1g-10gb',
        count: 1,
        targetPath: 'deploy/gpu',
      },
      ws.workspacePath,
    );
    await action.handler(ctx);
    const doc = yaml.parse(
      await fs.readFile(
        path.join(ws.workspacePath, 'deploy', 'gpu', 'gpu-resources.yaml'),
        'utf8',
      ),
    );
    expect(doc.resources.limits).toEqual({ 'nvidia.com/mig-1g.10gb': 1 });
    expect(doc.tolerations[0].key).toBe('gpu-pool');
    expect(doc.nodeSelector).toEqual({ pool: 'mig' });
    expect(doc.metadata.labels).toEqual({});
  });

  it('writes nothing in a dry run but returns outputs', async () => {
    const { ctx, outputs } = createContext(input, ws.workspacePath, true);
    await action.handler(ctx);
    expect(await ws.listFiles()).toEqual([]);
    expect(outputs.gpuRequest).toBe(2);
    expect(outputs.resourceName).toBe('nvidia.com/gpu');
  });

  it('refuses an invalid name and writes nothing', async () => {
    const { ctx } = createContext(
      { ...input, name: 'Llama_Server' },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      /Invalid name 'Llama_Server'.*DNS-1123/,
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses an unknown flavor, listing the configured ones', async () => {
    const { ctx } = createContext(
      { ...input, flavor: 'h100' },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      "Unknown GPU flavor 'h100'; configured flavors: a100-80gb, mig-1g-10gb",
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses a request over quota with the numbers', async () => {
    const { ctx } = createContext(
      { ...input, count: 5, currentUse: 4 },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      'quota 8, current use 4, request 5',
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('applies the default quota to teams without one', async () => {
    const { ctx } = createContext(
      { ...input, owner: 'group:default/web', count: 2, currentUse: undefined },
      ws.workspacePath,
    );
    await expect(action.handler(ctx)).rejects.toThrow(
      'quota 1, current use 0, request 2',
    );
    expect(await ws.listFiles()).toEqual([]);
  });

  it('refuses a targetPath outside the workspace and writes nothing', async () => {
    for (const isDryRun of [false, true]) {
      const { ctx } = createContext(
        { ...input, targetPath: '../escape' },
        ws.workspacePath,
        isDryRun,
      );
      await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
      expect(await ws.listFiles()).toEqual([]);
    }
  });
});
