import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  HaltState,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  expectShownAsText,
  mockAiPlatformApi,
} from '../../testUtils';
import {
  PipelineOwnershipContent,
  PipelineOwnershipView,
} from './PipelineOwnershipContent';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const entity: Entity = {
  apiVersion: 'ai-platform.io/v1alpha1',
  kind: 'AIPipeline',
  metadata: { name: 'support-rag', namespace: 'ml' },
  spec: {
    type: 'rag',
    lifecycle: 'production',
    owner: 'group:ml/ml-team',
    stages: [],
  },
};

const ownership: PipelineOwnership = {
  pipeline: 'aipipeline:ml/support-rag',
  owner: 'group:ml/ml-team',
  stages: [
    {
      name: 'ingest',
      type: 'data-ingestion',
      owner: 'group:default/data-team',
      ownerSource: 'entity',
      entityRef: 'component:default/ingestor',
    },
    {
      name: 'embed',
      type: 'embedding',
      owner: 'group:ml/ml-team',
      ownerSource: 'inline',
      entityRef: null,
    },
    {
      name: 'serve',
      type: 'serving',
      owner: null,
      ownerSource: null,
      entityRef: null,
    },
  ],
  edges: [
    { from: 'ingest', to: 'embed' },
    { from: 'embed', to: 'serve' },
  ],
  findings: [
    {
      code: 'unowned-stage',
      severity: 'error',
      stage: 'serve',
      message: 'Stage "serve" has no owner: nobody is paged when it breaks.',
    },
    {
      code: 'cross-team-handoff',
      severity: 'info',
      stage: 'embed',
      message: 'Handoff: "ingest" (data-team) feeds "embed" (ml/ml-team).',
    },
    {
      code: 'no-e2e-slo',
      severity: 'warning',
      message: 'The pipeline declares no end-to-end SLO.',
    },
  ],
  consumers: [
    {
      entityRef: 'component:default/support-bot',
      owner: 'group:default/support-team',
    },
    { entityRef: 'component:default/orphan-app', owner: null },
  ],
};

const running: HaltState = { halted: false, reason: null, by: null, at: null };

function mockApi(
  overrides: Partial<jest.Mocked<AiPlatformApi>> = {},
): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    getPipelineOwnership: jest.fn().mockResolvedValue(ownership),
    getHaltState: jest.fn().mockResolvedValue(running),
    ...overrides,
  });
}

