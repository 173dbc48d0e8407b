import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { SpendService } from '../service/SpendService';
import { DEMO_USAGE_DAYS, generateDemoUsageDay } from './demoUsage';

const DAY = 86_400_000;

/**
 * Replays 90 days of demo gateway usage through the same ingestion path as
 * `POST /usage`, one day a batch, once at start-up (and again if it failed).
 * Days up to the current hour, none older than raw usage retention;
 * idempotent on record ids.
 */
export async function scheduleDemoUsageReplay(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  spend: SpendService;
}) {
  const { scheduler, logger, spend } = options;
  const anchor = Math.floor(Date.now() / DAY) * DAY;
  let done = false;
  await scheduler.scheduleTask({
    id: 'ai-platform-demo-usage',
    scope: 'local',
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 5 },
    fn: async () => {
      if (done) return;
      let received = 0;
      let inserted = 0;
      const now = Date.now();
      // Records older than raw retention would be refused (see usageWindow).
      const oldest = spend.usageWindow().from;
      for (let daysAgo = DEMO_USAGE_DAYS; daysAgo >= 0; daysAgo--) {
        const records = generateDemoUsageDay(anchor, daysAgo).filter(r => {
          const ts = Date.parse(r.timestamp as string);
          return ts >= oldest && ts <= now;
        });
        if (!records.length) continue;
        const result = await spend.ingestUsage({ records });
        received += result.received;
        inserted += result.inserted;
      }
      done = true;
      logger.info(`Replayed ${received} demo usage records (${inserted} new)`);
    },
  });
}
