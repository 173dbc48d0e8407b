import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  SpendItem,
  SpendResponse,
} from '@aiplatform/plugin-ai-platform-common';
import { useState } from 'react';
import {
  AiPlatformApi,
  SpendQuery,
  aiPlatformApiRef,
} from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  mockAiPlatformApi,
  readBlob,
  spendFixture,
} from '../../testUtils';
import { DrillStep } from './path';
import { SpendDrilldown } from './SpendDrilldown';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const RANGE = {
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-03-31T00:00:00.000Z',
};

const item = (key: string, costUsd: number): SpendItem => ({
  key,
  costUsd,
  inputTokens: 1000,
  outputTokens: 100,
  requests: 10,
});

const response = (items: SpendItem[]): SpendResponse => ({
  currency: 'USD',
  total: items.reduce((sum, i) => sum + i.costUsd, 0),
  items,
  unattributed: { costUsd: 0, requests: 0, items: [] },
});

/** The backend: ml-team has the sub-teams ml-search and ml-infra. */
function spendBackend(query: SpendQuery): Promise<SpendResponse> {
  const { groupBy, team } = query;
  if (groupBy === 'team' && team === 'group:default/ml-team') {
    return Promise.resolve(
      response([
        item('group:default/ml-team', 500),
        item('group:default/ml-infra', 100),
        item('group:default/ml-search', 300),
      ]),
    );
  }
  if (groupBy === 'team' && team === 'group:default/ml-search') {
    return Promise.resolve(response([item('group:default/ml-search', 300)]));
  }
  if (groupBy === 'service' && team === 'group:default/ml-team') {
    return Promise.resolve(
      response([
        item('component:default/answers', 400),
        item('component:default/summarizer', 100),
      ]),
    );
  }
  if (groupBy === 'service' && team === 'group:default/ml-search') {
    return Promise.resolve(response([item('component:default/ranker', 300)]));
  }
  if (groupBy === 'model') {
    return Promise.resolve(
      response([item('gpt-4o-mini', 50), item('gpt-4o', 250)]),
    );
  }
  return Promise.reject(new Error(`unexpected ${JSON.stringify(query)}`));
}

function Harness(props: { initialPath?: DrillStep[] }) {
  const [path, setPath] = useState<DrillStep[]>(props.initialPath ?? []);
  return (
    <SpendDrilldown
      range={RANGE}
      teams={spendFixture().items}
      path={path}
      onPathChange={setPath}
      csvSuffix="2025-03-01-2025-03-31"
    />
  );
}

function renderDrilldown(api: AiPlatformApi, initialPath?: DrillStep[]) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <Harness initialPath={initialPath} />
    </TestApiProvider>,
    { mountedRoutes },
  );
}

const keysOf = (tableName: string) =>
  within(screen.getByRole('table', { name: tableName }))
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[1].textContent);

const crumbs = () =>
  within(screen.getByRole('navigation', { name: 'spend drill-down' }))
    .getAllByRole('listitem')
    .map(li => li.textContent);

