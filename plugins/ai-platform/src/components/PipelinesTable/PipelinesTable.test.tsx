import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { ResponseError } from '@backstage/errors';
import { PipelineList } from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  expectShownAsText,
  mockAiPlatformApi,
  mockSignalApi,
} from '../../testUtils';
import { PipelinesTable } from './PipelinesTable';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const pipelines: PipelineList = {
  totalItems: 2,
  limit: 100,
  offset: 0,
  items: [
    {
      pipeline: 'aipipeline:default/support-rag',
      title: 'Support RAG',
      type: 'rag',
      lifecycle: 'production',
      owner: 'group:default/ml-team',
      stageCount: 5,
      findings: { error: 2, warning: 1, info: 0 },
      health: 'degraded',
    },
    {
      pipeline: 'aipipeline:default/fraud-scoring',
      title: 'Fraud scoring',
      type: 'batch-scoring',
      lifecycle: 'experimental',
      owner: 'group:default/risk-team',
      stageCount: 3,
      findings: { error: 0, warning: 0, info: 0 },
      health: 'healthy',
    },
  ],
};

function mockApi(
  overrides: Partial<jest.Mocked<AiPlatformApi>> = {},
): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    listPipelines: jest.fn().mockResolvedValue(pipelines),
    ...overrides,
  });
}

/** Pipelines `offset + 1` to `offset + limit` of a list of 10,000. */
function manyPipelines(offset: number, limit: number): PipelineList {
  return {
    totalItems: 10_000,
    limit,
    offset,
    items: Array.from({ length: limit }, (_, i) => ({
      ...pipelines.items[1],
      pipeline: `aipipeline:default/pipeline-${offset + i + 1}`,
      title: `Pipeline ${offset + i + 1}`,
    })),
  };
}

/** The first cell of every body row, top to bottom. */
function names(): string[] {
  const table = screen.getByRole('table', { name: 'AI pipelines' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).getAllByRole('cell')[0].textContent ?? '');
}

function renderTable(api: AiPlatformApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <PipelinesTable />
    </TestApiProvider>,
    { mountedRoutes },
  );
}

function rowOf(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  expect(row).not.toBeNull();
  return row as HTMLElement;
}

