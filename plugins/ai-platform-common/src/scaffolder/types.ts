/**
 * A toleration as written in a pod spec.
 *
 * @public
 */
export interface GpuToleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/**
 * A GPU flavor a template may request (`aiPlatform.gpu.flavors.<name>`).
 *
 * @public
 */
export interface GpuFlavor {
  /** Extended resource, e.g. `nvidia.com/gpu` or `nvidia.com/mig-1g.10gb`. */
  resource: string;
  /** GPU Feature Discovery product label value. */
  product?: string;
  /** GPU Feature Discovery memory label value (MiB). */
  memory?: string;
  tolerations?: GpuToleration[];
  nodeSelector?: Record<string, string>;
  /** Kueue LocalQueue name (label `kueue.x-k8s.io/queue-name`). */
  kueueQueue?: string;
}

/**
 * What `GET /scaffolder/options` returns: a form's choices for an owner.
 *
 * @public
 */
export interface ScaffolderOptionsResponse {
  owner: string;
  /** Models the owner may use through the gateway. */
  models: string[];
  gpu: {
    flavors: Array<{ name: string } & Omit<GpuFlavor, 'tolerations'>>;
    quota: number;
    currentUse: number;
  };
}
