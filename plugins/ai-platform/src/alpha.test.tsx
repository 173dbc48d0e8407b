import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { AiPlatformApi, aiPlatformApiRef } from './api/AiPlatformApi';
import { mockAiPlatformApi } from './testUtils';
import aiPlatformPlugin from './alpha';

function mockApi(): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    listPipelines: jest.fn().mockResolvedValue({
      items: [
        {
          pipeline: 'aipipeline:default/support-rag',
          title: 'Support RAG',
          type: 'rag',
          lifecycle: 'production',
          owner: 'group:default/ml-team',
          stageCount: 4,
          findings: { error: 0, warning: 0, info: 0 },
          health: 'healthy',
        },
      ],
    }),
    getOwnershipReport: jest.fn().mockResolvedValue({ items: [] }),
  });
}

const entityOfKind = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
});

describe('ai-platform alpha plugin', () => {
  it('is the ai-platform plugin', () => {
    expect(aiPlatformPlugin.id).toBe('ai-platform');
  });

  it('mounts its page extension at /ai-platform', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('page:ai-platform'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/ai-platform');
  });

  it('shows the ownership tab on AIPipeline entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-content:ai-platform/ownership'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('ownership');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Ownership');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('AIPipeline'))).toBe(true);
    expect(filter(entityOfKind('Component'))).toBe(false);
  });

  it('shows the dashboard tab on AIPipeline entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-content:ai-platform/dashboard'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('dashboard');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Dashboard');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('AIPipeline'))).toBe(true);
    expect(filter(entityOfKind('Component'))).toBe(false);
    expect(filter(entityOfKind('Group'))).toBe(false);
  });

  it('shows the owned-stages card on Group and User entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-card:ai-platform/owned-stages'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('Group'))).toBe(true);
    expect(filter(entityOfKind('User'))).toBe(true);
    expect(filter(entityOfKind('AIPipeline'))).toBe(false);
  });

  it('shows the spend card on Group and AIPipeline entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-card:ai-platform/spend'),
    );
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('Group'))).toBe(true);
    expect(filter(entityOfKind('AIPipeline'))).toBe(true);
    expect(filter(entityOfKind('User'))).toBe(false);
    expect(filter(entityOfKind('Component'))).toBe(false);
  });

  it('serves the AI Platform page at /ai-platform in an app', async () => {
    const api = mockApi();
    renderTestApp({
      features: [aiPlatformPlugin],
      initialRouteEntries: ['/ai-platform'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [aiPlatformApiRef, api],
        [catalogApiRef, catalogApiMock()],
      ],
    });

    // The page is lazy-loaded: its first import under Jest can be slow.
    expect(
      await screen.findByText('Support RAG', undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Pipelines' })).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Ownership report' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Audit' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Spend' })).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenCalled();
  }, 20_000);
});
