import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { OwnershipReport as Report } from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  expectShownAsText,
  mockAiPlatformApi,
} from '../../testUtils';
import { OwnershipReport } from './OwnershipReport';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const group = (name: string, title?: string, namespace?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, ...(namespace && { namespace }), ...(title && { title }) },
  spec: { type: 'team', children: [] },
});

const entities: Entity[] = [
  group('ml-team', 'Machine Learning'),
  group('data-team'),
  group('risk', undefined, 'finance'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'not-a-team' },
    spec: { type: 'service', lifecycle: 'production', owner: 'ml-team' },
  },
];

const allReport: Report = {
  totalItems: 2,
  limit: 100,
  offset: 0,
  items: [
    {
      pipeline: 'aipipeline:default/support-rag',
      owner: 'group:default/ml-team',
      findings: [
        {
          code: 'unowned-stage',
          severity: 'error',
          stage: 'serve',
          message: 'Stage "serve" has no owner.',
        },
        {
          code: 'no-e2e-slo',
          severity: 'warning',
          message: 'No end-to-end SLO.',
        },
      ],
    },
    {
      pipeline: 'aipipeline:default/fraud-scoring',
      owner: 'group:finance/risk',
      findings: [
        {
          code: 'cross-team-handoff',
          severity: 'info',
          stage: 'train',
          message: 'Handoff.',
        },
      ],
    },
  ],
};

const mlReport: Report = {
  ...allReport,
  totalItems: 1,
  items: [allReport.items[0]],
};

function mockApi(): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    getOwnershipReport: jest
      .fn()
      .mockImplementation(async (owner?: string) =>
        owner ? mlReport : allReport,
      ),
  });
}

function renderReport(api: AiPlatformApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [aiPlatformApiRef, api],
        [catalogApiRef, catalogApiMock({ entities })],
      ]}
    >
      <OwnershipReport />
    </TestApiProvider>,
    { mountedRoutes },
  );
}

function rowOf(linkName: string): HTMLElement {
  const row = screen.getByRole('link', { name: linkName }).closest('tr');
  expect(row).not.toBeNull();
  return row as HTMLElement;
}

