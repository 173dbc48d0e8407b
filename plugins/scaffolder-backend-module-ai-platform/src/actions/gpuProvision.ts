import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import {
  assertDnsLabel,
  lookupByGroupRef,
  normalizeGroupRef,
  writeWorkspaceFiles,
} from './util';

/** @public */
export const GPU_PROVISION_ACTION_ID = 'ai-platform:gpu:provision';

type Toleration = {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
};

type GpuFlavor = {
  resource: string;
  product?: string;
  memory?: string;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  kueueQueue?: string;
};

const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
];

function readFlavors(config: Config): Record<string, GpuFlavor> {
  const flavorsConfig = config.getOptionalConfig('aiPlatform.gpu.flavors');
  if (!flavorsConfig) {
    return {};
  }
  const flavors: Record<string, GpuFlavor> = {};
  for (const name of flavorsConfig.keys()) {
    const raw = flavorsConfig.get<GpuFlavor>(name);
    if (!raw || typeof raw.resource !== 'string') {
      throw new InputError(
        `GPU flavor '${name}' in aiPlatform.gpu.flavors has no 'resource'`,
      );
    }
    flavors[name] = raw;
  }
  return flavors;
}

/**
 * Creates the `ai-platform:gpu:provision` action: GPU resources from a
 * configured flavor, checked against the owner's quota.
 *
 * @public
 */
export function createGpuProvisionAction(options: { config: Config }) {
  const { config } = options;

  return createTemplateAction({
    id: GPU_PROVISION_ACTION_ID,
    description:
      'Checks a GPU request against the owning team quota and writes a Kubernetes resources fragment (limits, tolerations, node selector, Kueue queue label) for a configured GPU flavor.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Request two A100 GPUs for a model server',
        example: yaml.stringify({
          steps: [
            {
              id: 'gpu',
              action: GPU_PROVISION_ACTION_ID,
              name: 'Provision GPUs',
              input: {
                name: 'llama-server',
                owner: 'group:default/ml-team',
                flavor: 'a100-80gb',
                count: 2,
                currentUse: 4,
                targetPath: 'k8s',
              },
            },
          ],
        }),
      },
      {
        description: 'Request one MIG slice',
        example: yaml.stringify({
          steps: [
            {
              id: 'gpu',
              action: GPU_PROVISION_ACTION_ID,
              name: 'Provision a MIG slice',
              input: {
                name: 'embedder',
                owner: 'group:default/search',
                flavor: 'mig-1g-10gb',
                count: 1,
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: {
        name: z =>
          z.string().describe('Workload name (a Kubernetes DNS-1123 label)'),
        owner: z =>
          z.string().describe('Owning group ref, e.g. group:default/ml-team'),
        flavor: z =>
          z.string().describe('GPU flavor name from aiPlatform.gpu.flavors'),
        count: z => z.number().int().min(1).describe('Number of GPUs'),
        currentUse: z =>
          z
            .number()
            .min(0)
            .optional()
            .describe('GPUs the owning team already uses'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace directory for gpu-resources.yaml (default: k8s)',
            ),
      },
      output: {
        resourceName: z =>
          z.string().describe('The extended resource, e.g. nvidia.com/gpu'),
        gpuRequest: z => z.number().describe('Number of GPUs requested'),
        annotations: z =>
          z
            .record(z.string(), z.string())
            .describe('Annotations to put on the catalog entity'),
      },
    },
    async handler(ctx) {
      const { name, owner, flavor: flavorName, count } = ctx.input;
      const currentUse = ctx.input.currentUse ?? 0;
      const targetPath = ctx.input.targetPath ?? 'k8s';

      // All checks happen before anything is written.
      assertDnsLabel(name);
      if (!Number.isInteger(count) || count < 1) {
        throw new InputError(
          `Invalid count '${count}': must be an integer of at least 1`,
        );
      }
      if (!Number.isFinite(currentUse) || currentUse < 0) {
        throw new InputError(
          `Invalid currentUse '${currentUse}': must be a number of at least 0`,
        );
      }
      const flavors = readFlavors(config);
      const flavor = flavors[flavorName];
      if (!flavor) {
        const known = Object.keys(flavors);
        throw new InputError(
          `Unknown GPU flavor '${flavorName}'; configured flavors: ${
            known.length ? known.join(', ') : '(none configured)'
          }`,
        );
      }
      const quota =
        lookupByGroupRef(
          config.getOptional<Record<string, number>>('aiPlatform.gpu.quotas'),
          owner,
        ) ??
        config.getOptionalNumber('aiPlatform.gpu.defaultQuota') ??
        0;
      if (currentUse + count > quota) {
        throw new InputError(
          `GPU request for '${name}' exceeds the quota of ${normalizeGroupRef(
            owner,
          )}: quota ${quota}, current use ${currentUse}, request ${count}`,
        );
      }
      // Fails on a path outside the workspace, even in a dry run.
      resolveSafeChildPath(ctx.workspacePath, targetPath);

      const nodeSelector: Record<string, string> = {
        ...(flavor.product ? { 'nvidia.com/gpu.product': flavor.product } : {}),
        ...(flavor.memory ? { 'nvidia.com/gpu.memory': flavor.memory } : {}),
        ...(flavor.nodeSelector ?? {}),
      };
      const annotations: Record<string, string> = {
        'ai-platform.io/gpu-request': String(count),
        'ai-platform.io/gpu-flavor': flavorName,
        'ai-platform.io/gpu-resource': flavor.resource,
      };
      const labels: Record<string, string> = flavor.kueueQueue
        ? { 'kueue.x-k8s.io/queue-name': flavor.kueueQueue }
        : {};

      const fragment = {
        metadata: {
          name,
          labels,
          annotations,
        },
        resources: {
          limits: { [flavor.resource]: count },
        },
        tolerations: flavor.tolerations ?? DEFAULT_TOLERATIONS,
        nodeSelector,
      };

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would write ${targetPath}/gpu-resources.yaml for ${count} x ${flavor.resource}`,
        );
      } else {
        await writeWorkspaceFiles(ctx.workspacePath, targetPath, {
          'gpu-resources.yaml': `# GPU resources for ${name} (flavor ${flavorName}); merge into the pod template\n${yaml.stringify(
            fragment,
          )}`,
        });
        ctx.logger.info(
          `Wrote ${targetPath}/gpu-resources.yaml: ${count} x ${flavor.resource}`,
        );
      }

      ctx.output('resourceName', flavor.resource);
      ctx.output('gpuRequest', count);
      ctx.output('annotations', annotations);
    },
  });
}
