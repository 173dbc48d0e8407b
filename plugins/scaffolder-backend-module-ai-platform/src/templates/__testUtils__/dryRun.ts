import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { promises as fs, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import scaffolderModuleAiPlatformLocalGit from '@aiplatform/plugin-scaffolder-backend-module-ai-platform-local-git';
import { scaffolderModuleAiPlatform } from '../../module';
import {
  ADMIN_GROUPS,
  orgEntities,
  testUserInfoFactory,
} from '../../__testUtils__/org';

/** The monorepo root: the nearest ancestor with `examples/templates`. */
export const MONOREPO_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'examples', 'templates'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No examples/templates above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
})();

export const TEMPLATES_DIR = path.join(MONOREPO_ROOT, 'examples', 'templates');

export type DirectoryFile = { path: string; base64Content: string };

/** Every file under `dir`, relative with `/` separators. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  const entries = await fs.readdir(path.join(dir, prefix), {
    withFileTypes: true,
  });
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      files.push(...(await listFiles(dir, rel)));
    } else if (entry.isFile()) {
      files.push(rel);
    }
  }
  return files.sort();
}

/**
 * A template as the template editor sends it to the dry-run endpoint: the
 * parsed `template.yaml` and the other files of its folder (the skeleton),
 * relative to the template file.
 */
export async function loadTemplate(name: string): Promise<{
  template: Record<string, any>;
  directoryContents: DirectoryFile[];
}> {
  const dir = path.join(TEMPLATES_DIR, name);
  const template = yaml.parse(
    await fs.readFile(path.join(dir, 'template.yaml'), 'utf8'),
  );
  const directoryContents: DirectoryFile[] = [];
  for (const file of await listFiles(dir)) {
    if (file === 'template.yaml') continue;
    directoryContents.push({
      path: file,
      base64Content: (await fs.readFile(path.join(dir, file))).toString(
        'base64',
      ),
    });
  }
  return { template, directoryContents };
}

/**
 * The entities the fake catalog holds: the demo org chart (Ivan in acme,
 * Frank in data-team only, Alice an admin), the customer-support system, and
 * two model servers of ml-team.
 */
export function catalogEntities(): Entity[] {
  // ml-team already runs two model servers: 3 + 2 GPUs of its quota of 8.
  const gpuUsers: Entity[] = [
    { name: 'llama-70b', gpus: 3 },
    { name: 'reranker', gpus: 2 },
  ].map(({ name, gpus }) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'ai-platform.io/gpu-request': String(gpus),
        'ai-platform.io/gpu-flavor': 'a100-80gb',
        'ai-platform.io/gpu-resource': 'nvidia.com/gpu',
      },
    },
    spec: { type: 'model-server', lifecycle: 'production', owner: 'ml-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-team' }],
  }));
  return [...orgEntities(), ...gpuUsers];
}

/** The AI Platform settings the actions read. */
export function aiPlatformConfig(options: {
  gatewayKind: 'envoy' | 'litellm';
  localGitRoot: string;
}) {
  return {
    gateway: {
      kind: options.gatewayKind,
      baseUrl: 'http://ai-gateway.ai-gateway.svc.cluster.local/v1',
      allowedModels: {
        default: ['gpt-4o-mini', 'text-embedding-3-small'],
        groups: {
          'group:default/ml-team': ['gpt-4o', 'claude-sonnet-4'],
        },
      },
    },
    gpu: {
      flavors: {
        'a100-80gb': {
          resource: 'nvidia.com/gpu',
          product: 'NVIDIA-A100-SXM4-80GB',
          memory: '81920',
          kueueQueue: 'ml-gpu',
        },
        'mig-1g-10gb': {
          resource: 'nvidia.com/mig-1g.10gb',
          product: 'NVIDIA-A100-SXM4-80GB',
          tolerations: [
            { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
            {
              key: 'dedicated',
              operator: 'Equal',
              value: 'mig',
              effect: 'NoSchedule',
            },
          ],
        },
      },
      quotas: { 'group:default/ml-team': 8 },
      defaultQuota: 0,
    },
    localGit: { root: options.localGitRoot },
    adminGroups: ADMIN_GROUPS,
  };
}

export type DryRunResponse = {
  status: number;
  body: {
    directoryContents?: Array<DirectoryFile & { executable?: boolean }>;
    log?: Array<{
      body: { message: string; stepId?: string; status?: string };
    }>;
    output?: Record<string, any>;
    steps?: Array<{ id: string; name: string; action: string }>;
    error?: { name: string; message: string };
  };
};

/**
 * A backend with the real scaffolder plugin, this module's actions and the
 * local git ones the templates end with, a fake catalog, the user info a
 * sign-in resolver would give (Ivan's ownership refs name acme) and the AI
 * Platform settings; `dryRun` POSTs to the scaffolder's own `/v2/dry-run`
 * endpoint, as Ivan unless told otherwise.
 */
export async function startScaffolder(
  options: { gatewayKind?: 'envoy' | 'litellm' } = {},
) {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ai-templates-'));
  await fs.mkdir(path.join(tmp, 'work'), { recursive: true });
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAiPlatform,
      scaffolderModuleAiPlatformLocalGit,
      catalogServiceMock.factory({ entities: catalogEntities() }),
      testUserInfoFactory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { workingDirectory: path.join(tmp, 'work') },
          // Dry runs need no task workers (whose polling would outlive the test).
          scaffolder: { concurrentTasksLimit: 0 },
          aiPlatform: aiPlatformConfig({
            gatewayKind: options.gatewayKind ?? 'envoy',
            localGitRoot: path.join(tmp, 'repos'),
          }),
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;
  let runs = 0;

  return {
    async dryRun(
      templateName: string,
      values: Record<string, unknown>,
      runOptions: {
        user?: string;
        /** Changes the template first, as a user can in the template editor. */
        editTemplate?: (template: Record<string, any>) => void;
      } = {},
    ): Promise<DryRunResponse> {
      const { template, directoryContents } = await loadTemplate(templateName);
      runOptions.editTemplate?.(template);
      const res = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: mockCredentials.user.header(
            runOptions.user ?? 'user:default/ivan',
          ),
        },
        body: JSON.stringify({
          template,
          values,
          secrets: {},
          directoryContents,
        }),
      });
      const response: DryRunResponse = {
        status: res.status,
        body: await res.json(),
      };
      // Set TEMPLATE_OUTPUT_DIR to look at what a template generates.
      const outputDir = process.env.TEMPLATE_OUTPUT_DIR;
      if (outputDir && response.body.directoryContents) {
        await writeFiles(
          path.join(outputDir, `${templateName}-${++runs}`),
          decodeFiles(response.body),
        );
      }
      return response;
    },
    async stop() {
      await backend.stop();
      await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}

/** The files of a dry run's result, decoded, by path. */
export function decodeFiles(body: DryRunResponse['body']): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of body.directoryContents ?? []) {
    files.set(file.path, Buffer.from(file.base64Content, 'base64').toString());
  }
  return files;
}

/** Writes decoded files under `dir`. */
export async function writeFiles(dir: string, files: Map<string, string>) {
  for (const [file, content] of files) {
    const target = path.join(dir, file);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, content);
  }
}

/** The ids of the steps whose log reports `status` (completed, failed...). */
export function stepsWithStatus(res: DryRunResponse, status: string): string[] {
  return (res.body.log ?? [])
    .filter(entry => entry.body.status === status)
    .map(entry => entry.body.stepId ?? '');
}
