import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';

/**
 * Adds the AIPipeline kind to the catalog: validation that names the field,
 * and ownership relations in both directions.
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
      },
      async init({ catalog }) {
        catalog.addProcessor(new AIPipelineEntityProcessor());
      },
    });
  },
});