describe('OwnershipReport', () => {
  // The timeout only guards slow CI machines.
  jest.setTimeout(30_000);

  it('lists every pipeline with its owner and finding chips', async () => {
    const api = mockApi();
    renderReport(api);

    expect(
      await screen.findByRole('link', { name: 'support-rag' }),
    ).toBeInTheDocument();
    expect(api.getOwnershipReport).toHaveBeenCalledWith(undefined, {
      limit: 20,
      offset: 0,
    });
    expect(screen.getByText('Ownership gaps')).toBeInTheDocument();

    const rag = rowOf('support-rag');
    expect(within(rag).getByRole('link', { name: 'ml-team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/ml-team',
    );
    expect(within(rag).getByTestId('finding-unowned-stage')).toHaveTextContent(
      'unowned-stage',
    );
    expect(within(rag).getByTestId('finding-no-e2e-slo')).toBeInTheDocument();
    expect(
      within(rag).queryByTestId('finding-cross-team-handoff'),
    ).not.toBeInTheDocument();

    const fraud = rowOf('fraud-scoring');
    expect(
      within(fraud).getByRole('link', { name: 'finance/risk' }),
    ).toHaveAttribute('href', '/catalog/finance/group/risk');
    expect(
      within(fraud).getByTestId('finding-cross-team-handoff'),
    ).toBeInTheDocument();
  });

  it.each(NOT_ENTITY_REFS)(
    'shows a pipeline and an owner %p as text, not links',
    async value => {
      const api = mockApi();
      api.getOwnershipReport.mockResolvedValue({
        totalItems: 1,
        limit: 100,
        offset: 0,
        items: [
          {
            pipeline: value,
            owner: value,
            findings: [allReport.items[0].findings[0]],
          },
        ],
      });
      renderReport(api);
      const chip = await screen.findByTestId('finding-unowned-stage');
      const row = chip.closest('tr')!;
      const [pipelineCell, ownerCell] = within(row)
        .getAllByTestId('entity-ref-text')
        .map(el => el.closest('td')!);
      expectShownAsText(pipelineCell, value);
      expectShownAsText(ownerCell, value);
      expect(within(row).queryByRole('link')).not.toBeInTheDocument();
    },
  );

  it('filters by the team chosen in the Autocomplete', async () => {
    const api = mockApi();
    renderReport(api);
    await screen.findByRole('link', { name: 'fraud-scoring' });

    await userEvent.click(
      screen.getByRole('combobox', { name: 'Team (includes sub-teams)' }),
    );
    const listbox = await screen.findByRole('listbox');
    // Only groups, labelled by title or short ref, sorted by label.
    const options = within(listbox).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'data-team',
      'finance/risk',
      'Machine Learning',
    ]);

    await userEvent.click(
      within(listbox).getByRole('option', { name: 'Machine Learning' }),
    );

    await waitFor(() =>
      expect(api.getOwnershipReport).toHaveBeenLastCalledWith(
        'group:default/ml-team',
        { limit: 20, offset: 0 },
      ),
    );
    expect(
      await screen.findByText('Ownership gaps: Machine Learning'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'fraud-scoring' }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByRole('link', { name: 'support-rag' }),
    ).toBeInTheDocument();
  });

  it('sends the text in the filter box as q and shows what the API answers', async () => {
    const api = mockApi();
    api.getOwnershipReport.mockImplementation(async (_owner, options) =>
      options?.q
        ? { ...allReport, totalItems: 1, items: [allReport.items[1]] }
        : allReport,
    );
    renderReport(api);
    await screen.findByRole('link', { name: 'support-rag' });

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter Ownership gaps' }),
      'handoff',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'support-rag' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.getOwnershipReport).toHaveBeenLastCalledWith(undefined, {
      limit: 20,
      offset: 0,
      q: 'handoff',
    });
    expect(
      screen.getByRole('link', { name: 'fraud-scoring' }),
    ).toBeInTheDocument();
  });

  it('sorts on the server by pipeline, owner and error count', async () => {
    const api = mockApi();
    renderReport(api);
    await screen.findByRole('link', { name: 'support-rag' });

    const keys: Array<[string, string]> = [
      ['Findings', 'errors'],
      ['Owner', 'owner'],
      ['Pipeline', 'pipeline'],
    ];
    for (const [title, key] of keys) {
      const header = screen.getByRole('columnheader', { name: title });
      await userEvent.click(within(header).getByRole('button'));
      expect(api.getOwnershipReport).toHaveBeenLastCalledWith(undefined, {
        limit: 20,
        offset: 0,
        sort: key,
      });
      await userEvent.click(within(header).getByRole('button'));
      expect(api.getOwnershipReport).toHaveBeenLastCalledWith(undefined, {
        limit: 20,
        offset: 0,
        sort: `-${key}`,
      });
    }
  });

  it('pages on the server, and another team starts at its first page', async () => {
    const api = mockApi();
    api.getOwnershipReport.mockImplementation(async (owner, options) => ({
      ...(owner ? mlReport : allReport),
      totalItems: owner ? 1 : 45,
      limit: options?.limit ?? 100,
      offset: options?.offset ?? 0,
    }));
    renderReport(api);
    expect(await screen.findByText('1–20 of 45')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    expect(await screen.findByText('21–40 of 45')).toBeInTheDocument();
    expect(api.getOwnershipReport).toHaveBeenLastCalledWith(undefined, {
      limit: 20,
      offset: 20,
    });

    await userEvent.click(
      screen.getByRole('combobox', { name: 'Team (includes sub-teams)' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Machine Learning' }),
    );
    await waitFor(() =>
      expect(api.getOwnershipReport).toHaveBeenLastCalledWith(
        'group:default/ml-team',
        { limit: 20, offset: 0 },
      ),
    );
    // No request for the other team's second page on the way.
    expect(api.getOwnershipReport).not.toHaveBeenCalledWith(
      'group:default/ml-team',
      { limit: 20, offset: 20 },
    );
  });

  it('passes the ref of a group in another namespace', async () => {
    const api = mockApi();
    renderReport(api);
    await screen.findByRole('link', { name: 'fraud-scoring' });

    await userEvent.click(
      screen.getByRole('combobox', { name: 'Team (includes sub-teams)' }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'finance/risk' }),
    );
    await waitFor(() =>
      expect(api.getOwnershipReport).toHaveBeenLastCalledWith(
        'group:finance/risk',
        { limit: 20, offset: 0 },
      ),
    );
  });

  it('shows the error when the report cannot be fetched', async () => {
    const api = mockApi();
    api.getOwnershipReport.mockRejectedValue(new Error('report failed'));
    renderReport(api);
    expect(
      (await screen.findAllByText(/report failed/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Ownership gaps')).not.toBeInTheDocument();
  });
});