describe('PipelinesTable', () => {
  // Pages of 20 and 50 linked rows: the timeout only guards slow CI machines.
  jest.setTimeout(30_000);

  it('renders one row per pipeline with link, owner, stages, gaps and health', async () => {
    const api = mockApi();
    renderTable(api);

    expect(await screen.findByText('Support RAG')).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenCalledTimes(1);
    expect(api.listPipelines).toHaveBeenCalledWith({ limit: 20, offset: 0 });

    const bodyRows = screen
      .getAllByRole('row')
      .filter(r => within(r).queryAllByRole('link').length > 0);
    expect(bodyRows).toHaveLength(2);

    const rag = rowOf('Support RAG');
    expect(
      within(rag).getByRole('link', { name: 'Support RAG' }),
    ).toHaveAttribute('href', '/catalog/default/aipipeline/support-rag');
    expect(within(rag).getByRole('link', { name: 'ml-team' })).toHaveAttribute(
      'href',
      '/catalog/default/group/ml-team',
    );
    expect(within(rag).getByText('5')).toBeInTheDocument();
    expect(within(rag).getByText('2 errors')).toBeInTheDocument();
    expect(within(rag).getByText('1 warning')).toBeInTheDocument();
    expect(within(rag).queryByText('no gaps')).not.toBeInTheDocument();
    expect(within(rag).getByText('degraded')).toBeInTheDocument();

    const fraud = rowOf('Fraud scoring');
    expect(
      within(fraud).getByRole('link', { name: 'risk-team' }),
    ).toBeInTheDocument();
    expect(within(fraud).getByText('3')).toBeInTheDocument();
    expect(within(fraud).getByText('no gaps')).toBeInTheDocument();
    expect(within(fraud).getByText('healthy')).toBeInTheDocument();
  });

  it('asks for one page, shows the total and pages on the server', async () => {
    const api = mockApi({
      listPipelines: jest.fn(async ({ limit = 100, offset = 0 } = {}) =>
        manyPipelines(offset, limit),
      ),
    });
    renderTable(api);
    expect(await screen.findByText('Pipeline 1')).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenCalledTimes(1);
    expect(api.listPipelines).toHaveBeenLastCalledWith({
      limit: 20,
      offset: 0,
    });
    expect(names()).toHaveLength(20);
    expect(screen.getByText('1–20 of 10,000')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    expect(await screen.findByText('21–40 of 10,000')).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenLastCalledWith({
      limit: 20,
      offset: 20,
    });
    expect(await screen.findByText('Pipeline 21')).toBeInTheDocument();
    expect(names()[0]).toBe('Pipeline 21');

    // Another page size starts again at the first page.
    await userEvent.click(screen.getByRole('combobox'));
    await userEvent.click(await screen.findByRole('option', { name: '50' }));
    expect(await screen.findByText('1–50 of 10,000')).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenLastCalledWith({
      limit: 50,
      offset: 0,
    });
    expect(names()).toHaveLength(50);
  });

  it('sends the text of the filter box as q, once typing pauses, from the first page', async () => {
    const api = mockApi({
      listPipelines: jest.fn(async ({ limit = 100, offset = 0, q } = {}) =>
        q
          ? { ...pipelines, items: [pipelines.items[1]], totalItems: 1 }
          : manyPipelines(offset, limit),
      ),
    });
    renderTable(api);
    await screen.findByText('Pipeline 1');
    await userEvent.click(
      screen.getByRole('button', { name: 'Go to next page' }),
    );
    await screen.findByText('Pipeline 21');

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter AI pipelines' }),
      ' Fraud ',
    );
    expect(await screen.findByText('Fraud scoring')).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenLastCalledWith({
      limit: 20,
      offset: 0,
      q: 'Fraud',
    });
    // One request for the whole word, not one per key.
    expect(
      api.listPipelines.mock.calls.filter(([options]) => options?.q),
    ).toHaveLength(1);
    expect(names()).toEqual(['Fraud scoring']);
    expect(
      screen.queryByRole('button', { name: 'Go to next page' }),
    ).not.toBeInTheDocument();

    // Nothing matches: the table says so and keeps the filter box.
    api.listPipelines.mockResolvedValue({
      items: [],
      totalItems: 0,
      limit: 20,
      offset: 0,
    });
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Filter AI pipelines' }),
      'x',
    );
    expect(
      await screen.findByText('No rows match “Fraud x”.'),
    ).toBeInTheDocument();
  });

  it('sorts on the server by the clicked column, in the order the API answers', async () => {
    const warned = {
      ...pipelines.items[1],
      pipeline: 'aipipeline:default/warned',
      title: 'Warned',
      findings: { error: 0, warning: 5, info: 0 },
    };
    const api = mockApi({
      listPipelines: jest.fn().mockResolvedValue({
        ...pipelines,
        totalItems: 3,
        items: [warned, pipelines.items[0], pipelines.items[1]],
      }),
    });
    renderTable(api);
    await screen.findByText('Support RAG');
    expect(names()).toEqual(['Warned', 'Support RAG', 'Fraud scoring']);

    const gapsHeader = screen.getByRole('columnheader', { name: 'Gaps' });
    api.listPipelines.mockResolvedValue({
      ...pipelines,
      totalItems: 3,
      items: [pipelines.items[0], warned, pipelines.items[1]],
    });
    await userEvent.click(within(gapsHeader).getByRole('button'));
    expect(api.listPipelines).toHaveBeenLastCalledWith({
      limit: 20,
      offset: 0,
      sort: 'errors',
    });
    expect(gapsHeader).toHaveAttribute('aria-sort', 'ascending');
    // The rows are in the order the API answered, not sorted again here.
    await waitFor(() =>
      expect(names()).toEqual(['Support RAG', 'Warned', 'Fraud scoring']),
    );

    await userEvent.click(within(gapsHeader).getByRole('button'));
    expect(api.listPipelines).toHaveBeenLastCalledWith({
      limit: 20,
      offset: 0,
      sort: '-errors',
    });
    expect(gapsHeader).toHaveAttribute('aria-sort', 'descending');

    const keys: Record<string, string> = {
      Pipeline: 'name',
      Owner: 'owner',
      Stages: 'stages',
      Health: 'health',
    };
    for (const [title, key] of Object.entries(keys)) {
      const header = screen.getByRole('columnheader', { name: title });
      await userEvent.click(within(header).getByRole('button'));
      expect(api.listPipelines).toHaveBeenLastCalledWith({
        limit: 20,
        offset: 0,
        sort: key,
      });
    }
    // The route cannot sort by type or lifecycle: no sort button there.
    for (const title of ['Type', 'Lifecycle']) {
      const header = screen.getByRole('columnheader', { name: title });
      expect(within(header).queryByRole('button')).not.toBeInTheDocument();
    }
  });

  it.each(NOT_ENTITY_REFS)(
    'shows a pipeline and an owner %p as text, not links',
    async value => {
      const api = mockApi({
        listPipelines: jest.fn().mockResolvedValue({
          ...pipelines,
          totalItems: 1,
          items: [{ ...pipelines.items[0], pipeline: value, owner: value }],
        }),
      });
      renderInTestApp(
        <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
          <PipelinesTable />
        </TestApiProvider>,
        { mountedRoutes },
      );
      await screen.findByText('Support RAG');
      const row = rowOf('Support RAG');
      const [pipelineCell, ownerCell] = within(row)
        .getAllByTestId('entity-ref-text')
        .map(el => el.closest('td')!);
      expectShownAsText(pipelineCell, value, 'Support RAG');
      expectShownAsText(ownerCell, value);
      expect(within(row).queryByRole('link')).not.toBeInTheDocument();
    },
  );

  it('fetches again on a pipelines signal, keeping the rows until the new ones come', async () => {
    const signals = mockSignalApi();
    const answers: Array<(list: PipelineList) => void> = [];
    const api = mockApi({
      listPipelines: jest.fn(
        () => new Promise<PipelineList>(resolve => answers.push(resolve)),
      ),
    });
    renderInTestApp(
      <TestApiProvider
        apis={[
          [aiPlatformApiRef, api],
          [signalApiRef, signals.api],
        ]}
      >
        <PipelinesTable />
      </TestApiProvider>,
      { mountedRoutes },
    );
    // The first fetch shows the progress bar.
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    await act(async () => answers[0](pipelines));
    expect(within(rowOf('Support RAG')).getByText('degraded')).toBeVisible();
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();

    act(() => signals.emit());
    await waitFor(() => expect(api.listPipelines).toHaveBeenCalledTimes(2));
    // While it refetches, the rows stay and no progress bar replaces them.
    expect(within(rowOf('Support RAG')).getByText('degraded')).toBeVisible();
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();

    await act(async () =>
      answers[1]({
        ...pipelines,
        items: [
          { ...pipelines.items[0], health: 'halted' },
          pipelines.items[1],
        ],
      }),
    );
    expect(within(rowOf('Support RAG')).getByText('halted')).toBeVisible();
    expect(within(rowOf('Fraud scoring')).getByText('healthy')).toBeVisible();
  });

  it('shows the empty state when there are no pipelines', async () => {
    const api = mockApi({
      listPipelines: jest.fn().mockResolvedValue({
        items: [],
        totalItems: 0,
        limit: 20,
        offset: 0,
      }),
    });
    renderTable(api);
    expect(
      await screen.findByText('No AIPipeline entities in the catalog yet.'),
    ).toBeInTheDocument();
    // Nothing to filter.
    expect(screen.queryByRole('searchbox')).not.toBeInTheDocument();
  });

  it('shows a ResponseErrorPanel when the API rejects', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'Catalog is unreachable' },
        response: { statusCode: 503 },
      }),
      {
        status: 503,
        statusText: 'Service Unavailable',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    const api = mockApi({ listPipelines: jest.fn().mockRejectedValue(error) });
    renderTable(api);
    expect(
      (await screen.findAllByText(/Catalog is unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('AI pipelines')).not.toBeInTheDocument();
  });
});
