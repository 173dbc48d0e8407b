import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { BudgetStatus } from '@aiplatform/plugin-ai-platform-common';
import { budgetCrossings } from '@aiplatform/plugin-ai-platform-node';
import { GovernanceStore } from '../governance/GovernanceStore';
import { PipelineNotifier } from '../notifications/PipelineNotifier';
import { UsageStore } from './UsageStore';
import { MONTHLY_BUDGET_ANNOTATION, SpendService } from './SpendService';

const DAY = 86_400_000;

/** A Group with the budget annotation, or an AIPipeline with `spec.budget.monthlyUsd`. */
function hasBudget(entity: Entity): boolean {
  if (entity.kind.toLowerCase() === 'group') {
    return (
      entity.metadata.annotations?.[MONTHLY_BUDGET_ANNOTATION] !== undefined
    );
  }
  const budget = (entity.spec as { budget?: { monthlyUsd?: unknown } })?.budget;
  return budget?.monthlyUsd !== undefined && budget.monthlyUsd !== null;
}

/**
 * Checks every budget (Groups with the budget annotation, AIPipelines with
 * `spec.budget`) and writes an audit event when the forecast or the actual
 * spend crosses it, and notifies the team and its parent (once per crossing
 * and month); prunes raw usage past its retention.
 */
export class BudgetWatcher {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      spend: SpendService;
      usage: UsageStore;
      governance: GovernanceStore;
      rawRetentionDays: number;
      /** Notifies the team and its parent of each crossing. */
      notifier?: PipelineNotifier;
    },
  ) {}

  /** Returns the audit events written. */
  async checkBudgets(now = Date.now()): Promise<number> {
    const { catalog, auth, spend, usage, governance } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const refs: string[] = [];
    // Pipelines are filtered by kind only and their budget checked here: a
    // filter on the camel-cased `spec.budget.monthlyUsd` is not matched by
    // every catalog implementation (the in-memory test catalog finds nothing).
    for await (const page of catalog.streamEntities(
      {
        filter: [
          {
            kind: 'Group',
            [`metadata.annotations.${MONTHLY_BUDGET_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          { kind: 'AIPipeline' },
        ],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
          'spec.budget',
        ],
      },
      { credentials },
    )) {
      refs.push(
        ...page.filter(hasBudget).map(e => stringifyEntityRef(e).toLowerCase()),
      );
    }
    let written = 0;
    for (const ref of refs) {
      const report = (await spend.getBudget(ref, credentials, now)).budget;
      if (!report) continue;
      const key = `budget-status:${ref}:${report.month}`;
      const previous = (await usage.getCursor(key)) as BudgetStatus | undefined;
      for (const type of budgetCrossings(previous, report.status)) {
        await governance.addAuditEvent({
          type,
          entityRef: ref,
          actor: 'ai-platform',
          message:
            type === 'budget.exceeded'
              ? `${ref} spent $${report.monthToDateUsd.toFixed(2)} of its $${
                  report.budgetUsd
                } budget for ${report.month}`
              : `${ref} is forecast to spend $${report.forecastUsd.toFixed(
                  2,
                )} against its $${report.budgetUsd} budget for ${report.month}`,
          details: { ...report },
        });
        await this.options.notifier?.budgetCrossed(ref, type, report);
        written += 1;
      }
      if (previous !== report.status) await usage.setCursor(key, report.status);
    }
    return written;
  }

  async pruneRawUsage(now = Date.now()): Promise<number> {
    const deleted = await this.options.usage.deleteRawBefore(
      now - this.options.rawRetentionDays * DAY,
    );
    if (deleted) {
      this.options.logger.info(
        `Deleted ${deleted} raw usage records past retention`,
      );
    }
    return deleted;
  }

  async schedule(scheduler: SchedulerService) {
    await scheduler.scheduleTask({
      id: 'ai-platform-budget-check',
      frequency: { minutes: 15 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 1 },
      fn: async () => {
        await this.checkBudgets();
      },
    });
    await scheduler.scheduleTask({
      id: 'ai-platform-usage-retention',
      frequency: { hours: 24 },
      timeout: { minutes: 30 },
      initialDelay: { minutes: 5 },
      fn: async () => {
        await this.pruneRawUsage();
      },
    });
  }
}
