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
      /**
       * Days raw usage records are kept; rollups are kept. Default 90. Usage
       * older than this is refused at ingestion (and skipped by the LiteLLM
       * collector): once its raw row is gone, a replay of it could no longer
       * be recognised and would be counted twice.
       */
      rawRetentionDays?: number;
    };
    signals?: {
      /** The oldest signal point or OpenLineage event accepted, in days. Default 400. */
      maxAgeDays?: number;
    };
    ingestion?: {
      /**
       * The largest body of an ingestion route, after decompression: bytes,
       * or a size such as `64mb`. Default `64mb`.
       */
      maxBodySize?: string | number;
      /** Per-route body limits, over `maxBodySize`. */
      routes?: {
        /** `POST /usage` (JSON and NDJSON). */
        usage?: { maxBodySize?: string | number };
        /** `POST /usage/litellm`. */
        litellm?: { maxBodySize?: string | number };
        /** `POST /signals`. */
        signals?: { maxBodySize?: string | number };
        /** `POST /openlineage`. */
        openlineage?: { maxBodySize?: string | number };
      };
      /** How far ahead of the server clock a timestamp may be, in seconds. Default 300. */
      clockSkewSeconds?: number;
    };
    governance?: {
      /**
       * Service subjects (a static token's `subject`, e.g. `pager-bridge`)
       * allowed to halt and resume pipelines. Backstage grants a service
       * principal every permission, so any service not listed here is
       * refused with 403. Default: none.
       */
      serviceSubjects?: string[];
    };
  };
}
