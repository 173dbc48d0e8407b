import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { SignalIngestService } from '../service/SignalIngestService';
import {
  DEMO_PIPELINES,
  DEMO_STEP_MS,
  generateDemoSignals,
} from './demoSignals';

/**
 * Replays 30 days of demo signals through the same ingestion path as
 * `POST /signals`, for each demo pipeline once it is in the catalog (the
 * catalog loads the examples a few seconds after start-up).
 */
export async function scheduleDemoSignalReplay(options: {
  scheduler: SchedulerService;
  auth: AuthService;
  logger: LoggerService;
  ingest: SignalIngestService;
}) {
  const { scheduler, auth, logger, ingest } = options;
  const anchor = Math.floor(Date.now() / DEMO_STEP_MS) * DEMO_STEP_MS;
  const pending = new Set(DEMO_PIPELINES);
  await scheduler.scheduleTask({
    id: 'ai-platform-demo-signals',
    scope: 'local',
    frequency: { seconds: 10 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 3 },
    fn: async () => {
      if (pending.size === 0) return;
      const credentials = await auth.getOwnServiceCredentials();
      for (const pipeline of [...pending]) {
        try {
          const result = await ingest.ingestSignals(
            { signals: generateDemoSignals(pipeline, anchor) },
            credentials,
          );
          pending.delete(pipeline);
          logger.info(
            `Replayed ${result.received} demo signals for ${pipeline} (${result.inserted} new)`,
          );
        } catch (error) {
          // Most likely the catalog has not loaded the pipeline yet.
          logger.info(
            `Demo signals for ${pipeline} not replayed yet: ${error}`,
          );
        }
      }
    },
  });
}
