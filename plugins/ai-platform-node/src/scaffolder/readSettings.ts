import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GpuFlavor } from '@aiplatform/plugin-ai-platform-common';
import { GPU_REQUEST_ANNOTATION } from './annotations';
import {
  AllowedModelSettings,
  GpuSettings,
  normalizeOwnerRef,
  sumGpuRequests,
} from './settings';

/**
 * Reads `aiPlatform.gateway.allowedModels`.
 *
 * @public
 */
export function readAllowedModelSettings(config: Config): AllowedModelSettings {
  return {
    default:
      config.getOptionalStringArray(
        'aiPlatform.gateway.allowedModels.default',
      ) ?? [],
    groups:
      config.getOptional<Record<string, string[]>>(
        'aiPlatform.gateway.allowedModels.groups',
      ) ?? {},
  };
}

/**
 * Reads `aiPlatform.gpu`; a flavor without `resource` is a config error.
 *
 * @public
 */
export function readGpuSettings(config: Config): GpuSettings {
  const flavors: Record<string, GpuFlavor> = {};
  const flavorsConfig = config.getOptionalConfig('aiPlatform.gpu.flavors');
  for (const name of flavorsConfig?.keys() ?? []) {
    const raw = flavorsConfig!.get<GpuFlavor>(name);
    if (!raw || typeof raw.resource !== 'string') {
      throw new InputError(
        `GPU flavor '${name}' in aiPlatform.gpu.flavors has no 'resource'`,
      );
    }
    flavors[name] = raw;
  }
  return {
    flavors,
    quotas:
      config.getOptional<Record<string, number>>('aiPlatform.gpu.quotas') ?? {},
    defaultQuota: config.getOptionalNumber('aiPlatform.gpu.defaultQuota') ?? 0,
  };
}

/**
 * GPUs `owner` already uses: the sum of the `ai-platform.io/gpu-request`
 * annotations of the catalog entities it owns (what the templates created).
 *
 * @public
 */
export async function countGpuUse(options: {
  catalog: CatalogService;
  owner: string;
  credentials: BackstageCredentials;
}): Promise<number> {
  const { items } = await options.catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${GPU_REQUEST_ANNOTATION}`]:
          CATALOG_FILTER_EXISTS,
        'relations.ownedBy': normalizeOwnerRef(options.owner),
      },
      fields: ['kind', 'metadata.name', 'metadata.annotations'],
    },
    { credentials: options.credentials },
  );
  return sumGpuRequests(items);
}
