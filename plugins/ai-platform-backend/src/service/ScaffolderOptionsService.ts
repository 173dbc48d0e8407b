import { AuthService, RootConfigService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GpuSettings,
  ScaffolderOptionsResponse,
  allowedModelsFor,
  gpuQuotaFor,
  normalizeOwnerRef,
} from '@aiplatform/plugin-ai-platform-common';
import {
  countGpuUse,
  readAllowedModelSettings,
  readGpuSettings,
} from '@aiplatform/plugin-ai-platform-node';

/**
 * The choices of the AI Platform scaffolder form fields for an owner: the
 * models it may use through the gateway, the GPU flavors, and its GPU quota
 * and current use. Config is read on every request, so a reloaded config
 * applies at once.
 */
export class ScaffolderOptionsService {
  constructor(
    private readonly options: {
      config: RootConfigService;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  async getOptions(owner: string): Promise<ScaffolderOptionsResponse> {
    const { config, catalog, auth } = this.options;
    const ref = normalizeOwnerRef(owner);
    const gpu = this.gpuSettings();
    return {
      owner: ref,
      models: allowedModelsFor(readAllowedModelSettings(config), ref),
      gpu: {
        // Tolerations are a pod detail the form has no use for.
        flavors: Object.entries(gpu.flavors).map(
          ([name, { tolerations: _tolerations, ...flavor }]) => ({
            name,
            ...flavor,
          }),
        ),
        quota: gpuQuotaFor(gpu, ref),
        // GPU use is counted over every entity the owner owns, not only the
        // ones the caller may see: the quota is the owner's, not the caller's.
        currentUse: await countGpuUse({
          catalog,
          owner: ref,
          credentials: await auth.getOwnServiceCredentials(),
        }),
      },
    };
  }

  /** A malformed `aiPlatform.gpu` is the server's fault: a 500, not a 400. */
  private gpuSettings(): GpuSettings {
    try {
      return readGpuSettings(this.options.config);
    } catch (e) {
      throw new Error(`Invalid aiPlatform.gpu config: ${(e as Error).message}`);
    }
  }
}
