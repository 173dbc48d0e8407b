import { Config } from '@backstage/config';
import {
  AppsV1Api,
  BatchV1Api,
  ConfigurationOptions,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { configError, readBoundedNumber, readHttpUrl } from './enforcerConfig';

/**
 * Which cluster, and how: a URL with a service account token, or the
 * service account of the pod the backend runs in.
 */
export type KubernetesClusterOptions =
  | {
      kind: 'cluster';
      /** The API server's URL, without a trailing slash. */
      url: string;
      serviceAccountToken: string;
      /** Base64 PEM of the CA that signed the API server's certificate. */
      caData?: string;
      skipTLSVerify: boolean;
    }
  | { kind: 'inCluster' };

/** A cluster and the bound on each call to it. */
export interface KubernetesConnectionOptions {
  cluster: KubernetesClusterOptions;
  /** Per request. */
  timeoutMs: number;
}

/** The API groups the enforcers call, and the options every call takes. */
export interface KubernetesApis {
  apps: AppsV1Api;
  batch: BatchV1Api;
  customObjects: CustomObjectsApi;
  /** Options for a read, create or delete: the timeout. */
  call(): ConfigurationOptions;
  /**
   * Options for a patch: the timeout, and `Content-Type:
   * application/merge-patch+json` (the 1.x client sends a JSON Patch
   * otherwise).
   */
  mergePatch(): ConfigurationOptions;
}

function readCluster(
  own: Config,
  key: string,
): KubernetesClusterOptions | undefined {
  const inCluster = own.getOptional('inCluster');
  const hasCluster = own.has('cluster');
  if (inCluster !== undefined && typeof inCluster !== 'boolean') {
    throw configError(`${key}.inCluster`, 'must be true or false');
  }
  if (inCluster && hasCluster) {
    throw configError(key, 'set either cluster or inCluster: true, not both');
  }
  if (inCluster) {
    if (!process.env.KUBERNETES_SERVICE_HOST) {
      throw configError(
        `${key}.inCluster`,
        'KUBERNETES_SERVICE_HOST is not set: the backend is not running in a Kubernetes pod',
      );
    }
    return { kind: 'inCluster' };
  }
  if (!hasCluster) return undefined;

  const cluster = own.getConfig('cluster');
  const urlKey = `${key}.cluster.url`;
  const url = cluster.getOptional('url');
  if (typeof url !== 'string' || !url.trim()) {
    throw configError(urlKey, 'is required (the API server URL)');
  }
  const token = cluster.getOptional('serviceAccountToken');
  if (typeof token !== 'string' || !token.trim()) {
    throw configError(
      `${key}.cluster.serviceAccountToken`,
      'is required (a non-empty string)',
    );
  }
  const skip = cluster.getOptional('skipTLSVerify') ?? false;
  if (typeof skip !== 'boolean') {
    throw configError(`${key}.cluster.skipTLSVerify`, 'must be true or false');
  }
  const checkedUrl = readHttpUrl(url, urlKey);
  if (checkedUrl.startsWith('http:') && !skip) {
    // What @kubernetes/client-node refuses, said at startup.
    throw configError(
      urlKey,
      `"${url}" is plain http: use https, or set skipTLSVerify: true`,
    );
  }
  const caData = cluster.getOptional('caData');
  if (caData !== undefined) {
    const pem =
      typeof caData === 'string'
        ? Buffer.from(caData, 'base64').toString('utf8')
        : '';
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw configError(
        `${key}.cluster.caData`,
        'must be a base64-encoded PEM certificate (like certificate-authority-data in a kubeconfig)',
      );
    }
  }
  return {
    kind: 'cluster',
    url: checkedUrl,
    serviceAccountToken: token.trim(),
    caData: caData as string | undefined,
    skipTLSVerify: skip,
  };
}

/**
 * The connection an enforcer's config key names: `{ cluster: { url,
 * serviceAccountToken, caData?, skipTLSVerify? } }` or `{ inCluster: true }`,
 * plus `timeoutSeconds`. Without either, `fallback`'s cluster (the
 * kubernetes enforcer's); none at all is a config error naming the key.
 */
export function readKubernetesConnection(
  own: Config,
  key: string,
  fallback?: KubernetesConnectionOptions,
): KubernetesConnectionOptions {
  const cluster = readCluster(own, key) ?? fallback?.cluster;
  if (!cluster) {
    throw configError(
      `${key}.cluster`,
      'is required (or inCluster: true, to use the pod service account)',
    );
  }
  const timeoutMs =
    own.has('timeoutSeconds') || !fallback
      ? readBoundedNumber(own, 'timeoutSeconds', `${key}.timeoutSeconds`, {
          min: 1,
          max: 300,
          fallback: 10,
        }) * 1000
      : fallback.timeoutMs;
  return { cluster, timeoutMs };
}

function kubeConfig(cluster: KubernetesClusterOptions): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.kind === 'inCluster') {
    // The token file is read again on each request: rotated tokens work.
    kc.loadFromCluster();
    return kc;
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: 'ai-platform',
        server: cluster.url,
        caData: cluster.caData,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: 'ai-platform', token: cluster.serviceAccountToken }],
    contexts: [
      { name: 'ai-platform', cluster: 'ai-platform', user: 'ai-platform' },
    ],
    currentContext: 'ai-platform',
  });
  return kc;
}

/** Aborts each request after `timeoutMs`. */
function timeoutOptions(timeoutMs: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: request => {
          request.setSignal(AbortSignal.timeout(timeoutMs));
          return new Observable(Promise.resolve(request));
        },
        post: response => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** The clients of @kubernetes/client-node for one connection. */
export function createKubernetesApis(
  options: KubernetesConnectionOptions,
): KubernetesApis {
  const kc = kubeConfig(options.cluster);
  return {
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    customObjects: kc.makeApiClient(CustomObjectsApi),
    call: () => timeoutOptions(options.timeoutMs),
    mergePatch: () =>
      setHeaderOptions(
        'Content-Type',
        PatchStrategy.MergePatch,
        timeoutOptions(options.timeoutMs),
      ),
  };
}

/** The HTTP status of a failed call, when the API server answered. */
export function kubernetesStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A failed call for people: `<label>: 404 deployments.apps "kb-api" not
 * found`, `<label>: no answer within 10 s`, `<label>: connect ECONNREFUSED`.
 */
export function describeKubernetesError(
  label: string,
  error: unknown,
  timeoutMs: number,
): string {
  const status = kubernetesStatus(error);
  if (status !== undefined) {
    let detail = '';
    const body = (error as { body?: unknown }).body;
    if (typeof body === 'string' && body) {
      try {
        const message = JSON.parse(body)?.message;
        if (typeof message === 'string') detail = message;
      } catch {
        // Not a Kubernetes Status: the code says enough.
      }
    }
    return `${label}: ${status}${detail ? ` ${detail}` : ''}`;
  }
  const err = error as { name?: string; message?: string; type?: string };
  if (err?.name === 'AbortError' || err?.type === 'aborted') {
    return `${label}: no answer within ${timeoutMs / 1000} s`;
  }
  const message = err?.message ?? String(error);
  // node-fetch: "request to <url> failed, reason: connect ECONNREFUSED ...".
  const reason = /reason: (.*)$/.exec(message)?.[1];
  return `${label}: ${reason ?? message}`;
}