function renderContent(api: AiPlatformApi, e: Entity = entity) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <EntityProvider entity={e}>
        <PipelineOwnershipContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('PipelineOwnershipContent', () => {
  it('fetches the ownership of the entity and shows graph, findings and consumers', async () => {
    const api = mockApi();
    renderContent(api);

    expect(await screen.findByText('End-to-end ownership')).toBeInTheDocument();
    expect(api.getPipelineOwnership).toHaveBeenCalledWith('ml', 'support-rag');

    // Graph
    expect(screen.getByTestId('ownership-graph')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^stage / })).toHaveLength(3);
    expect(screen.getAllByTestId('handoff-edge')).toHaveLength(1);
    expect(
      screen.getByText('3 stages · 2 teams · 1 handoff'),
    ).toBeInTheDocument();

    // Findings, with their messages
    expect(screen.getByText('Findings')).toBeInTheDocument();
    for (const f of ownership.findings) {
      expect(screen.getByText(f.message)).toBeInTheDocument();
    }
    expect(screen.getByTestId('finding-unowned-stage')).toBeInTheDocument();

    // Blast radius: consumers with their owners
    const consumers = screen.getByTestId('consumers');
    const items = within(consumers).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(
      within(items[0]).getByRole('link', { name: 'support-bot' }),
    ).toHaveAttribute('href', '/catalog/default/component/support-bot');
    expect(within(items[0]).getByText(/owned by/)).toBeInTheDocument();
    expect(
      within(items[0]).getByRole('link', { name: 'support-team' }),
    ).toHaveAttribute('href', '/catalog/default/group/support-team');
    expect(
      within(items[1]).getByRole('link', { name: 'orphan-app' }),
    ).toBeInTheDocument();
    expect(within(items[1]).getByText('no owner')).toBeInTheDocument();
  });

  it('shows no halt alert while the pipeline runs', async () => {
    const api = mockApi();
    renderContent(api);
    expect(await screen.findByText('End-to-end ownership')).toBeInTheDocument();
    expect(api.getHaltState).toHaveBeenCalledWith('ml', 'support-rag');
    expect(screen.queryByTestId('halt-alert')).not.toBeInTheDocument();
  });

  it('shows an error alert at the top when the pipeline is halted', async () => {
    const api = mockApi({
      getHaltState: jest.fn().mockResolvedValue({
        halted: true,
        reason: 'answers cite stale docs',
        by: 'user:default/jane',
        at: '2025-03-01T10:00:00.000Z',
      }),
    });
    renderContent(api);

    const alert = await screen.findByTestId('halt-alert');
    expect(alert).toHaveTextContent('This pipeline is halted');
    expect(alert).toHaveTextContent(
      /Halted by jane on .+answers cite stale docs/,
    );
    expect(await screen.findByText('End-to-end ownership')).toBeInTheDocument();
    // The alert comes before the ownership graph.
    expect(
      alert.compareDocumentPosition(screen.getByTestId('ownership-graph')) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('uses the default namespace when the entity has none', async () => {
    const api = mockApi();
    renderContent(api, {
      ...entity,
      metadata: { name: 'support-rag' },
    });
    expect(await screen.findByText('End-to-end ownership')).toBeInTheDocument();
    expect(api.getPipelineOwnership).toHaveBeenCalledWith(
      'default',
      'support-rag',
    );
  });

  it('shows the error when the ownership cannot be fetched', async () => {
    const api = mockApi({
      getPipelineOwnership: jest
        .fn()
        .mockRejectedValue(new NotFoundError('No AIPipeline ml/support-rag')),
    });
    renderContent(api);
    expect(
      (await screen.findAllByText(/No AIPipeline ml\/support-rag/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('End-to-end ownership')).not.toBeInTheDocument();
  });

  it('filters the findings to the clicked stage, and "Show all" resets', async () => {
    const api = mockApi();
    renderContent(api);
    await screen.findByText('End-to-end ownership');

    await userEvent.click(screen.getByRole('button', { name: 'stage serve' }));
    expect(screen.getByText('Findings: serve')).toBeInTheDocument();
    expect(screen.getByText(ownership.findings[0].message)).toBeInTheDocument();
    expect(
      screen.queryByText(ownership.findings[1].message),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText(ownership.findings[2].message),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'stage serve' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    // A stage without findings
    await userEvent.click(screen.getByRole('button', { name: 'stage ingest' }));
    expect(screen.getByText('Findings: ingest')).toBeInTheDocument();
    expect(screen.getByText('No findings for this stage.')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(screen.getByText('Findings')).toBeInTheDocument();
    expect(screen.queryByText(/^Findings: /)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show all' }),
    ).not.toBeInTheDocument();
    for (const f of ownership.findings) {
      expect(screen.getByText(f.message)).toBeInTheDocument();
    }
  });

  it('clicking the selected stage again deselects it', async () => {
    const api = mockApi();
    renderContent(api);
    await screen.findByText('End-to-end ownership');

    await userEvent.click(screen.getByRole('button', { name: 'stage embed' }));
    expect(screen.getByText('Findings: embed')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'stage embed' }));
    expect(screen.getByText('Findings')).toBeInTheDocument();
    expect(screen.queryByText('Findings: embed')).not.toBeInTheDocument();
  });
});

describe('PipelineOwnershipView', () => {
  it('shows the empty states when there are no findings and no consumers', async () => {
    renderInTestApp(
      <PipelineOwnershipView
        ownership={{ ...ownership, findings: [], consumers: [] }}
      />,
      { mountedRoutes },
    );
    expect(screen.getByText('No ownership gaps found.')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Nothing in the catalog depends on this pipeline or its stages.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('no gaps')).toBeInTheDocument();
    expect(screen.queryByTestId('consumers')).not.toBeInTheDocument();
  });

  it('lists the first 50 findings of a long list, and all of them on "Show all"', async () => {
    const findings = Array.from({ length: 60 }, (_, i) => ({
      code: 'cross-team-handoff' as const,
      severity: 'info' as const,
      stage: 'embed',
      message: `Handoff number ${i}.`,
    }));
    renderInTestApp(
      <PipelineOwnershipView ownership={{ ...ownership, findings }} />,
      { mountedRoutes },
    );
    expect(screen.getAllByText(/^Handoff number \d+\.$/)).toHaveLength(50);
    expect(screen.getByText('Handoff number 49.')).toBeInTheDocument();
    expect(screen.queryByText('Handoff number 50.')).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show all 60 findings' }),
    );
    expect(screen.getAllByText(/^Handoff number \d+\.$/)).toHaveLength(60);
    expect(
      screen.queryByRole('button', { name: /^Show all \d+ findings$/ }),
    ).not.toBeInTheDocument();
  });

  it.each(NOT_ENTITY_REFS)(
    'shows an owner, stage owners and a consumer %p as text, not links',
    async value => {
      const { container } = renderInTestApp(
        <PipelineOwnershipView
          ownership={{
            ...ownership,
            owner: value,
            stages: ownership.stages.map(stage => ({
              ...stage,
              owner: value,
              entityRef: value,
            })),
            consumers: [{ entityRef: value, owner: value }],
          }}
        />,
        { mountedRoutes },
      );
      const accountable = screen.getByText(/^Accountable:/);
      expectShownAsText(accountable, value);
      const consumers = screen.getByTestId('consumers');
      expectShownAsText(consumers, value);
      // An empty owner is no owner.
      expect(consumers).toHaveTextContent(value ? /owned by/ : /no owner/);
      expect(within(consumers).getAllByTestId('entity-ref-text')).toHaveLength(
        value ? 2 : 1,
      );
      expect(screen.getByTestId('ownership-graph')).toBeInTheDocument();
      expect(container.querySelector('a')).toBeNull();
      expect(container.querySelector('script')).toBeNull();
    },
  );
});
