import { screen, within } from '@testing-library/react';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import {
  BudgetStatus,
  SpendBudgetResponse,
} from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  clientAnswering,
  forbiddenBody,
  mockAiPlatformApi,
} from '../../testUtils';
import { EntitySpendCard, budgetProgress } from './EntitySpendCard';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ml-team' },
  spec: { type: 'team', children: [] },
};

const pipeline: Entity = {
  apiVersion: 'ai-platform.io/v1alpha1',
  kind: 'AIPipeline',
  metadata: { name: 'support-rag', namespace: 'support' },
  spec: {},
};

function withBudget(
  status: BudgetStatus,
  monthToDateUsd: number,
  forecastUsd: number,
): SpendBudgetResponse {
  return {
    entityRef: 'group:default/ml-team',
    budget: {
      month: '2025-03',
      budgetUsd: 1000,
      monthToDateUsd,
      forecastUsd,
      status,
    },
    monthToDateUsd,
    forecastUsd,
  };
}

function renderCard(api: AiPlatformApi, entity: Entity = group) {
  return renderInTestApp(
    <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntitySpendCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const figure = (label: string) =>
  within(screen.getByRole('group', { name: label })).getByText(/\$/)
    .textContent;

describe('EntitySpendCard', () => {
  it.each([
    ['ok', 400, '$400.00', 900, 'OK', 'Success', 40],
    [
      'forecast-over',
      600,
      '$600.00',
      1300,
      'Forecast over budget',
      'Warning',
      60,
    ],
    ['over', 1250, '$1.3k', 1800, 'Over budget', 'Error', 100],
  ] as const)(
    'shows month to date against the budget with the forecast: %s',
    async (status, mtd, mtdText, forecast, label, color, progress) => {
      const api = mockAiPlatformApi({
        getSpendBudget: jest
          .fn()
          .mockResolvedValue(withBudget(status, mtd, forecast)),
      });
      renderCard(api);

      const chip = await screen.findByTestId('budget-status');
      expect(chip).toHaveTextContent(label);
      expect(chip.className).toMatch(new RegExp(`MuiChip-color${color}`));
      expect(api.getSpendBudget).toHaveBeenCalledWith('group:default/ml-team');
      expect(figure('Month to date')).toBe(mtdText);
      expect(figure('Budget')).toBe('$1k');
      expect(
        screen.getByRole('progressbar', {
          name: 'month-to-date spend against budget',
        }),
      ).toHaveAttribute('aria-valuenow', String(progress));
      expect(
        screen.getByText('This month (UTC), this team and its sub-teams'),
      ).toBeInTheDocument();
      expect(screen.queryByTestId('no-budget')).not.toBeInTheDocument();
    },
  );

  it('says how a group sets a budget when it has none', async () => {
    const api = mockAiPlatformApi({
      getSpendBudget: jest.fn().mockResolvedValue({
        entityRef: 'group:default/ml-team',
        budget: null,
        monthToDateUsd: 0,
        forecastUsd: 0,
      }),
    });
    renderCard(api);

    expect(await screen.findByTestId('no-budget')).toHaveTextContent(
      'No budget set. Set the ai-platform.io/monthly-budget-usd annotation on the group to track one.',
    );
    expect(figure('Month to date')).toBe('$0.00');
  });

  it('shows the forecast and its share of the budget', async () => {
    const api = mockAiPlatformApi({
      getSpendBudget: jest
        .fn()
        .mockResolvedValue(withBudget('forecast-over', 600, 1300)),
    });
    renderCard(api);

    await screen.findByTestId('budget-status');
    expect(figure('Month-end forecast')).toBe('$1.3k');
    expect(
      screen.getByText(
        '60 % of the 2025-03 budget spent; the forecast is 130 %.',
      ),
    ).toBeInTheDocument();
  });

  it('says "no budget set" and still shows month to date and forecast', async () => {
    const api = mockAiPlatformApi({
      getSpendBudget: jest.fn().mockResolvedValue({
        entityRef: 'aipipeline:support/support-rag',
        budget: null,
        monthToDateUsd: 12.5,
        forecastUsd: 40.25,
      }),
    });
    renderCard(api, pipeline);

    expect(await screen.findByTestId('no-budget')).toHaveTextContent(
      'No budget set. Set spec.budget.monthlyUsd on the pipeline to track one.',
    );
    expect(api.getSpendBudget).toHaveBeenCalledWith(
      'aipipeline:support/support-rag',
    );
    expect(figure('Month to date')).toBe('$12.50');
    expect(figure('Month-end forecast')).toBe('$40.25');
    expect(
      screen.queryByRole('group', { name: 'Budget' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.queryByTestId('budget-status')).not.toBeInTheDocument();
    expect(screen.getByText('This month (UTC)')).toBeInTheDocument();
  });

  it.each([
    ['group', group],
    ['pipeline', pipeline],
  ])(
    'says "not allowed" on a %s the user may not read the spend of (403)',
    async (_kind, entity) => {
      const paths: string[] = [];
      const client = clientAnswering(path => {
        paths.push(path);
        return { status: 403, body: forbiddenBody() };
      });
      const { container } = renderCard(client, entity);

      expect(await screen.findByText('Not allowed')).toBeInTheDocument();
      expect(
        screen.getByText(/You are not allowed to see this spend/),
      ).toBeInTheDocument();
      expect(paths).toHaveLength(1);
      expect(paths[0]).toMatch(/^\/spend\/budget\?entityRef=/);
      expect(screen.queryByText('Month to date')).not.toBeInTheDocument();
      expect(
        container.querySelector('[class*="BackstageWarningPanel"]'),
      ).toBeNull();
    },
  );

  it('shows the error when the budget cannot be fetched', async () => {
    const api = mockAiPlatformApi({
      getSpendBudget: jest.fn().mockRejectedValue(new Error('budget gone')),
    });
    renderCard(api);

    expect((await screen.findAllByText(/budget gone/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByTestId('no-budget')).not.toBeInTheDocument();
  });
});

describe('budgetProgress', () => {
  it('is the share of the budget spent, capped at 100', () => {
    expect(budgetProgress(250, 1000)).toBe(25);
    expect(budgetProgress(2000, 1000)).toBe(100);
    expect(budgetProgress(0, 0)).toBe(0);
    expect(budgetProgress(5, 0)).toBe(100);
  });
});
