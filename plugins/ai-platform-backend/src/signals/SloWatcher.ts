import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { formatSloObjective } from '@aiplatform/plugin-ai-platform-common';
import { GovernanceStore } from '../governance/GovernanceStore';
import { CursorStore } from '../spend/UsageStore';
import { listPipelines } from '../shared/catalog/catalogPipelines';
import { DashboardService } from './DashboardService';

/**
 * Evaluates every pipeline's SLOs on a schedule and writes an `slo.breached`
 * audit event when an SLO becomes breached (once per breach: the last
 * status is kept in the cursor store).
 */
export class SloWatcher {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      dashboards: DashboardService;
      governance: GovernanceStore;
      cursors: CursorStore;
    },
  ) {}

  /** Returns the audit events written. */
  async check(now = Date.now()): Promise<number> {
    const { catalog, auth, dashboards, governance, cursors } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    let written = 0;
    for (const pipeline of await listPipelines(catalog, credentials)) {
      const ref = stringifyEntityRef(pipeline).toLowerCase();
      for (const slo of await dashboards.getSloReports(pipeline, now)) {
        const key = `slo-status:${ref}:${slo.name}`;
        const previous = await cursors.getCursor(key);
        if (slo.status === 'breached' && previous !== 'breached') {
          await governance.addAuditEvent({
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
          written += 1;
        }
        if (previous !== slo.status) await cursors.setCursor(key, slo.status);
      }
    }
    return written;
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
