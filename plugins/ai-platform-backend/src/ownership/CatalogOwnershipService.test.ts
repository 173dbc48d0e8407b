import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AIPipelineEntityV1alpha1,
  PipelineHealth,
} from '@aiplatform/plugin-ai-platform-common';
import { orgFixture } from '../__testUtils__/orgFixture';
import { pipelineView } from '../__testUtils__/pipelineView';
import { CatalogVisibility } from '../shared/catalog/CatalogVisibility';
import { CatalogOwnershipService } from './CatalogOwnershipService';

const CHURN = 'aipipeline:default/churn-train';
const SEARCH = 'aipipeline:default/search-rag';
const WEB = 'aipipeline:default/web-assistant';
const credentials = mockCredentials.user('user:default/bob');

function setup() {
  const catalog = catalogServiceMock({ entities: orgFixture() });
  const view = pipelineView(catalog);
  const healthCalls: string[][] = [];
  const health = async (pipelines: AIPipelineEntityV1alpha1[]) => {
    const refs = pipelines.map(p => `aipipeline:default/${p.metadata.name}`);
    healthCalls.push(refs);
    const of: Record<string, PipelineHealth> = {
      [CHURN]: 'healthy',
      [SEARCH]: 'failing',
      [WEB]: 'degraded',
    };
    return new Map(refs.map(r => [r, of[r]]));
  };
  const service = new CatalogOwnershipService({
    catalog,
    view,
    visibility: new CatalogVisibility({
      catalog,
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    }),
    logger: mockServices.logger.mock(),
    freshness: async () => new Map(),
    health,
  });
  return { service, view, healthCalls };
}

describe('CatalogOwnershipService', () => {
  it('reads the health of the page only, in one batched call', async () => {
    const { service, healthCalls } = setup();
    const page = await service.listPipelines(credentials, {
      limit: 2,
      offset: 1,
    });
    expect(page.items.map(i => [i.pipeline, i.health])).toEqual([
      [SEARCH, 'failing'],
      [WEB, 'degraded'],
    ]);
    expect(page.totalItems).toBe(3);
    expect(healthCalls).toEqual([[SEARCH, WEB]]);
  });

  it('reads the health of every pipeline, once, when the page is sorted by it', async () => {
    const { service, healthCalls } = setup();
    const page = await service.listPipelines(credentials, {
      limit: 1,
      sort: '-health',
    });
    expect(page.items.map(i => i.pipeline)).toEqual([SEARCH]);
    expect(healthCalls).toEqual([[CHURN, SEARCH, WEB]]);
  });

  it('answers lists from the cached analysis until the catalog changes', async () => {
    const { service } = setup();
    const first = await service.getOwnershipReport(undefined, credentials);
    const again = await service.getOwnershipReport(undefined, credentials);
    // The same analysis objects: nothing was analysed twice.
    expect(again.items[0].findings).toBe(first.items[0].findings);
  });
});
