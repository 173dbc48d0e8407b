import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  aiPlatformTeamRules,
  UsageRecordInput,
} from '@aiplatform/plugin-ai-platform-node';
import { Knex } from 'knex';
import { inMemoryKnex } from '../__testUtils__/createTestApp';
import { pipeline, group } from '../__testUtils__/catalogFixtures';
import {
  BUDGET_ANNOTATION,
  DAY,
  HOUR,
  spendOrgFixture,
  usageInput,
} from '../__testUtils__/usageFixtures';
import { KnexGovernanceStore } from '../governance/KnexGovernanceStore';
import { KnexUsageStore } from './KnexUsageStore';
import { BudgetWatcher } from './BudgetWatcher';
import { PipelineNotifier } from '../notifications/PipelineNotifier';
import { SpendService } from './SpendService';

jest.setTimeout(60_000);

/** 10 June 2025, 12:00 UTC: 20.5 days left in the month. */
const NOW = Date.parse('2025-06-10T12:00:00Z');
const PIPELINE = 'aipipeline:default/support-answers';
const GROUP = 'group:default/ml-platform';

/** Budgets nobody can use: they must be skipped, not break the check. */
const oddBudgets: Entity[] = [
  {
    ...group('bad-budget'),
    metadata: {
      name: 'bad-budget',
      namespace: 'default',
      annotations: { [BUDGET_ANNOTATION]: 'lots' },
    },
  },
  pipeline('free-pipeline', {
    type: 'rag',
    owner: 'group:default/ml-team',
    stages: [{ name: 'serve', type: 'serving' }],
    budget: { monthlyUsd: 0 },
  }),
];

async function createWatcher(entities: Entity[] = spendOrgFixture()) {
  const knex: Knex = inMemoryKnex();
  const database = mockServices.database({ knex });
  const catalog = catalogServiceMock({
    entities: [...entities, ...oddBudgets],
  });
  const usage = await KnexUsageStore.create({ database });
  const governance = await KnexGovernanceStore.create({ database });
  const spend = new SpendService({
    catalog,
    store: usage,
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    teamRules: {
      getRuleByName: name => {
        const rule = Object.values(aiPlatformTeamRules).find(
          r => r.name === name,
        );
        if (!rule) throw new Error(`No rule ${name}`);
        return rule as any;
      },
    },
    // The fixture's usage runs from May to July 2025: accept it all.
    now: () => Date.parse('2025-08-01T00:00:00Z'),
    rawRetentionMs: 400 * 86_400_000,
  });
  const logger = mockServices.logger.mock();
  const notified: string[] = [];
  const watcher = new BudgetWatcher({
    catalog,
    auth: mockServices.auth(),
    logger,
    spend,
    usage,
    governance,
    rawRetentionDays: 30,
    notifier: {
      budgetCrossed: async (ref: string, type: string) => {
        notified.push(`${type} ${ref}`);
      },
    } as unknown as PipelineNotifier,
  });
  const ingest = async (records: UsageRecordInput[]) => {
    await spend.ingestUsage({ records });
  };
  const events = async () =>
    (await governance.listAuditEvents({ limit: 100 })).reverse();
  return { knex, watcher, usage, governance, logger, ingest, events, notified };
}

/** `costUsd` on component `name` at `ts`. */
const spendOn = (id: string, name: string, ts: number, costUsd: number) =>
  usageInput(id, ts, { entityRef: `component:default/${name}`, costUsd });

