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
    litellm?: {
      /**
       * Base URL of the LiteLLM proxy, e.g. `http://litellm.ai-gateway:4000`.
       * Without it the LiteLLM spend-log collector is off.
       */
      baseUrl: string;
      /**
       * A LiteLLM key allowed to read `GET /spend/logs/v2` (the master key or
       * an admin key). Leave out only for a proxy without auth.
       * @visibility secret
       */
      apiKey?: string;
      /** How often spend logs are pulled. Default: every 5 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    usage?: {
      /** Days raw usage records are kept; rollups are kept. Default 90. */
      rawRetentionDays?: number;
    };
    demo?: {
      /**
       * Replay 30 days of demo signals for the example pipelines through the
       * ingestion path when the backend starts. For the demo portal only.
       */
      signals?: boolean;
      /**
       * Replay 90 days of demo gateway usage (teams, services, models, a few
       * unattributed keys, one team over budget) through the ingestion path.
       */
      usage?: boolean;
    };
  };
}
