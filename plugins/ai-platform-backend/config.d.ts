import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the AI Platform plugins. */
  aiPlatform?: {
    catalog?: {
      /**
       * How often each backend instance brings its view of the catalog's AI
       * pipelines, Groups, Users and stage entities up to date (the lists,
       * reports, watchers and collectors read that view, never the whole
       * catalog per request). Only what changed is fetched again. Always a
       * local task: every instance keeps its own view. Default: every 30 s,
       * 5 minute timeout.
       */
      refresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
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
        /**
         * `POST /usage` (JSON and NDJSON). NDJSON streams in constant memory
         * (JSON is held whole), so this may be raised far past the default
         * (e.g. `4gb`) for large NDJSON streams.
         */
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
      /**
       * Halt enforcers built into the backend, each on when its key is
       * present. A halt calls each; a resume undoes what each did; failed
       * results are retried every minute until applied or resumed.
       */
      enforcers?: {
        /**
         * Blocks the LiteLLM virtual keys and teams that serve the pipeline
         * (`/key/block`, `/team/block`) and unblocks on resume those the
         * halt blocked. `{}` reuses `aiPlatform.litellm.baseUrl` / `apiKey`.
         */
        litellm?: {
          /** The proxy's base URL. Default: `aiPlatform.litellm.baseUrl`. */
          baseUrl?: string;
          /**
           * A LiteLLM admin key (the master key) allowed to list, block and
           * unblock keys and teams. Default: `aiPlatform.litellm.apiKey`.
           * @visibility secret
           */
          apiKey?: string;
          /** Per request, 1 to 300. Default 10. */
          timeoutSeconds?: number;
        };
        /**
         * POSTs `{ action: 'halt' | 'resume', pipeline, reason, actor, at }`
         * to a URL, signed in `x-ai-platform-signature: sha256=<hex>` (the
         * HMAC-SHA256 of the raw body under `secret`).
         */
        webhook?: {
          /** The receiver, http or https. */
          url: string;
          /**
           * The HMAC key the receiver verifies the signature with.
           * @visibility secret
           */
          secret: string;
          /** Per attempt, 1 to 300. Default 10. */
          timeoutSeconds?: number;
          /** Attempts after the first on a network error, 429 or 5xx, 0 to 10, with exponential backoff from 0.5 s. Default 2. */
          retries?: number;
        };
        /**
         * Scales to 0 (the `scale` subresource) the Deployments and
         * StatefulSets, and suspends (`spec.suspend: true`) the CronJobs,
         * that the pipeline and its stage entities name in the annotation
         * `ai-platform.io/kubernetes-workloads: deployment/<ns>/<name>,
         * statefulset/<ns>/<name>, cronjob/<ns>/<name>`; resume restores
         * the replicas / suspend each had. Either `cluster` or
         * `inCluster: true`.
         */
        kubernetes?: {
          /** The cluster, with a service account token. */
          cluster?: {
            /** The API server, https (http only with skipTLSVerify). */
            url: string;
            /**
             * A service account token (bearer) with the RBAC the README lists.
             * @visibility secret
             */
            serviceAccountToken: string;
            /** Base64 PEM of the API server's CA (a kubeconfig's certificate-authority-data). */
            caData?: string;
            /** Skip verifying the API server's certificate (and allow http). Default false. */
            skipTLSVerify?: boolean;
          };
          /** Use the service account of the pod the backend runs in. */
          inCluster?: boolean;
          /** Per request, 1 to 300. Default 10. */
          timeoutSeconds?: number;
        };
        /**
         * Denies the Envoy AI Gateway routes the pipeline's entities name in
         * `ai-platform.io/envoy-ai-gateway-route: [<ns>/]<name>`: creates an
         * Envoy Gateway SecurityPolicy `ai-platform-halt-<route>`
         * (`authorization.defaultAction: Deny`) on the HTTPRoute that AI
         * Gateway generates for the AIGatewayRoute; resume deletes it.
         * `cluster` / `inCluster` / `timeoutSeconds` default to the
         * kubernetes enforcer's.
         */
        envoyAiGateway?: {
          /** The cluster of the gateway. Default: the kubernetes enforcer's. */
          cluster?: {
            /** The API server, https (http only with skipTLSVerify). */
            url: string;
            /**
             * A service account token (bearer) with the RBAC the README lists.
             * @visibility secret
             */
            serviceAccountToken: string;
            /** Base64 PEM of the API server's CA (a kubeconfig's certificate-authority-data). */
            caData?: string;
            /** Skip verifying the API server's certificate (and allow http). Default false. */
            skipTLSVerify?: boolean;
          };
          /** Use the service account of the pod the backend runs in. */
          inCluster?: boolean;
          /** Per request, 1 to 300. Default: the kubernetes enforcer's, else 10. */
          timeoutSeconds?: number;
          /** The namespace of a route annotated without one. Default `default`. */
          namespace?: string;
        };
      };
    };
  };
}
