import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { LOCAL_GIT_LOCATION_TYPE, readLocalGitRoot } from './localGitCatalog';
import { LocalGitLocationProcessor } from './processor/LocalGitLocationProcessor';

/**
 * Adds the `ai-platform-local-git` location type for the embedded setup,
 * where the scaffolder publishes templates' output as git repositories on
 * the backend's disk under `aiPlatform.localGit.root` (required). Its
 * processor reads only catalog files inside that root, and only their
 * entities. Registered locations may then be `url` or `ai-platform-local-git`
 * only: `file` stays refused.
 *
 * @public
 */
export const catalogModuleAiPlatformLocalGit = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ai-platform-local-git',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        locations: catalogLocationsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, locations, config }) {
        catalog.addProcessor(
          new LocalGitLocationProcessor(readLocalGitRoot(config)),
        );
        locations.setAllowedLocationTypes(['url', LOCAL_GIT_LOCATION_TYPE]);
      },
    });
  },
});
