import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPublishLocalGitAction } from './actions/publishLocalGit';
import { createRegisterFileAction } from './actions/registerFile';

/**
 * Adds the scaffolder actions of the embedded AI Platform setup, for portals
 * without a git host: `ai-platform:publish:local-git` (a git repository on
 * the backend's disk under `aiPlatform.localGit.root`, required) and
 * `ai-platform:catalog:register-file` (its catalog files as
 * `ai-platform-local-git` locations, which
 * `@aiplatform/plugin-catalog-backend-module-ai-platform-local-git` reads).
 *
 * @public
 */
export const scaffolderModuleAiPlatformLocalGit = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ai-platform-local-git',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, catalog }) {
        scaffolder.addActions(
          createPublishLocalGitAction({ config }),
          createRegisterFileAction({ config, catalog }),
        );
      },
    });
  },
});
