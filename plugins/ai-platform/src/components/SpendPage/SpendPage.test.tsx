import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  AiPlatformApi,
  SpendQuery,
  aiPlatformApiRef,
} from '../../api/AiPlatformApi';
import {
  appHistoryOf,
  appUrlOf,
  clientAnswering,
  dailySpendFixture,
  forbiddenBody,
  mockAiPlatformApi,
  readBlob,
  spendFixture,
} from '../../testUtils';
import { spendRangeBounds } from '../SpendRangePicker';
import { SpendPage } from './SpendPage';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const DAY_MS = 86_400_000;

const ML_TEAM = 'group:default/ml-team';
const ANSWERS = 'component:default/answers';

/** The key of the one row of a team's breakdown: itself, its service, a model. */
const keyOf = (query: SpendQuery) => {
  if (query.groupBy === 'service') return ANSWERS;
  if (query.groupBy === 'model') return 'gpt-4o';
  return query.team!;
};

function mockApi(overrides: Partial<jest.Mocked<AiPlatformApi>> = {}) {
  return mockAiPlatformApi({
    getSpend: jest.fn(async (query: SpendQuery) =>
      query.team
        ? spendFixture({
            items: [
              {
                key: keyOf(query),
                costUsd: 900,
                inputTokens: 1,
                outputTokens: 1,
                requests: 1,
              },
            ],
            unattributed: { costUsd: 0, requests: 0, items: [] },
          })
        : spendFixture(),
    ),
    getDailySpend: jest.fn().mockResolvedValue(dailySpendFixture()),
    getUnpricedModels: jest.fn().mockResolvedValue({
      items: [{ model: 'in-house-llm', provider: null, requests: 5 }],
    }),
    ...overrides,
  });
}

/** The spend page at `/ai-platform/spend` with `search` as its query string. */
function renderPage(api: AiPlatformApi, search = '') {
  return renderInTestApp(<SpendPage />, {
    apis: [[aiPlatformApiRef, api]],
    mountedRoutes,
    mountPath: '/ai-platform/spend',
    initialRouteEntries: [`/ai-platform/spend${search}`],
  });
}

