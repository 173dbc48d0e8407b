import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGatewayRouteAction } from './actions/gatewayRoute';
import { createGpuProvisionAction } from './actions/gpuProvision';
import { createPipelineWriteAction } from './actions/pipelineWrite';
import { createPublishLocalGitAction } from './actions/publishLocalGit';
import { createRegisterFileAction } from './actions/registerFile';

/**
 * Adds the AI Platform scaffolder actions: `ai-platform:gateway:route`,
 * `ai-platform:gpu:provision`, `ai-platform:pipeline:write`,
 * `ai-platform:publish:local-git` and `ai-platform:catalog:register-file`.
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
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, auth, catalog }) {
        scaffolder.addActions(
          createGatewayRouteAction({ config }),
          createGpuProvisionAction({ config, catalog, auth }),
          createPipelineWriteAction(),
          createPublishLocalGitAction({ config }),
          createRegisterFileAction({ config, catalog }),
        );
      },
    });
  },
});
