import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { AiPlatformPermissionPolicy } from './AiPlatformPermissionPolicy';

/**
 * Installs {@link AiPlatformPermissionPolicy} as the permission policy.
 *
 * @public
 */
export const permissionModuleAiPlatformPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'ai-platform-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(AiPlatformPermissionPolicy.fromConfig(config));
      },
    });
  },
});