describe('SpendPage', () => {
  it('shows totals, shadow AI, unpriced models, the trend and the teams ranked, for this month', async () => {
    const api = mockApi();
    renderPage(api);

    const table = await screen.findByRole('table', {
      name: 'Teams ranked by cost',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => within(r).getAllByRole('cell')[1].textContent),
    ).toEqual(['ml-team', 'search', '(no owning team)']);

    // This month (UTC), for every request.
    const { from } = spendRangeBounds('month');
    expect(api.getSpend).toHaveBeenCalledTimes(1);
    const query = api.getSpend.mock.calls[0][0];
    expect(query).toEqual({ from, to: expect.any(String), groupBy: 'team' });
    expect(api.getDailySpend).toHaveBeenCalledWith({
      from,
      to: query.to,
      groupBy: 'model',
    });
    expect(api.getUnpricedModels).toHaveBeenCalledWith({ from, to: query.to });

    expect(
      within(screen.getByRole('group', { name: 'Unattributed' })).getByText(
        '16.7 % of spend, 900 requests',
      ),
    ).toBeInTheDocument();
    const shadow = screen.getByRole('region', {
      name: 'Unattributed usage (shadow AI)',
    });
    expect(within(shadow).getByText('prod-key-7')).toBeInTheDocument();
    expect(within(shadow).getByText('team-42')).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'unpriced models' }),
    ).toHaveTextContent('in-house-llm');
    expect(
      within(await screen.findByRole('list', { name: 'models' }))
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'gpt-4o $30.00',
      'claude-3.5-sonnet $5.00',
      'gpt-4.1-mini $3.00',
    ]);
  });

  it('asks again over 90 days when the range changes', async () => {
    const api = mockApi();
    renderPage(api);
    await screen.findByRole('table', { name: 'Teams ranked by cost' });

    await userEvent.click(screen.getByRole('button', { name: 'last 90 days' }));
    await screen.findByRole('table', { name: 'Teams ranked by cost' });

    expect(api.getSpend).toHaveBeenCalledTimes(2);
    const { from, to } = api.getSpend.mock.calls[1][0];
    expect(Date.parse(to) - Date.parse(from)).toBe(90 * DAY_MS);
    expect(api.getDailySpend).toHaveBeenLastCalledWith({
      from,
      to,
      groupBy: 'model',
    });
    expect(api.getUnpricedModels).toHaveBeenLastCalledWith({ from, to });
  });

  it('narrows the trend to the team drilled into, with its sub-teams', async () => {
    const api = mockApi();
    renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Drill into ml-team' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toBeInTheDocument();
    const { from, to } = api.getSpend.mock.calls[0][0];
    expect(api.getDailySpend).toHaveBeenLastCalledWith({
      from,
      to,
      groupBy: 'model',
      team: 'group:default/ml-team',
      includeSubteams: true,
    });
    expect(screen.getByText('ml-team and its sub-teams')).toBeInTheDocument();

    await userEvent.click(
      within(
        screen.getByRole('navigation', { name: 'spend drill-down' }),
      ).getByRole('button', { name: 'All teams' }),
    );
    expect(api.getDailySpend).toHaveBeenLastCalledWith({
      from,
      to,
      groupBy: 'model',
    });
  });

  it('exports the ranked teams as CSV', async () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:teams');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    try {
      renderPage(mockApi());
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Export teams ranked by cost as CSV',
        }),
      );

      expect(click).toHaveBeenCalledTimes(1);
      const csv = await readBlob(createObjectURL.mock.calls[0][0]);
      expect(csv.split('\r\n')).toEqual([
        'rank,team,cost_usd,requests,input_tokens,output_tokens,unpriced_requests',
        '1,group:default/ml-team,900,12000,12000000,3400000,5',
        '2,group:default/search,300,4000,2000000,500000,0',
        '3,(none),50,300,100000,20000,0',
        '',
      ]);
    } finally {
      click.mockRestore();
    }
  });

  it('shows a not-allowed panel when spend is forbidden, and the rest of the page', async () => {
    const forbidden = Object.assign(new Error('Request failed with 403'), {
      name: 'ResponseError',
      statusCode: 403,
    });
    const api = mockApi({ getSpend: jest.fn().mockRejectedValue(forbidden) });
    renderPage(api);

    expect(
      await screen.findByText('AI spend: not allowed'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Teams ranked by cost' }),
    ).not.toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'unpriced models' }),
    ).toBeInTheDocument();
  });

  it('shows the errors of the trend and the unpriced models', async () => {
    const api = mockApi({
      getDailySpend: jest.fn().mockRejectedValue(new Error('rollup broken')),
      getUnpricedModels: jest
        .fn()
        .mockRejectedValue(new Error('price table gone')),
    });
    renderPage(api);

    expect(
      (await screen.findAllByText(/rollup broken/)).length,
    ).toBeGreaterThan(0);
    expect(
      (await screen.findAllByText(/price table gone/)).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByRole('table', { name: 'Teams ranked by cost' }),
    ).toBeInTheDocument();
  });

  it.each([
    ['/spend/daily', 'Daily spend: not allowed'],
    ['/spend/unpriced', 'Unpriced models: not allowed'],
    ['/spend?', 'AI spend: not allowed'],
  ])(
    'shows a not-allowed panel when %s answers 403, and the rest of the page',
    async (forbiddenPath, title) => {
      const client = clientAnswering(path => {
        if (path.startsWith(forbiddenPath)) {
          return { status: 403, body: forbiddenBody() };
        }
        if (path.startsWith('/spend/daily')) {
          return { status: 200, body: dailySpendFixture() };
        }
        if (path.startsWith('/spend/unpriced')) {
          return { status: 200, body: { items: [] } };
        }
        return { status: 200, body: spendFixture() };
      });
      const { container } = renderPage(client);

      expect(await screen.findByText(title)).toBeInTheDocument();
      expect(screen.getAllByText(/: not allowed$/)).toHaveLength(1);
      expect(
        screen.getByText(/You are not allowed to see this spend/),
      ).toBeInTheDocument();
      // An expected answer: no error panel, no message of the backend.
      expect(
        container.querySelector('[class*="BackstageWarningPanel"]'),
      ).toBeNull();
      expect(
        screen.queryByText(/Not allowed to read this spend/),
      ).not.toBeInTheDocument();
      expect(screen.getByText('Daily spend by model')).toBeInTheDocument();
    },
  );

  it('shows only not-allowed panels when every spend route answers 403', async () => {
    const client = clientAnswering(() => ({
      status: 403,
      body: forbiddenBody(),
    }));
    const { container } = renderPage(client);

    for (const title of [
      'AI spend: not allowed',
      'Daily spend: not allowed',
      'Unpriced models: not allowed',
    ]) {
      expect(await screen.findByText(title)).toBeInTheDocument();
    }
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /CSV/ })).toBeNull();
    expect(
      container.querySelector('[class*="BackstageWarningPanel"]'),
    ).toBeNull();
  });
});

