import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { IngestionClient, describeFailure } from './IngestionClient';
import {
  DEMO_PIPELINES,
  DEMO_STEP_MS,
  generateDemoSignals,
} from './demoSignals';
import { WINDOW_EDGE_MS } from './demoSettings';

/** Points per `POST /signals` request (well below the route's limits). */
export const DEMO_SIGNAL_BATCH = 5_000;

/** The scheduler task id of the signal replay. */
export const DEMO_SIGNALS_TASK_ID = 'ai-platform-demo-signals';

/**
 * Replays 30 days of demo signals through `POST /signals`, for each demo
 * pipeline once the backend accepts them (every 10 seconds until then: the
 * catalog loads the example pipelines a few seconds after start-up, and the
 * route refuses points of a pipeline it does not know). Points older than
 * `aiPlatform.signals.maxAgeDays` are left out (the route refuses them);
 * idempotent, so a replay after a restart adds nothing.
 */
export async function scheduleDemoSignalReplay(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  ingestion: IngestionClient;
  signalMaxAgeMs: number;
}) {
  const { scheduler, logger, ingestion, signalMaxAgeMs } = options;
  const anchor = Math.floor(Date.now() / DEMO_STEP_MS) * DEMO_STEP_MS;
  const pending = new Set(DEMO_PIPELINES);
  await scheduler.scheduleTask({
    id: DEMO_SIGNALS_TASK_ID,
    scope: 'local',
    frequency: { seconds: 10 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 3 },
    fn: async () => {
      const oldest = Date.now() - signalMaxAgeMs + WINDOW_EDGE_MS;
      for (const pipeline of [...pending]) {
        const points = generateDemoSignals(pipeline, anchor).filter(
          p => Number(p.timestamp) >= oldest,
        );
        let received = 0;
        let inserted = 0;
        try {
          for (let i = 0; i < points.length; i += DEMO_SIGNAL_BATCH) {
            const result = await ingestion.post('/signals', {
              signals: points.slice(i, i + DEMO_SIGNAL_BATCH),
            });
            received += result.received;
            inserted += result.inserted;
          }
        } catch (error) {
          // Most likely the catalog has not loaded the pipeline yet.
          logger.info(
            `Demo signals for ${pipeline} not replayed yet: ${describeFailure(
              error,
            )}`,
          );
          continue;
        }
        pending.delete(pipeline);
        logger.info(
          `Replayed ${received} demo signals for ${pipeline} (${inserted} new)`,
        );
      }
    },
  });
}
