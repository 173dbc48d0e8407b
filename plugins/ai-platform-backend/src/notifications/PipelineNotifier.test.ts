import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  AIPipelineEntityV1alpha1,
  SloReport,
} from '@aiplatform/plugin-ai-platform-common';
import { orgFixture } from '../__testUtils__/orgFixture';
import { OwnershipService } from '../ownership/OwnershipService';
import { PipelineNotifier } from './PipelineNotifier';

function setup(options: { failSend?: boolean } = {}) {
  const sent: NotificationSendOptions[] = [];
  const logger = mockServices.logger.mock();
  const entities = orgFixture();
  const notifier = new PipelineNotifier({
    notifications: {
      send: async n => {
        if (options.failSend) throw new Error('notifications backend is down');
        sent.push(n);
      },
    },
    ownership: {
      getPipelineOwnership: async () => ({
        pipeline: 'aipipeline:default/search-rag',
        owner: 'group:default/ml-team',
        stages: [
          { name: 'ingest', owner: 'group:default/data-team' },
          { name: 'serve', owner: 'group:default/ml-team' },
          { name: 'index', owner: 'group:default/web-team' },
        ],
        edges: [],
        findings: [],
        consumers: [],
      }),
    } as unknown as OwnershipService,
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger,
  });
  const pipeline = entities.find(
    e => e.metadata.name === 'search-rag',
  ) as AIPipelineEntityV1alpha1;
  return { notifier, sent, logger, pipeline };
}

const breached: SloReport = {
  name: 'answer-quality',
  signal: 'quality',
  stage: null,
  objective: { op: '>=', threshold: 0.8 },
  target: 0.99,
  window: '28d',
  status: 'at-risk',
  attainment: 0.995,
  errorBudgetRemaining: 0.5,
  burnRates: [
    {
      long: '1h',
      short: '5m',
      threshold: 14.4,
      severity: 'page',
      longRate: 20.1,
      shortRate: 30,
      firing: true,
    },
  ],
};

describe('PipelineNotifier', () => {
  it('sends a page-level burn-rate alert to the pipeline owner and the suspect stage owner only', async () => {
    const { notifier, sent, pipeline } = setup();
    await notifier.sloAlert(pipeline, breached, 'page', {
      stage: 'index',
      signal: 'quality',
      reason: 'quality fell from 0.9 to 0.5',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/ml-team', 'group:default/web-team'],
    });
    expect(sent[0].payload).toMatchObject({
      title: 'search-rag: SLO answer-quality burns its error budget',
      severity: 'high',
      scope: 'ai-platform:slo:aipipeline:default/search-rag:answer-quality',
      link: '/catalog/default/aipipeline/search-rag/dashboard',
    });
    expect(sent[0].payload.description).toContain(
      '20.1× too fast over 1h and 5m',
    );
    expect(sent[0].payload.description).toContain(
      'Suspect stage index: quality fell from 0.9 to 0.5.',
    );
  });

  it("sends a budget crossing to the team and its parent's own members, linking the Spend page", async () => {
    const { notifier, sent } = setup();
    await notifier.budgetCrossed('group:default/ml-team', 'budget.exceeded', {
      month: '2026-12',
      budgetUsd: 100,
      monthToDateUsd: 123.456,
      forecastUsd: 300,
      status: 'over',
    });
    // ml-team's parent is ml-platform, whose own member is alice; its other
    // sub-team (data-team) is not told.
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/ml-team', 'user:default/alice'],
    });
    expect(sent[0].payload).toMatchObject({
      title: 'ml-team is over its 2026-12 budget',
      description: 'Spent $123.46 of $100.',
      link: '/ai-platform/spend?team=group%3Adefault%2Fml-team',
      scope: 'ai-platform:budget:group:default/ml-team:2026-12',
    });
  });

  it("sends a pipeline's budget crossing to its owner team and the parent's members", async () => {
    const { notifier, sent } = setup();
    await notifier.budgetCrossed(
      'aipipeline:default/search-rag',
      'budget.forecast-exceeded',
      {
        month: '2026-12',
        budgetUsd: 50,
        monthToDateUsd: 10,
        forecastUsd: 75,
        status: 'forecast-over',
      },
    );
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/ml-team', 'user:default/alice'],
    });
    expect(sent[0].payload.link).toBe('/catalog/default/aipipeline/search-rag');
  });

  it('logs, never throws, when the notifications backend fails', async () => {
    const { notifier, logger, pipeline } = setup({ failSend: true });
    await expect(
      notifier.findingRaised(pipeline, {
        code: 'unowned-stage',
        severity: 'error',
        stage: 'ingest',
        message: 'Stage ingest has no owner',
      }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend is down'),
    );
  });
});
