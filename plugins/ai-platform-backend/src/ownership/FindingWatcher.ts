import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OwnershipFinding } from '@aiplatform/plugin-ai-platform-common';
import { PipelineNotifier } from '../notifications/PipelineNotifier';
import { CursorStore } from '../spend/UsageStore';
import { asPipeline } from '../shared/catalog/catalogPipelines';
import { OwnershipService } from './OwnershipService';

const keyOf = (f: OwnershipFinding) => `${f.code}:${f.stage ?? '-'}`;

/**
 * Notifies a pipeline's owner of each new error-severity ownership finding
 * (a stage nobody owns, a handoff to a team with no members): the findings
 * of the last check are kept per pipeline in the cursor store, so a finding
 * that lasts notifies once, and again only after it was fixed and returned.
 */
export class FindingWatcher {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      ownership: OwnershipService;
      cursors: CursorStore;
      notifier: PipelineNotifier;
    },
  ) {}

  /** Returns the notifications sent. */
  async check(): Promise<number> {
    const { auth, catalog, ownership, cursors, notifier } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const report = await ownership.getOwnershipReport(undefined, credentials);
    let sent = 0;
    for (const item of report.items) {
      const errors = item.findings.filter(f => f.severity === 'error');
      const cursorKey = `findings:${item.pipeline}`;
      const stored = await cursors.getCursor(cursorKey);
      const known = new Set<string>(stored ? JSON.parse(stored) : []);
      const fresh = errors.filter(f => !known.has(keyOf(f)));
      if (fresh.length) {
        const pipeline = asPipeline(
          await catalog.getEntityByRef(item.pipeline, { credentials }),
        );
        if (pipeline) {
          for (const finding of fresh) {
            await notifier.findingRaised(pipeline, finding);
            sent += 1;
          }
        }
      }
      const now = JSON.stringify([...new Set(errors.map(keyOf))].sort());
      if (now !== (stored ?? '[]')) await cursors.setCursor(cursorKey, now);
    }
    return sent;
  }

  async schedule(scheduler: SchedulerService) {
    await scheduler.scheduleTask({
      id: 'ai-platform-finding-check',
      frequency: { minutes: 10 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 2 },
      fn: async () => {
        const sent = await this.check();
        if (sent) {
          this.options.logger.info(
            `Notified owners of ${sent} new ownership findings`,
          );
        }
      },
    });
  }
}
