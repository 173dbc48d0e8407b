import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createOwnerAccessChecker } from '@aiplatform/plugin-ai-platform-node';
import { createGatewayRouteAction } from './actions/gatewayRoute';
import { createGpuProvisionAction } from './actions/gpuProvision';
import { createOwnersCheckAction } from './actions/ownersCheck';
import { createPipelineWriteAction } from './actions/pipelineWrite';

/**
 * Adds the AI Platform governance actions to the scaffolder:
 * `ai-platform:owners:check`, `ai-platform:gateway:route`,
 * `ai-platform:gpu:provision` and `ai-platform:pipeline:write`. (Publishing
 * to local git repositories, for portals without a git host, is the module
 * `@aiplatform/plugin-scaffolder-backend-module-ai-platform-local-git`.)
 * The actions that act for an owner check, with the owner-access checker of
 * `@aiplatform/plugin-ai-platform-node`, that the user running the template
 * may act for it.
 *
 * @public
 */
export const scaffolderModuleAiPlatform = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ai-platform',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, auth, userInfo, catalog }) {
        const access = createOwnerAccessChecker({
          catalog,
          auth,
          userInfo,
          config,
        });
        scaffolder.addActions(
          createOwnersCheckAction({ access }),
          createGatewayRouteAction({ config, access }),
          createGpuProvisionAction({ config, catalog, auth, access }),
          createPipelineWriteAction({ access }),
        );
      },
    });
  },
});
