import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { IngestionClient, describeFailure } from './IngestionClient';
import { WINDOW_EDGE_MS } from './demoSettings';
import { DEMO_USAGE_DAYS, generateDemoUsageDay } from './demoUsage';

const DAY = 86_400_000;
/** The scheduler task id of the usage replay. */
export const DEMO_USAGE_TASK_ID = 'ai-platform-demo-usage';

/**
 * Replays 90 days of demo gateway usage through `POST /usage`, one day a
 * batch, once the backend answers (every minute until a replay succeeded).
 * Only days up to now, and none older than raw retention (the route refuses
 * those); idempotent on record ids, so a replay after a restart adds nothing.
 */
export async function scheduleDemoUsageReplay(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  ingestion: IngestionClient;
  rawRetentionMs: number;
}) {
  const { scheduler, logger, ingestion, rawRetentionMs } = options;
  const anchor = Math.floor(Date.now() / DAY) * DAY;
  let done = false;
  await scheduler.scheduleTask({
    id: DEMO_USAGE_TASK_ID,
    scope: 'local',
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 5 },
    fn: async () => {
      if (done) return;
      let received = 0;
      let inserted = 0;
      const now = Date.now();
      const oldest = now - rawRetentionMs + WINDOW_EDGE_MS;
      try {
        for (let daysAgo = DEMO_USAGE_DAYS; daysAgo >= 0; daysAgo--) {
          const records = generateDemoUsageDay(anchor, daysAgo).filter(r => {
            const ts = Date.parse(r.timestamp as string);
            return ts >= oldest && ts <= now;
          });
          if (!records.length) continue;
          const result = await ingestion.post('/usage', { records });
          received += result.received;
          inserted += result.inserted;
        }
      } catch (error) {
        // Most likely the backend does not answer yet; the next run retries.
        logger.info(`Demo usage not replayed yet: ${describeFailure(error)}`);
        return;
      }
      done = true;
      logger.info(`Replayed ${received} demo usage records (${inserted} new)`);
    },
  });
}
