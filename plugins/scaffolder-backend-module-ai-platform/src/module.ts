import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGatewayRouteAction } from './actions/gatewayRoute';
import { createGpuProvisionAction } from './actions/gpuProvision';

/**
 * Adds the AI Platform scaffolder actions: `ai-platform:gpu:provision` and
 * `ai-platform:gateway:route`.
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
      },
      async init({ scaffolder, config }) {
        scaffolder.addActions(
          createGpuProvisionAction({ config }),
          createGatewayRouteAction({ config }),
        );
      },
    });
  },
});
