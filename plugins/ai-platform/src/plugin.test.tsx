import { screen } from '@testing-library/react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { aiPlatformApiRef } from './api/AiPlatformApi';
import { AiPlatformClient } from './api/AiPlatformClient';
import {
  EntityOwnedStagesCard,
  EntitySpendCard,
  aiPlatformPlugin,
} from './plugin';
import { rootRouteRef } from './routes';
import { legacyTestAppOptions, mockAiPlatformApi } from './testUtils';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ml-team' },
  spec: { type: 'team', children: [] },
};

describe('aiPlatformPlugin (legacy frontend system)', () => {
  it('is the ai-platform plugin with the page as its root route', () => {
    expect(aiPlatformPlugin.getId()).toBe('ai-platform');
    expect(aiPlatformPlugin.routes.root).toBe(rootRouteRef);
  });

  it('provides the AI Platform API, a client of the backend', () => {
    const [factory] = [...aiPlatformPlugin.getApis()];
    expect(factory.api).toBe(aiPlatformApiRef);
    const api = factory.factory({
      discoveryApi: { getBaseUrl: async () => 'http://backend/api/x' },
      fetchApi: { fetch: jest.fn() },
    });
    expect(api).toBeInstanceOf(AiPlatformClient);
  });

  it('renders its entity cards in a legacy app', async () => {
    const api = mockAiPlatformApi({
      getOwnedStages: jest.fn().mockResolvedValue({
        items: [
          {
            pipeline: 'aipipeline:default/support-rag',
            pipelineTitle: 'Support RAG',
            stage: 'embed',
            type: 'embedding',
            ownerSource: 'entity',
            entityRef: 'component:default/embedder',
          },
        ],
      }),
      getSpendBudget: jest.fn().mockResolvedValue({
        entityRef: 'group:default/ml-team',
        budget: null,
        monthToDateUsd: 12,
        forecastUsd: 20,
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <EntityProvider entity={group}>
          <EntityOwnedStagesCard />
          <EntitySpendCard />
        </EntityProvider>
      </TestApiProvider>,
      {
        ...legacyTestAppOptions(),
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    expect(
      await screen.findByRole('table', { name: 'owned stages' }),
    ).toHaveTextContent('embed');
    expect(await screen.findByTestId('no-budget')).toBeInTheDocument();
    expect(api.getOwnedStages).toHaveBeenCalledWith('group:default/ml-team', {
      limit: 10,
      offset: 0,
    });
    expect(api.getSpendBudget).toHaveBeenCalledWith('group:default/ml-team');
  });
});