/** The labels of the spend drill-down's breadcrumb. */
const crumbs = () =>
  within(screen.getByRole('navigation', { name: 'spend drill-down' }))
    .getAllByRole('listitem')
    .map(li => li.textContent);

const pressed = (name: string) =>
  expect(screen.getByRole('button', { name })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

/** The span of the range of the last request of the teams ranked, in days. */
const lastRangeDays = (api: jest.Mocked<AiPlatformApi>) => {
  const { from, to } = api.getSpend.mock.calls.at(-1)![0];
  return (Date.parse(to) - Date.parse(from)) / DAY_MS;
};

describe('SpendPage in the URL', () => {
  // Many clicks and renders per test: slow on a loaded 2-core CI machine
  // (the 5 s default timed out once there), though nothing here is timed.
  jest.setTimeout(30_000);

  it('opens the range and the team of a shared link', async () => {
    const api = mockApi();
    renderPage(api, `?range=90d&team=${ML_TEAM}`);

    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toBeInTheDocument();
    pressed('last 90 days');
    expect(crumbs()).toEqual(['All teams', 'ml-team']);
    await screen.findByRole('table', { name: 'Services' });
    for (const groupBy of ['team', 'service'] as const) {
      expect(api.getSpend).toHaveBeenCalledWith(
        expect.objectContaining({ groupBy, team: ML_TEAM }),
      );
    }
    const { from, to } = api.getSpend.mock.calls[0][0];
    expect(Date.parse(to) - Date.parse(from)).toBe(90 * DAY_MS);
    expect(api.getDailySpend).toHaveBeenCalledWith({
      from,
      to,
      groupBy: 'model',
      team: ML_TEAM,
      includeSubteams: true,
    });
  });

  it('opens a service of a sub-team with the breadcrumb of the link', async () => {
    const api = mockApi();
    const rendered = renderPage(
      api,
      `?team=group:default/ml-search&service=${ANSWERS}&path=${ML_TEAM}`,
    );

    expect(
      await screen.findByRole('heading', { name: 'Service answers' }),
    ).toBeInTheDocument();
    pressed('this month (UTC)');
    expect(crumbs()).toEqual(['All teams', 'ml-team', 'ml-search', 'answers']);
    expect(
      await screen.findByRole('table', { name: 'Models of ml-search' }),
    ).toBeInTheDocument();
    expect(api.getSpend).toHaveBeenLastCalledWith(
      expect.objectContaining({
        groupBy: 'model',
        team: 'group:default/ml-search',
      }),
    );
    // A link of the canonical form stays as it is.
    expect(appUrlOf(rendered)).toBe(
      `/ai-platform/spend?team=group:default/ml-search&service=${ANSWERS}&path=${ML_TEAM}`,
    );
  });

  it.each([
    ['an unknown range and a team that is no Group', '?range=7d&team=ml-team'],
    ['a service without a team', `?service=${ANSWERS}`],
    ['markup', '?range=%3Cb%3E&team=%3Cscript%3Ex%3C%2Fscript%3E'],
  ])(
    'shows this month and all teams for %s, and drops them from the URL without a history entry',
    async (_what, search) => {
      const api = mockApi();
      const rendered = renderPage(api, search);
      const history = appHistoryOf(rendered);

      expect(
        await screen.findByRole('table', { name: 'Teams ranked by cost' }),
      ).toBeInTheDocument();
      expect(screen.getByRole('heading', { name: 'All teams' })).toBeVisible();
      pressed('this month (UTC)');
      expect(api.getSpend).toHaveBeenCalledWith({
        from: spendRangeBounds('month').from,
        to: expect.any(String),
        groupBy: 'team',
      });
      expect(api.getSpend).not.toHaveBeenCalledWith(
        expect.objectContaining({ team: expect.anything() }),
      );
      await waitFor(() =>
        expect(appUrlOf(rendered)).toBe('/ai-platform/spend'),
      );
      expect(history.getSnapshot().action).toBe('REPLACE');
      expect(history.getSnapshot().entry?.index).toBe(0);
    },
  );

  it('keeps a valid range and team next to an invalid path and service', async () => {
    const rendered = renderPage(
      mockApi(),
      `?range=30d&team=${ML_TEAM}&path=oops&service=nope`,
    );
    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toBeInTheDocument();
    expect(crumbs()).toEqual(['All teams', 'ml-team']);
    pressed('last 30 days');
    await waitFor(() =>
      expect(appUrlOf(rendered)).toBe(
        `/ai-platform/spend?range=30d&team=${ML_TEAM}`,
      ),
    );
  });

  it('adds a history entry per range change and drill-down, and the back button walks back through them', async () => {
    const api = mockApi();
    const rendered = renderPage(api);
    const history = appHistoryOf(rendered);
    const back = async () => {
      await act(async () => history.navigate(-1));
    };

    await userEvent.click(
      await screen.findByRole('button', { name: 'last 30 days' }),
    );
    expect(appUrlOf(rendered)).toBe('/ai-platform/spend?range=30d');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Drill into ml-team' }),
    );
    expect(appUrlOf(rendered)).toBe(
      `/ai-platform/spend?range=30d&team=${ML_TEAM}`,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Drill into answers' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'Service answers' }),
    ).toBeInTheDocument();
    expect(appUrlOf(rendered)).toBe(
      `/ai-platform/spend?range=30d&team=${ML_TEAM}&service=${ANSWERS}`,
    );
    await userEvent.click(
      within(
        screen.getByRole('navigation', { name: 'spend drill-down' }),
      ).getByRole('button', { name: 'All teams' }),
    );
    expect(appUrlOf(rendered)).toBe('/ai-platform/spend?range=30d');
    expect(history.getSnapshot().entry?.index).toBe(4);

    // Back: the service, the team, the top over 30 days, this month.
    await back();
    expect(
      await screen.findByRole('heading', { name: 'Service answers' }),
    ).toBeInTheDocument();
    expect(crumbs()).toEqual(['All teams', 'ml-team', 'answers']);
    await back();
    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toBeInTheDocument();
    expect(appUrlOf(rendered)).toBe(
      `/ai-platform/spend?range=30d&team=${ML_TEAM}`,
    );
    await back();
    expect(
      await screen.findByRole('heading', { name: 'All teams' }),
    ).toBeInTheDocument();
    pressed('last 30 days');
    await back();
    await waitFor(() => pressed('this month (UTC)'));
    expect(appUrlOf(rendered)).toBe('/ai-platform/spend');
    await waitFor(() => expect(lastRangeDays(api)).toBeLessThan(32));

    // And forward again.
    await act(async () => history.navigate(1));
    await waitFor(() => pressed('last 30 days'));
    await waitFor(() => expect(lastRangeDays(api)).toBe(30));
  });

  it('does not add a history entry for the range already shown', async () => {
    const rendered = renderPage(mockApi(), '?range=90d');
    const history = appHistoryOf(rendered);
    await screen.findByRole('table', { name: 'Teams ranked by cost' });
    await userEvent.click(screen.getByRole('button', { name: 'last 90 days' }));
    expect(history.getSnapshot().entry?.index).toBe(0);
    expect(appUrlOf(rendered)).toBe('/ai-platform/spend?range=90d');
  });
});
