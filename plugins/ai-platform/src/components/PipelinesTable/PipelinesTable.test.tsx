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

function rowOf(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  expect(row).not.toBeNull();
  return row as HTMLElement;
}

describe('PipelinesTable', () => {
  it('renders one row per pipeline with link, owner, stages, gaps and health', async () => {
    const api = mockApi();
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <PipelinesTable />
      </TestApiProvider>,
      { mountedRoutes },
    );

    expect(await screen.findByText('Support RAG')).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenCalledTimes(1);

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

  it('sorts by gaps, errors before warnings, when the header is clicked', async () => {
    const warnings = {
      ...pipelines.items[1],
      pipeline: 'aipipeline:default/warned',
      title: 'Warned',
      findings: { error: 0, warning: 5, info: 0 },
    };
    const api = mockApi({
      listPipelines: jest.fn().mockResolvedValue({
        items: [warnings, pipelines.items[0], pipelines.items[1]],
      }),
    });
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <PipelinesTable />
      </TestApiProvider>,
      { mountedRoutes },
    );
    await screen.findByText('Support RAG');
    const order = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map(r => within(r).getAllByRole('cell')[0].textContent);
    // The API's order until a header is clicked.
    expect(order()).toEqual(['Warned', 'Support RAG', 'Fraud scoring']);

    // 2 errors and a warning weigh more than 5 warnings.
    const gapsHeader = screen.getByRole('columnheader', { name: 'Gaps' });
    await userEvent.click(within(gapsHeader).getByRole('button'));
    expect(order()).toEqual(['Fraud scoring', 'Warned', 'Support RAG']);
    await userEvent.click(within(gapsHeader).getByRole('button'));
    expect(order()).toEqual(['Support RAG', 'Warned', 'Fraud scoring']);
  });

  it.each(NOT_ENTITY_REFS)(
    'shows a pipeline and an owner %p as text, not links',
    async value => {
      const api = mockApi({
        listPipelines: jest.fn().mockResolvedValue({
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
      listPipelines: jest.fn().mockResolvedValue({ items: [] }),
    });
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <PipelinesTable />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(
      await screen.findByText('No AIPipeline entities in the catalog yet.'),
    ).toBeInTheDocument();
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
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <PipelinesTable />
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(
      (await screen.findAllByText(/Catalog is unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('AI pipelines')).not.toBeInTheDocument();
  });
});
