export interface Config {
  aiPlatform?: {
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
    };
  };
}
