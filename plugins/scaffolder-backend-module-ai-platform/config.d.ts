export interface Config {
  aiPlatform?: {
    /**
     * Groups whose members may act for every owner in the templates (use
     * its models, spend its GPU quota), as entity refs. Everyone else acts
     * only for the groups they belong to, the groups below them, and
     * themselves.
     */
    adminGroups?: string[];
    /** GPU provisioning for the `ai-platform:gpu:provision` scaffolder action. */
    gpu?: {
      /** GPU flavors a template may request, by flavor name. */
      flavors?: {
        [name: string]: {
          /** Extended resource name, e.g. `nvidia.com/gpu` or a MIG profile like `nvidia.com/mig-1g.10gb`. */
          resource: string;
          /** GPU Feature Discovery product label value, e.g. `NVIDIA-A100-SXM4-80GB`. */
          product?: string;
          /** GPU Feature Discovery memory label value (MiB), e.g. `81920`. */
          memory?: string;
          /** Pod tolerations; defaults to tolerating the `nvidia.com/gpu` NoSchedule taint. */
          tolerations?: Array<{
            key?: string;
            operator?: string;
            value?: string;
            effect?: string;
          }>;
          /** Extra node selector labels. */
          nodeSelector?: { [label: string]: string };
          /** Kueue LocalQueue name; sets the `kueue.x-k8s.io/queue-name` label. */
          kueueQueue?: string;
        };
      };
      /** GPU quotas by group ref (e.g. `group:default/ml-team`). */
      quotas?: { [groupRef: string]: number };
      /** Quota for groups without an entry in `quotas`. Defaults to 0. */
      defaultQuota?: number;
    };
    /** LLM gateway settings for the `ai-platform:gateway:route` scaffolder action. */
    gateway?: {
      /** Which gateway the manifests target. */
      kind: 'envoy' | 'litellm';
      /** The URL services use as their OpenAI-compatible base URL. */
      baseUrl: string;
      /** Models teams may use. */
      allowedModels?: {
        /** Models every team may use. */
        default?: string[];
        /** Additional models per group ref (e.g. `group:default/ml-team`). */
        groups?: { [groupRef: string]: string[] };
      };
      /** Envoy AI Gateway specifics. */
      envoy?: {
        /** Name of the Gateway the route attaches to. Defaults to `ai-gateway`. */
        gatewayName?: string;
        /** Name of the Envoy Gateway `Backend` for the upstream provider. Defaults to `llm-provider`. */
        upstreamBackend?: string;
      };
      /**
       * LiteLLM proxy admin API. With both values set (and `kind: litellm`),
       * the action creates the team and key; the key is stored only in a
       * Kubernetes Secret, so `kubernetes` must be configured too.
       */
      litellm?: {
        /** Base URL of the LiteLLM proxy, e.g. `http://litellm.litellm.svc:4000`. */
        adminUrl?: string;
        /**
         * LiteLLM master or admin key, sent as a bearer token.
         * @visibility secret
         */
        adminKey?: string;
      };
      /** Kubernetes API where the action stores generated gateway keys as Secrets. */
      kubernetes?: {
        /** API server URL, e.g. `https://kubernetes.default.svc`. */
        apiUrl: string;
        /**
         * Bearer token allowed to create and update Secrets in `namespace`.
         * @visibility secret
         */
        token: string;
        /** Namespace of the Secrets. */
        namespace: string;
      };
    };
  };
}
