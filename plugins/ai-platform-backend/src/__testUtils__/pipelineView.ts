import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { PipelineCatalog } from '../shared/catalog/PipelineCatalog';

/** The plugin's catalog view over an in-memory catalog of `entities`. */
export function pipelineView(
  entities: Entity[] | CatalogService = [],
): PipelineCatalog {
  return new PipelineCatalog({
    catalog: Array.isArray(entities)
      ? catalogServiceMock({ entities })
      : entities,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
}
