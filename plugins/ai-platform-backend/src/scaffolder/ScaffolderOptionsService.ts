import {
  AuthService,
  BackstageCredentials,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderOptionsResponse } from '@aiplatform/plugin-ai-platform-common';
import {
  allowedModelsFor,
  countGpuUse,
  createOwnerAccessChecker,
  gpuQuotaFor,
  GpuSettings,
  OwnerAccessChecker,
  readAllowedModelSettings,
  readGpuSettings,
} from '@aiplatform/plugin-ai-platform-node';

/**
 * The choices of the AI Platform scaffolder form fields for an owner: the
 * models it may use through the gateway, the GPU flavors, and its GPU quota
 * and current use. Only for an owner the caller may act for, decided by the
 * same owner-access checker as the scaffolder actions: a member of the owner
 * or of a group above it, that user for a User owner, or an admin
 * (`aiPlatform.adminGroups`). Config is read on every request, so a
 * reloaded config applies at once.
 */
export class ScaffolderOptionsService {
  private readonly access: OwnerAccessChecker;

  constructor(
    private readonly options: {
      config: RootConfigService;
      catalog: CatalogService;
      auth: AuthService;
      userInfo: UserInfoService;
    },
  ) {
    this.access = createOwnerAccessChecker(options);
  }

  /**
   * An unknown owner is an InputError (400) naming `owner`; an owner the
   * caller may not act for a NotAllowedError (403) naming it.
   */
  async getOptions(
    owner: string,
    credentials: BackstageCredentials,
  ): Promise<ScaffolderOptionsResponse> {
    const { config, catalog, auth } = this.options;
    const ref = await this.access.assertMayActFor(owner, credentials);
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
