import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import {
  DryRunResponse,
  MONOREPO_ROOT,
  decodeFiles,
  startScaffolder,
  writeFiles,
} from './__testUtils__/dryRun';
import {
  Inspection,
  containerEnv,
  entity,
  inspectOutput,
  manifest,
} from './__testUtils__/inspect';
import { llmServiceValues as values } from './__testUtils__/sampleValues';

const run = promisify(execFile);

jest.setTimeout(120_000);

const EXPECTED_FILES = [
  '.dockerignore',
  '.gitignore',
  'Dockerfile',
  'README.md',
  'catalog-info.yaml',
  'k8s/ai-gateway.yaml',
  'k8s/deployment.yaml',
  'k8s/gateway.env',
  'k8s/service.yaml',
  'package.json',
  'src/server.test.ts',
  'src/server.ts',
  'tsconfig.json',
];

function completedSteps(res: DryRunResponse) {
  return (res.body.log ?? [])
    .filter(entry => entry.body.status === 'completed')
    .map(entry => entry.body.stepId);
}

describe('template llm-service (dry run through the scaffolder)', () => {
  let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

  beforeAll(async () => {
    scaffolder = await startScaffolder({ gatewayKind: 'envoy' });
  });

  afterAll(async () => {
    await scaffolder?.stop();
  });

  describe('with sample values', () => {
    let res: DryRunResponse;
    let inspection: Inspection;

    beforeAll(async () => {
      res = await scaffolder.dryRun('llm-service', values);
      inspection = await inspectOutput(decodeFiles(res.body));
    });

    it('runs every step', () => {
      expect(res.body.error).toBeUndefined();
      expect(res.status).toBe(200);
      expect(completedSteps(res)).toEqual(
        expect.arrayContaining([
          'check',
          'gateway',
          'fetch',
          'publish',
          'register',
        ]),
      );
      expect(res.body.output?.links?.[0]).toMatchObject({
        title: 'Repository',
        url: expect.stringMatching(/^file:\/\/.*\/support-bot$/),
      });
    });

    it('generates the service, its manifests and its catalog entry', () => {
      expect([...inspection.files.keys()].sort()).toEqual(EXPECTED_FILES);
    });

    it('has Kubernetes manifests that validate against their schemas', () => {
      const report = inspection.manifestReport;
      expect(report.failures).toEqual([]);
      expect(report.validated).toEqual(
        expect.arrayContaining([
          'k8s/deployment.yaml#0 apps/v1/Deployment',
          'k8s/service.yaml#0 v1/Service',
          expect.stringMatching(
            /^k8s\/ai-gateway\.yaml#\d+ gateway\.envoyproxy\.io\/v1alpha1\/BackendTrafficPolicy$/,
          ),
        ]),
      );
      expect(report.unvalidated).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/AIGatewayRoute$/),
          expect.stringMatching(/AIServiceBackend$/),
        ]),
      );
    });

    it('has a catalog entry the catalog accepts, with the gateway annotations', () => {
      expect(inspection.entityFailures).toEqual([]);
      const component = entity(inspection, 'Component', 'support-bot');
      expect(component.spec).toMatchObject({
        type: 'service',
        owner: 'group:default/ml-team',
        system: 'system:default/customer-support',
      });
      expect(component.metadata.description).toBe('Answers support questions');
      expect(component.metadata.annotations).toMatchObject({
        'backstage.io/kubernetes-id': 'support-bot',
        'ai-platform.io/gateway-key-alias': 'component:default/support-bot',
        'ai-platform.io/gateway-secret': 'support-bot-llm-credentials',
        'ai-platform.io/gateway-route': expect.any(String),
        'ai-platform.io/gateway-models': expect.stringContaining('gpt-4o-mini'),
      });
    });

    it('gets the gateway key only through a secretKeyRef', () => {
      const deployment = manifest(inspection, 'Deployment', 'support-bot');
      const pod = deployment.spec.template.spec;
      const env = containerEnv(pod);
      expect(env.OPENAI_BASE_URL.value).toBe(
        'http://ai-gateway.ai-gateway.svc.cluster.local/v1',
      );
      expect(env.OPENAI_API_KEY).toEqual({
        name: 'OPENAI_API_KEY',
        valueFrom: {
          secretKeyRef: {
            name: 'support-bot-llm-credentials',
            key: 'OPENAI_API_KEY',
          },
        },
      });
      expect(env.LLM_MODEL.value).toBe('gpt-4o-mini');
      expect(deployment.metadata.namespace).toBe('support');
      expect(pod.containers[0].readinessProbe.httpGet.path).toBe('/healthz');
      expect(pod.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
      expect(deployment.spec.template.metadata.labels).toMatchObject({
        'backstage.io/kubernetes-id': 'support-bot',
      });
      expect(inspection.secretFindings).toEqual([]);
    });

    it('calls the gateway with the OpenAI SDK, the entity header and the first model', () => {
      const server = inspection.files.get('src/server.ts')!;
      expect(server).toContain("import OpenAI from 'openai'");
      expect(server).toContain('baseURL: process.env.OPENAI_BASE_URL');
      expect(server).toContain('apiKey: process.env.OPENAI_API_KEY');
      expect(server).toContain(
        'export const ENTITY_REF = "component:default/support-bot";',
      );
      expect(server).toContain("'x-backstage-entity': ENTITY_REF");
      expect(server).toContain('export const DEFAULT_MODEL = "gpt-4o-mini";');
      const pkg = JSON.parse(inspection.files.get('package.json')!);
      expect(pkg).toMatchObject({
        name: 'support-bot',
        description: 'Answers support questions',
        dependencies: { openai: expect.any(String) },
        devDependencies: {
          typescript: expect.any(String),
          '@types/node': expect.any(String),
        },
      });
    });

    it('builds with tsc and its own tests pass against a fake gateway', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llm-service-'));
      try {
        await writeFiles(dir, inspection.files);
        await fs.symlink(
          path.join(MONOREPO_ROOT, 'node_modules'),
          path.join(dir, 'node_modules'),
          'dir',
        );
        const tsc = path.join(dir, 'node_modules', '.bin', 'tsc');
        await expect(
          run(tsc, ['-p', dir], { cwd: dir }).catch(e => {
            throw new Error(
              `tsc failed (exit ${e.code}):\n${e.stdout}${e.stderr}`,
            );
          }),
        ).resolves.toBeDefined();
        const files = await fs.readdir(path.join(dir, 'dist'));
        expect(files).toEqual(
          expect.arrayContaining(['server.js', 'server.test.js']),
        );

        const { stdout } = await run(
          process.execPath,
          ['--test', path.join(dir, 'dist', '**', '*.test.js')],
          { cwd: dir },
        ).catch(e => {
          throw new Error(
            `node --test failed (exit ${e.code}):\n${e.stdout}${e.stderr}`,
          );
        });
        expect(stdout).toMatch(/^# pass [1-9]/m);
        expect(stdout).toMatch(/^# fail 0$/m);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });

  it('refuses a model the owner may not use, naming the model', async () => {
    const res = await scaffolder.dryRun('llm-service', {
      ...values,
      owner: 'group:default/data-team',
      models: ['gpt-4o-mini', 'claude-sonnet-4'],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error?.message).toMatch(/claude-sonnet-4/);
    expect(res.body.error?.message).toMatch(/not allowed/);
    expect(res.body.directoryContents).toBeUndefined();
  });
});

describe('template llm-service with a LiteLLM gateway', () => {
  it('writes the LiteLLM team and key settings instead of Envoy manifests', async () => {
    const scaffolder = await startScaffolder({ gatewayKind: 'litellm' });
    try {
      const res = await scaffolder.dryRun('llm-service', values);
      expect(res.body.error).toBeUndefined();
      expect(res.status).toBe(200);
      const inspection = await inspectOutput(decodeFiles(res.body));
      expect(inspection.files.has('k8s/ai-gateway.yaml')).toBe(false);
      const litellm = inspection.files.get('k8s/litellm-team.yaml');
      expect(litellm).toBeDefined();
      expect(() => yaml.parse(litellm!)).not.toThrow();
      expect(litellm).toContain('component:default/support-bot');
      expect(inspection.manifestReport.failures).toEqual([]);
      expect(inspection.entityFailures).toEqual([]);
      expect(inspection.secretFindings).toEqual([]);
    } finally {
      await scaffolder.stop();
    }
  });
});
