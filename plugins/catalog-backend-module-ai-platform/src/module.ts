import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import {
  LOCAL_GIT_LOCATION_TYPE,
  LOCAL_GIT_ROOT_KEY,
} from '@aiplatform/plugin-ai-platform-node';
import { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';
import { LocalGitLocationProcessor } from './processor/LocalGitLocationProcessor';

/**
 * Adds the AIPipeline kind to the catalog. When the scaffolder publishes to
 * local git repositories (`aiPlatform.scaffolder.localGit.root`, the
 * embedded setup without a git host), it also adds the
 * `ai-platform-local-git` location type, whose processor reads only catalog
 * files inside that root and only their entities, so that what a template
 * created can join the catalog. `file` locations stay refused.
 *
 * @public
 */
export const catalogModuleAiPlatform = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ai-platform',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        locations: catalogLocationsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, locations, config }) {
        catalog.addProcessor(new AIPipelineEntityProcessor());
        const root = config.getOptionalString(LOCAL_GIT_ROOT_KEY);
        if (root) {
          catalog.addProcessor(new LocalGitLocationProcessor(root));
          locations.setAllowedLocationTypes(['url', LOCAL_GIT_LOCATION_TYPE]);
        }
      },
    });
  },
});
