import { screen, waitFor, within } from '@testing-library/react';
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
import { OwnedStageList } from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  expectShownAsText,
  mockAiPlatformApi,
} from '../../testUtils';
import { OwnedStagesCard } from './OwnedStagesCard';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ml-team' },
  spec: { type: 'team', children: [] },
};

const owned: OwnedStageList = {
  totalItems: 2,
  limit: 100,
  offset: 0,
  items: [
    {
      pipeline: 'aipipeline:default/support-rag',
      pipelineTitle: 'Support RAG',
      stage: 'embed',
      type: 'embedding',
      ownerSource: 'entity',
      entityRef: 'component:default/embedder',
    },
    {
      pipeline: 'aipipeline:default/fraud-scoring',
      stage: 'train',
      type: 'training',
      ownerSource: 'inline',
      entityRef: null,
    },
  ],
};

function mockApi(result: OwnedStageList): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    getOwnedStages: jest.fn().mockResolvedValue(result),
  });
}

function renderCard(api: AiPlatformApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <EntityProvider entity={group}>
        <OwnedStagesCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

describe('OwnedStagesCard', () => {
  // The timeout only guards slow CI machines.
  jest.setTimeout(30_000);

  it('lists the pipeline, stage and type of every stage the group owns', async () => {
    const api = mockApi(owned);
    renderCard(api);

    const table = await screen.findByRole('table', { name: 'owned stages' });
    expect(api.getOwnedStages).toHaveBeenCalledWith('group:default/ml-team', {
      limit: 10,
      offset: 0,
    });

    const rows = within(table).getAllByRole('row').slice(1); // skip the header
    expect(rows).toHaveLength(2);

    const [rag, fraud] = rows;
    expect(
      within(rag).getByRole('link', { name: 'Support RAG' }),
    ).toHaveAttribute('href', '/catalog/default/aipipeline/support-rag');
    expect(within(rag).getByText('embed')).toBeInTheDocument();
    expect(within(rag).getByText('embedding')).toBeInTheDocument();
    expect(within(rag).getByRole('link', { name: 'embedder' })).toHaveAttribute(
      'href',
      '/catalog/default/component/embedder',
    );

    expect(
      within(fraud).getByRole('link', { name: 'fraud-scoring' }),
    ).toBeInTheDocument();
    expect(within(fraud).getByText('train')).toBeInTheDocument();
    expect(within(fraud).getByText('training')).toBeInTheDocument();
    expect(
      within(fraud).getByText('named in the pipeline'),
    ).toBeInTheDocument();
  });

  /** The only row of the card, once it is shown. */
  async function onlyRow() {
    const table = await screen.findByRole('table', { name: 'owned stages' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it.each(NOT_ENTITY_REFS)(
    'shows a pipeline %p as text, not a link',
    async value => {
      renderCard(
        mockApi({
          totalItems: 1,
          limit: 100,
          offset: 0,
          items: [
            {
              pipeline: value,
              stage: 'embed',
              type: 'embedding',
              ownerSource: 'inline',
              entityRef: null,
            },
          ],
        }),
      );
      const row = await onlyRow();
      expectShownAsText(within(row).getAllByRole('cell')[0], value);
      expect(within(row).queryByRole('link')).not.toBeInTheDocument();
    },
  );

  it.each(NOT_ENTITY_REFS.filter(Boolean))(
    'shows the entity a stage is owned through, %p, as text, not a link',
    async value => {
      renderCard(
        mockApi({
          totalItems: 1,
          limit: 100,
          offset: 0,
          items: [
            {
              pipeline: 'aipipeline:default/support-rag',
              stage: 'embed',
              type: 'embedding',
              ownerSource: 'entity',
              entityRef: value,
            },
          ],
        }),
      );
      const row = await onlyRow();
      expectShownAsText(within(row).getAllByRole('cell')[3], value);
      expect(within(row).getAllByRole('link')).toHaveLength(1);
    },
  );

  it('pages, filters and sorts on the server', async () => {
    const api = mockApi(owned);
    api.getOwnedStages.mockImplementation(async (_owner, options) =>
      options?.q
        ? { ...owned, totalItems: 1, items: [owned.items[1]] }
        : {
            ...owned,
            totalItems: 1234,
            limit: options?.limit ?? 100,
            offset: options?.offset ?? 0,
          },
    );
    renderCard(api);
    expect(await screen.findByText('1–10 of 1,234')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    expect(await screen.findByText('11–20 of 1,234')).toBeInTheDocument();
    expect(api.getOwnedStages).toHaveBeenLastCalledWith(
      'group:default/ml-team',
      { limit: 10, offset: 10 },
    );

    const stage = screen.getByRole('columnheader', { name: 'Stage' });
    await userEvent.click(within(stage).getByRole('button'));
    expect(api.getOwnedStages).toHaveBeenLastCalledWith(
      'group:default/ml-team',
      { limit: 10, offset: 0, sort: 'stage' },
    );
    const pipeline = screen.getByRole('columnheader', { name: 'Pipeline' });
    await userEvent.click(within(pipeline).getByRole('button'));
    await userEvent.click(within(pipeline).getByRole('button'));
    expect(api.getOwnedStages).toHaveBeenLastCalledWith(
      'group:default/ml-team',
      { limit: 10, offset: 0, sort: '-pipeline' },
    );
    for (const title of ['Type', 'Owned through']) {
      const header = screen.getByRole('columnheader', { name: title });
      expect(within(header).queryByRole('button')).not.toBeInTheDocument();
    }

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter owned stages' }),
      'train',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'Support RAG' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.getOwnedStages).toHaveBeenLastCalledWith(
      'group:default/ml-team',
      { limit: 10, offset: 0, q: 'train', sort: '-pipeline' },
    );
    expect(await onlyRow()).toHaveTextContent('fraud-scoring');
  });

  it('shows the empty state when the group owns no stage', async () => {
    const api = mockApi({ items: [], totalItems: 0, limit: 100, offset: 0 });
    renderCard(api);

    expect(
      await screen.findByText('This team owns no stage of any AI pipeline.'),
    ).toBeInTheDocument();
    expect(api.getOwnedStages).toHaveBeenCalledWith('group:default/ml-team', {
      limit: 10,
      offset: 0,
    });
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error when the stages cannot be fetched', async () => {
    const api = mockApi({ items: [], totalItems: 0, limit: 100, offset: 0 });
    api.getOwnedStages.mockRejectedValue(new Error('backend down'));
    renderCard(api);

    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
