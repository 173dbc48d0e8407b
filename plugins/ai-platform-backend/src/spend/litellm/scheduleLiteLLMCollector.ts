import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CursorStore, UsageSink } from '../UsageStore';
import { LiteLLMCollector } from './LiteLLMCollector';

/** Id of the scheduled task (unique within the plugin). */
export const LITELLM_COLLECTOR_TASK_ID = 'ai-platform-litellm-collector';

/**
 * Registers the LiteLLM spend-log collector with the scheduler when
 * `aiPlatform.litellm.baseUrl` is configured. The task is `global` (the
 * scheduler's default scope): with several replicas one of them runs each
 * invocation, so two runs never move the cursor at once.
 *
 * A failed run is logged by the collector and rethrown, so the scheduler
 * records it too; the next run starts again from the unmoved cursor.
 *
 * Returns the collector, or undefined when LiteLLM is not configured.
 */
export async function scheduleLiteLLMCollector(options: {
  config: Config;
  scheduler: SchedulerService;
  logger: LoggerService;
  sink: UsageSink;
  cursors: CursorStore;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}): Promise<LiteLLMCollector | undefined> {
  const { config, scheduler, logger } = options;
  const collector = LiteLLMCollector.fromConfig(config, options);
  if (!collector) {
    logger.info(
      'LiteLLM collector disabled: aiPlatform.litellm.baseUrl is not configured',
    );
    return undefined;
  }
  await scheduler.scheduleTask({
    id: LITELLM_COLLECTOR_TASK_ID,
    ...collector.schedule,
    fn: async abortSignal => {
      const result = await collector.collect(Date.now(), {
        signal: abortSignal,
      });
      // Rejected rows were already named in a warning by the collector.
      logger.debug(
        `LiteLLM collector: ${result.pages} pages, ${result.rows} rows, ${result.inserted} new, ${result.rejected} rejected`,
      );
    },
  });
  return collector;
}