describe('SpendDrilldown', () => {
  it('ranks all teams by cost at the top, without asking the backend again', async () => {
    const api = mockAiPlatformApi({ getSpend: jest.fn(spendBackend) });
    renderDrilldown(api);

    expect(screen.getByRole('heading', { name: 'All teams' })).toBeVisible();
    expect(keysOf('Teams ranked by cost')).toEqual([
      'ml-team',
      'search',
      '(no owning team)',
    ]);
    expect(crumbs()).toEqual(['All teams']);
    expect(api.getSpend).not.toHaveBeenCalled();
  });

  it('drills team → sub-team → service → models with the right queries, and back by the breadcrumb', async () => {
    const api = mockAiPlatformApi({ getSpend: jest.fn(spendBackend) });
    renderDrilldown(api);

    // Team: sub-teams (includeSubteams) and services (own only).
    await userEvent.click(
      screen.getByRole('button', { name: 'Drill into ml-team' }),
    );
    expect(
      await screen.findByRole('table', { name: 'Sub-teams' }),
    ).toBeInTheDocument();
    expect(api.getSpend).toHaveBeenCalledWith({
      ...RANGE,
      groupBy: 'team',
      team: 'group:default/ml-team',
      includeSubteams: true,
    });
    expect(api.getSpend).toHaveBeenCalledWith({
      ...RANGE,
      groupBy: 'service',
      team: 'group:default/ml-team',
      includeSubteams: false,
    });
    // The selected team is not its own sub-team.
    expect(keysOf('Sub-teams')).toEqual(['ml-search', 'ml-infra']);
    expect(
      await screen.findByRole('table', { name: 'Services' }),
    ).toBeVisible();
    expect(keysOf('Services')).toEqual(['answers', 'summarizer']);
    expect(screen.getByText('$500.00')).toBeInTheDocument(); // own spend
    expect(screen.getByText('$900.00')).toBeInTheDocument(); // with sub-teams
    expect(crumbs()).toEqual(['All teams', 'ml-team']);
    expect(screen.getByRole('heading', { name: 'Team ml-team' })).toHaveFocus();

    // Sub-team, by keyboard.
    act(() =>
      screen.getByRole('button', { name: 'Drill into ml-search' }).focus(),
    );
    await userEvent.keyboard('{Enter}');
    expect(
      await screen.findByRole('heading', { name: 'Team ml-search' }),
    ).toHaveFocus();
    expect(api.getSpend).toHaveBeenCalledWith({
      ...RANGE,
      groupBy: 'team',
      team: 'group:default/ml-search',
      includeSubteams: true,
    });
    expect(
      await screen.findByText(
        'No sub-team of ml-search spent anything in this range.',
      ),
    ).toBeInTheDocument();
    expect(crumbs()).toEqual(['All teams', 'ml-team', 'ml-search']);

    // Service: the models of its team.
    await userEvent.click(
      await screen.findByRole('button', { name: 'Drill into ranker' }),
    );
    expect(
      await screen.findByRole('table', { name: 'Models of ml-search' }),
    ).toBeInTheDocument();
    expect(api.getSpend).toHaveBeenLastCalledWith({
      ...RANGE,
      groupBy: 'model',
      team: 'group:default/ml-search',
      includeSubteams: false,
    });
    expect(keysOf('Models of ml-search')).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(screen.getByText(/not per service/)).toBeInTheDocument();
    expect(crumbs()).toEqual(['All teams', 'ml-team', 'ml-search', 'ranker']);
    expect(
      screen.getByRole('link', { name: 'ranker in the catalog' }),
    ).toHaveAttribute('href', '/catalog/default/component/ranker');

    // Back to ml-team, then to the top.
    const nav = screen.getByRole('navigation', { name: 'spend drill-down' });
    await userEvent.click(within(nav).getByRole('button', { name: 'ml-team' }));
    expect(
      await screen.findByRole('heading', { name: 'Team ml-team' }),
    ).toHaveFocus();
    expect(
      await screen.findByRole('table', { name: 'Sub-teams' }),
    ).toBeInTheDocument();
    expect(crumbs()).toEqual(['All teams', 'ml-team']);

    await userEvent.click(
      within(
        screen.getByRole('navigation', { name: 'spend drill-down' }),
      ).getByRole('button', { name: 'All teams' }),
    );
    expect(screen.getByRole('heading', { name: 'All teams' })).toHaveFocus();
    expect(keysOf('Teams ranked by cost')).toEqual([
      'ml-team',
      'search',
      '(no owning team)',
    ]);
  });

  it('shows a not-allowed panel for a team the user may not see, and the rest', async () => {
    const forbidden = Object.assign(new Error('Request failed with 403'), {
      name: 'ResponseError',
      statusCode: 403,
    });
    const api = mockAiPlatformApi({
      getSpend: jest.fn((query: SpendQuery) =>
        query.groupBy === 'team'
          ? Promise.reject(forbidden)
          : spendBackend(query),
      ),
    });
    renderDrilldown(api, [{ kind: 'team', ref: 'group:default/ml-team' }]);

    expect(
      await screen.findByText('Sub-teams: not allowed'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Services' }),
    ).toBeInTheDocument();
  });

  it('shows the error when the models cannot be fetched', async () => {
    const api = mockAiPlatformApi({
      getSpend: jest.fn().mockRejectedValue(new Error('usage store down')),
    });
    renderDrilldown(api, [
      { kind: 'team', ref: 'group:default/ml-team' },
      {
        kind: 'service',
        ref: 'component:default/answers',
        team: 'group:default/ml-team',
      },
    ]);

    expect(
      (await screen.findAllByText(/usage store down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    // The first render does not steal the focus.
    expect(
      screen.getByRole('heading', { name: 'Service answers' }),
    ).not.toHaveFocus();
  });

  it.each(NOT_ENTITY_REFS.filter(Boolean))(
    'drills into a team and a service keyed %p without links to the catalog',
    async value => {
      const api = mockAiPlatformApi({
        getSpend: jest.fn(async (query: SpendQuery) =>
          response(
            query.groupBy === 'model'
              ? [item('gpt-4o', 10)]
              : [item(value, 20), item(`${value}-2`, 10)],
          ),
        ),
      });
      const { container } = renderDrilldown(api, [
        { kind: 'team', ref: value },
      ]);
      expect(
        await screen.findByRole('table', { name: 'Services' }),
      ).toBeInTheDocument();
      expect(screen.getByRole('table', { name: 'Sub-teams' })).toBeVisible();
      expect(screen.queryByText(/in the catalog/)).not.toBeInTheDocument();
      expect(container.querySelector('a[href]')).toBeNull();
      expect(container.querySelector('script')).toBeNull();

      // On to a service keyed the same way.
      await userEvent.click(
        within(screen.getByRole('table', { name: 'Services' })).getAllByRole(
          'button',
        )[0],
      );
      expect(
        await screen.findByRole('table', { name: /^Models of / }),
      ).toBeInTheDocument();
      expect(screen.queryByText(/in the catalog/)).not.toBeInTheDocument();
      expect(container.querySelector('a[href]')).toBeNull();
    },
  );

  it('links a team and a service that are entity refs to the catalog', async () => {
    const api = mockAiPlatformApi({ getSpend: jest.fn(spendBackend) });
    renderDrilldown(api, [{ kind: 'team', ref: 'group:default/ml-team' }]);
    expect(
      await screen.findByRole('link', { name: 'ml-team in the catalog' }),
    ).toHaveAttribute('href', '/catalog/default/group/ml-team');
  });

  it('exports exactly the rows each table of a team shows, in its order', async () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:spend');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    try {
      const api = mockAiPlatformApi({ getSpend: jest.fn(spendBackend) });
      renderDrilldown(api, [{ kind: 'team', ref: 'group:default/ml-team' }]);
      for (const [index, table] of ['Sub-teams', 'Services'].entries()) {
        const shown = within(await screen.findByRole('table', { name: table }))
          .getAllByRole('row')
          .slice(1)
          .map(row => row.querySelector('[title]')!.getAttribute('title'));
        await userEvent.click(
          screen.getByRole('button', {
            name: `Export ${table.toLocaleLowerCase('en-US')} as CSV`,
          }),
        );
        const csv = await readBlob(createObjectURL.mock.calls[index][0]);
        const keys = csv
          .trim()
          .split('\r\n')
          .slice(1)
          .map(line => line.split(',')[1]);
        expect(keys).toEqual(shown);
      }
      // The team's own spend is not a sub-team row, nor in its CSV.
      const subteamsCsv = await readBlob(createObjectURL.mock.calls[0][0]);
      expect(subteamsCsv).not.toContain('group:default/ml-team,');
      expect(subteamsCsv.trim().split('\r\n')).toHaveLength(3);
    } finally {
      click.mockRestore();
    }
  });
});
