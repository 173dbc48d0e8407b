import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import {
  AIPipelineEntityV1alpha1,
  SloReport,
  SloStatus,
  formatSloObjective,
} from '@aiplatform/plugin-ai-platform-common';
import { GovernanceStore } from '../governance/GovernanceStore';
import { haltRuleFor, ruleMatches } from '../governance/haltPolicy';
import {
  PipelineNotifier,
  SloAlertLevel,
} from '../notifications/PipelineNotifier';
import { LiveUpdates } from '../notifications/LiveUpdates';
import { CursorStore } from '../spend/UsageStore';
import { PipelineCatalog } from '../shared/catalog/PipelineCatalog';
import { DashboardService } from './DashboardService';

type AlertLevel = SloAlertLevel | 'none';
const RANK: Record<AlertLevel, number> = { none: 0, page: 1, breached: 2 };

/** `breached`, else `page` while a page-severity burn-rate alert fires. */
function alertLevel(slo: SloReport): AlertLevel {
  if (slo.status === 'breached') return 'breached';
  return slo.burnRates.some(b => b.severity === 'page' && b.firing)
    ? 'page'
    : 'none';
}

/**
 * Evaluates every pipeline's SLOs on a schedule. On a change of state, and
 * only then (the last status of each SLO is kept in the cursor store):
 * - a breach writes an `slo.breached` audit event;
 * - a breach, or a page-level burn-rate alert, notifies the pipeline owner
 *   and the suspect stage's owner (once until the SLO recovers or worsens);
 * - a `spec.governance.haltOn` rule that starts to match halts the pipeline
 *   (actor `ai-platform (policy <slo>)`), once per episode: a resume by
 *   override sticks until the SLO recovers and fails again;
 * - any status change tells open pages (signals).
 */
export class SloWatcher {
  constructor(
    private readonly options: {
      /** The catalog view of AI pipelines. */
      pipelines: PipelineCatalog;
      logger: LoggerService;
      dashboards: DashboardService;
      governance: GovernanceStore;
      cursors: CursorStore;
      /** Halts by policy. */
      halts?: {
        haltByPolicy(
          pipeline: AIPipelineEntityV1alpha1,
          slo: SloReport,
        ): Promise<unknown>;
      };
      notifier?: PipelineNotifier;
      liveUpdates?: LiveUpdates;
    },
  ) {}

  /** Returns the audit events written (breaches; policy halts write their own). */
  async check(now = Date.now()): Promise<number> {
    const { dashboards, cursors } = this.options;
    let written = 0;
    let changed = false;
    const { pipelines } = await this.options.pipelines.snapshot();
    for (const { ref, entity: pipeline } of pipelines) {
      const { slos, suspect } = await dashboards.assessSlos(pipeline, now);
      for (const slo of slos) {
        const key = `slo-status:${ref}:${slo.name}`;
        const previous = (await cursors.getCursor(key)) as
          | SloStatus
          | undefined;
        const rule = haltRuleFor(pipeline, slo.name);
        const halts =
          rule && ruleMatches(rule, slo.status) && !ruleMatches(rule, previous);
        // A policy halt that failed is tried again, whole, at the next check.
        if (halts && !(await this.haltByPolicy(pipeline, ref, slo))) continue;
        if (slo.status === 'breached' && previous !== 'breached') {
          await this.recordBreach(ref, slo, now);
          written += 1;
        }
        await this.alert(pipeline, ref, slo, suspect);
        if (previous !== slo.status) {
          await cursors.setCursor(key, slo.status);
          changed = true;
        }
      }
    }
    if (changed) await this.options.liveUpdates?.publish('slo');
    return written;
  }

  private async recordBreach(ref: string, slo: SloReport, now: number) {
    await this.options.governance.addAuditEvent({
      type: 'slo.breached',
      entityRef: ref,
      actor: 'ai-platform',
      message: `SLO ${slo.name} of ${ref} is breached: ${
        slo.attainment === null
          ? 'no data'
          : `${(slo.attainment * 100).toFixed(1)}%`
      } of intervals met ${formatSloObjective(
        slo.signal,
        slo.objective,
      )} (target ${(slo.target * 100).toFixed(1)}%)`,
      details: {
        slo: slo.name,
        stage: slo.stage,
        attainment: slo.attainment,
      },
      at: now,
    });
  }

  /** Notifies when the SLO's alert level rises; remembers the level. */
  private async alert(
    pipeline: AIPipelineEntityV1alpha1,
    ref: string,
    slo: SloReport,
    suspect: Parameters<PipelineNotifier['sloAlert']>[3],
  ) {
    const key = `slo-alert:${ref}:${slo.name}`;
    const previous = ((await this.options.cursors.getCursor(key)) ??
      'none') as AlertLevel;
    const level = alertLevel(slo);
    if (level !== 'none' && RANK[level] > (RANK[previous] ?? 0)) {
      await this.options.notifier?.sloAlert(pipeline, slo, level, suspect);
    }
    if (level !== previous) await this.options.cursors.setCursor(key, level);
  }

  private async haltByPolicy(
    pipeline: AIPipelineEntityV1alpha1,
    ref: string,
    slo: SloReport,
  ): Promise<boolean> {
    try {
      await this.options.halts?.haltByPolicy(pipeline, slo);
      return true;
    } catch (error) {
      this.options.logger.error(
        `Could not halt ${ref} by its policy on SLO ${slo.name}: ${error}`,
      );
      return false;
    }
  }

  async schedule(scheduler: SchedulerService) {
    await scheduler.scheduleTask({
      id: 'ai-platform-slo-check',
      frequency: { minutes: 5 },
      timeout: { minutes: 4 },
      initialDelay: { minutes: 1 },
      fn: async () => {
        const written = await this.check();
        if (written) {
          this.options.logger.info(
            `Recorded ${written} SLO breaches in the audit log`,
          );
        }
      },
    });
  }
}
