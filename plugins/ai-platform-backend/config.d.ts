import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the AI Platform plugins. */
  aiPlatform?: {
    prometheus?: {
      /**
       * Base URL of the Prometheus server, without `/api/v1`, e.g.
       * `http://prometheus.monitoring:9090`. Without it the collector is off.
       */
      baseUrl: string;
      /**
       * How often the PromQL `metrics` declared on AIPipelines are evaluated.
       * Default: every minute, 50 s timeout.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    demo?: {
      /**
       * Replay 30 days of demo signals for the example pipelines through the
       * ingestion path when the backend starts. For the demo portal only.
       */
      signals?: boolean;
    };
  };
}
