import {
  AuthService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GpuToleration } from '@aiplatform/plugin-ai-platform-common';
import {
  checkGpuQuota,
  countGpuUse,
  GPU_FLAVOR_ANNOTATION,
  GPU_REQUEST_ANNOTATION,
  GPU_RESOURCE_ANNOTATION,
  gpuQuotaFor,
  OwnerAccessChecker,
  readGpuSettings,
} from '@aiplatform/plugin-ai-platform-node';
import yaml from 'yaml';
import { assertDnsLabel, writeWorkspaceFiles } from './util';
import path from 'node:path';

/** @public */
export const GPU_PROVISION_ACTION_ID = 'ai-platform:gpu:provision';

const DEFAULT_TOLERATIONS: GpuToleration[] = [
  { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
];

/**
 * Creates the `ai-platform:gpu:provision` action: GPU resources from a
 * configured flavor, checked against the owner's quota, whose current use is
 * counted from the catalog entities annotated with their GPU requests.
 *
 * @public
 */
export function createGpuProvisionAction(options: {
  config: Config;
  catalog: CatalogService;
  auth: AuthService;
  access: OwnerAccessChecker;
}) {
  const { config, catalog, auth, access } = options;

  return createTemplateAction({
    id: GPU_PROVISION_ACTION_ID,
    description:
      "Checks that the user may act for the owning team (a member of it or of a group above it, or an admin), then checks a GPU request against the team's quota (current use counted from the catalog's ai-platform.io/gpu-request annotations) and returns the pod settings for a configured GPU flavor: resource limits, tolerations, node selector, Kueue queue label and the catalog annotations. Optionally writes them as a kustomize patch.",
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
              },
            },
          ],
        }),
      },
      {
        description:
          'Request one MIG slice and write a kustomize patch for an existing Deployment',
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
                patchPath: 'k8s/overlays/gpu/gpu-patch.yaml',
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
        patchPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace file for a kustomize strategic-merge patch of Deployment <name> (not written unless given)',
            ),
      },
      output: {
        resourceName: z =>
          z.string().describe('The extended resource, e.g. nvidia.com/gpu'),
        gpuRequest: z => z.number().describe('Number of GPUs requested'),
        limits: z =>
          z
            .record(z.string(), z.number())
            .describe('Container resource limits'),
        tolerations: z =>
          z.array(z.record(z.string(), z.string())).describe('Pod tolerations'),
        nodeSelector: z =>
          z.record(z.string(), z.string()).describe('Pod node selector'),
        labels: z =>
          z
            .record(z.string(), z.string())
            .describe('Pod labels (the Kueue queue label)'),
        annotations: z =>
          z
            .record(z.string(), z.string())
            .describe('Annotations to put on the catalog entity'),
        quota: z => z.number().describe("The owning team's GPU quota"),
        currentUse: z =>
          z.number().describe('GPUs the owning team used before this request'),
      },
    },
    async handler(ctx) {
      const { name, owner, flavor: flavorName, count, patchPath } = ctx.input;

      // All checks happen before anything is written.
      assertDnsLabel(name);
      if (!Number.isInteger(count) || count < 1) {
        throw new InputError(
          `Invalid count '${count}': must be an integer of at least 1`,
        );
      }
      const settings = readGpuSettings(config);
      const flavor = settings.flavors[flavorName];
      if (!flavor) {
        const known = Object.keys(settings.flavors);
        throw new InputError(
          `Unknown GPU flavor '${flavorName}'; configured flavors: ${
            known.length ? known.join(', ') : '(none configured)'
          }`,
        );
      }
      if (patchPath !== undefined) {
        // Fails on a path outside the workspace, even in a dry run.
        resolveSafeChildPath(ctx.workspacePath, patchPath);
      }
      // The quota spent is the owner's: the user must be allowed to act for it.
      const ownerRef = await access.assertMayActFor(
        owner,
        await ctx.getInitiatorCredentials(),
      );
      const currentUse = await countGpuUse({
        catalog,
        owner: ownerRef,
        credentials: await auth.getOwnServiceCredentials(),
      });
      const check = checkGpuQuota({
        quota: gpuQuotaFor(settings, ownerRef),
        currentUse,
        request: count,
      });
      if (!check.ok) {
        throw new InputError(
          `GPU request for '${name}' exceeds the quota of ${ownerRef}: quota ${check.quota}, current use ${check.currentUse}, request ${check.request}`,
        );
      }

      const limits = { [flavor.resource]: count };
      const tolerations = flavor.tolerations ?? DEFAULT_TOLERATIONS;
      const nodeSelector: Record<string, string> = {
        ...(flavor.product ? { 'nvidia.com/gpu.product': flavor.product } : {}),
        ...(flavor.memory ? { 'nvidia.com/gpu.memory': flavor.memory } : {}),
        ...(flavor.nodeSelector ?? {}),
      };
      const labels: Record<string, string> = flavor.kueueQueue
        ? { 'kueue.x-k8s.io/queue-name': flavor.kueueQueue }
        : {};
      const annotations: Record<string, string> = {
        [GPU_REQUEST_ANNOTATION]: String(count),
        [GPU_FLAVOR_ANNOTATION]: flavorName,
        [GPU_RESOURCE_ANNOTATION]: flavor.resource,
      };

      if (patchPath !== undefined) {
        const patch = {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name },
          spec: {
            template: {
              metadata: { labels },
              spec: {
                containers: [{ name, resources: { limits } }],
                tolerations,
                nodeSelector,
              },
            },
          },
        };
        await writeWorkspaceFiles(ctx.workspacePath, path.dirname(patchPath), {
          [path.basename(patchPath)]: `# GPU request for ${name}: ${count} x ${
            flavor.resource
          } (flavor ${flavorName}); a kustomize strategic-merge patch\n${yaml.stringify(
            patch,
          )}`,
        });
      }
      ctx.logger.info(
        `${ownerRef} GPU quota ${check.quota}: ${check.currentUse} in use, ${count} x ${flavor.resource} requested for ${name}, ${check.remaining} left`,
      );

      ctx.output('resourceName', flavor.resource);
      ctx.output('gpuRequest', count);
      ctx.output('limits', limits);
      ctx.output('tolerations', tolerations as Record<string, string>[]);
      ctx.output('nodeSelector', nodeSelector);
      ctx.output('labels', labels);
      ctx.output('annotations', annotations);
      ctx.output('quota', check.quota);
      ctx.output('currentUse', check.currentUse);
    },
  });
}
