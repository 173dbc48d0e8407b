import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { CatalogOwnershipService } from './service/CatalogOwnershipService';
import { createRouter } from './service/router';

/**
 * The AI Platform backend plugin.
 *
 * @public
 */
export const aiPlatformPlugin = createBackendPlugin({
  pluginId: 'ai-platform',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ logger, httpAuth, httpRouter, catalog }) {
        const ownership = new CatalogOwnershipService({ catalog, logger });
        httpRouter.use(await createRouter({ httpAuth, ownership }));
      },
    });
  },
});