describe('BudgetWatcher', () => {
  describe('checkBudgets', () => {
    it('writes one event per crossing, forecast then actual, and never repeats it, and notifies each crossing once', async () => {
      const { watcher, ingest, events, notified } = await createWatcher();

      // No usage: nothing to say.
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(0);
      expect(await events()).toEqual([]);

      // support-answers (budget $100): $10 a day over the 7 days before
      // today and $5 today: $75 so far, forecast 75 + 10 × 20.5 = $280.
      // ml-platform (budget $500) has the same $75 (ml-team is below it).
      const week: UsageRecordInput[] = [];
      for (let d = 3; d <= 9; d++) {
        week.push(spendOn(`w-${d}`, 'answers', Date.UTC(2025, 5, d, 12), 10));
      }
      await ingest([...week, spendOn('today-1', 'answers', NOW - HOUR, 5)]);

      await expect(watcher.checkBudgets(NOW)).resolves.toBe(1);
      expect(await events()).toEqual([
        expect.objectContaining({
          type: 'budget.forecast-exceeded',
          entityRef: PIPELINE,
          actor: 'ai-platform',
          message: `${PIPELINE} is forecast to spend $280.00 against its $100 budget for 2025-06`,
          details: {
            month: '2025-06',
            budgetUsd: 100,
            monthToDateUsd: 75,
            forecastUsd: 280,
            status: 'forecast-over',
          },
        }),
      ]);

      // Again, with nothing new: nothing written.
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(0);
      await expect(watcher.checkBudgets(NOW + HOUR)).resolves.toBe(0);
      expect(await events()).toHaveLength(1);

      // $30 more today: $105 spent, over the pipeline's $100.
      await ingest([spendOn('today-2', 'answers', NOW - HOUR, 30)]);
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(1);
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(0);

      // $400 on ml-platform's own service: $505 of its $500, straight from
      // ok to over (one event, not two).
      await ingest([spendOn('today-3', 'platform-gw', NOW - HOUR, 400)]);
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(1);
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(0);

      expect(
        (await events()).map(e => [e.type, e.entityRef, e.details?.status]),
      ).toEqual([
        ['budget.forecast-exceeded', PIPELINE, 'forecast-over'],
        ['budget.exceeded', PIPELINE, 'over'],
        ['budget.exceeded', GROUP, 'over'],
      ]);
      const [, pipelineOver, groupOver] = await events();
      expect(pipelineOver.message).toBe(
        `${PIPELINE} spent $105.00 of its $100 budget for 2025-06`,
      );
      expect(groupOver.message).toBe(
        `${GROUP} spent $505.00 of its $500 budget for 2025-06`,
      );
      expect(groupOver.details).toEqual(
        expect.objectContaining({ budgetUsd: 500, monthToDateUsd: 505 }),
      );
      expect(notified).toEqual([
        `budget.forecast-exceeded ${PIPELINE}`,
        `budget.exceeded ${PIPELINE}`,
        `budget.exceeded ${GROUP}`,
      ]);
    });

    it('lets every month cross again', async () => {
      const { watcher, ingest, events } = await createWatcher();
      // $150 half way through today: the pipeline is over its $100, and
      // ml-platform's forecast (150 + 300 a day × 20.5) over its $500.
      await ingest([spendOn('june', 'answers', NOW - HOUR, 150)]);
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(2);

      // July starts under budget (June's spend is not July's).
      const july = Date.parse('2025-07-02T12:00:00Z');
      await expect(watcher.checkBudgets(july)).resolves.toBe(0);
      await ingest([spendOn('july', 'answers', july - HOUR, 120)]);
      await expect(watcher.checkBudgets(july)).resolves.toBe(2);
      await expect(watcher.checkBudgets(july)).resolves.toBe(0);

      expect(
        (await events()).map(e => [e.type, e.entityRef, e.details?.month]),
      ).toEqual(
        expect.arrayContaining([
          ['budget.exceeded', PIPELINE, '2025-06'],
          ['budget.forecast-exceeded', GROUP, '2025-06'],
          ['budget.exceeded', PIPELINE, '2025-07'],
          ['budget.forecast-exceeded', GROUP, '2025-07'],
        ]),
      );
      expect(await events()).toHaveLength(4);
    });

    it('checks the budgets of every group and pipeline that declares one', async () => {
      // Both over at once, with usage nowhere else.
      const { watcher, ingest, events } = await createWatcher();
      await ingest([
        spendOn('a', 'answers', NOW - HOUR, 600),
        spendOn('b', 'storefront', NOW - HOUR, 10_000),
      ]);
      await expect(watcher.checkBudgets(NOW)).resolves.toBe(2);
      expect((await events()).map(e => e.entityRef).sort()).toEqual([
        PIPELINE,
        GROUP,
      ]);
    });
  });

  describe('pruneRawUsage', () => {
    it('deletes raw records past retention and keeps the rollups', async () => {
      const { knex, watcher, usage, ingest, logger } = await createWatcher();
      await ingest([
        spendOn('old-1', 'answers', NOW - 40 * DAY, 1),
        spendOn('old-2', 'answers', NOW - 31 * DAY, 2),
        spendOn('kept-1', 'answers', NOW - 29 * DAY, 4),
        spendOn('kept-2', 'answers', NOW - HOUR, 8),
      ]);
      const range = { from: NOW - 60 * DAY, to: NOW };
      const before = await usage.aggregate(range);

      await expect(watcher.pruneRawUsage(NOW)).resolves.toBe(2);

      expect(
        (await knex('ai_usage_records').select('id')).map(r => r.id).sort(),
      ).toEqual(['kept-1', 'kept-2']);
      expect(await usage.aggregate(range)).toEqual(before);
      expect(before).toEqual([
        expect.objectContaining({ requests: 4, costUsd: 15 }),
      ]);
      expect(logger.info).toHaveBeenCalledWith(
        'Deleted 2 raw usage records past retention',
      );

      logger.info.mockClear();
      await expect(watcher.pruneRawUsage(NOW)).resolves.toBe(0);
      expect(logger.info).not.toHaveBeenCalled();
    });
  });
});
