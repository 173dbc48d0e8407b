import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { PipelineCatalog } from '../../shared/catalog/PipelineCatalog';
import { SignalSink } from '../SignalStore';
import { PrometheusCollector } from './PrometheusCollector';

/** Id of the scheduled task (unique within the plugin). */
export const PROMETHEUS_COLLECTOR_TASK_ID = 'ai-platform-prometheus-collector';

/**
 * Registers the Prometheus collector with the scheduler when
 * `aiPlatform.prometheus.baseUrl` is configured. The task is `global` (the
 * scheduler's default scope), so with several replicas only one of them
 * runs each invocation.
 *
 * Returns the collector, or undefined when Prometheus is not configured.
 */
export async function schedulePrometheusCollector(options: {
  config: Config;
  scheduler: SchedulerService;
  pipelines: PipelineCatalog;
  logger: LoggerService;
  sink: SignalSink;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}): Promise<PrometheusCollector | undefined> {
  const { config, scheduler, logger } = options;
  const collector = PrometheusCollector.fromConfig(config, options);
  if (!collector) {
    logger.info(
      'Prometheus collector disabled: aiPlatform.prometheus.baseUrl is not configured',
    );
    return undefined;
  }
  await scheduler.scheduleTask({
    id: PROMETHEUS_COLLECTOR_TASK_ID,
    ...collector.schedule,
    fn: async abortSignal => {
      const result = await collector.collect(Date.now(), {
        signal: abortSignal,
      });
      const summary = `Prometheus collector: ${result.queries} queries, ${result.points} points, ${result.errors} errors`;
      if (result.errors > 0) logger.warn(summary);
      else logger.debug(summary);
    },
  });
  return collector;
}
