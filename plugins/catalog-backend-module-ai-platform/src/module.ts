import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';

/**
 * Adds the AIPipeline kind to the catalog. When the scaffolder publishes to
 * local git repositories (`aiPlatform.scaffolder.localGit.root`, the
 * embedded setup without a git host), it also lets `file` locations be
 * registered, so that what a template created can join the catalog.
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
        if (config.getOptionalString('aiPlatform.scaffolder.localGit.root')) {
          locations.setAllowedLocationTypes(['url', 'file']);
        }
      },
    });
  },
});
