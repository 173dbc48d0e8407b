import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface StandInRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: any;
}

const MERGE_PATCH = 'application/merge-patch+json';

/**
 * A stand-in for a Kubernetes API server (no cluster runs on these
 * machines): exactly the endpoints the kubernetes and envoy-ai-gateway
 * enforcers call, answering as the API server documents them.
 *
 * - `GET` / `PATCH /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale`
 *   and the same for `statefulsets`: an `autoscaling/v1` `Scale`
 *   (`spec.replicas`);
 * - `GET` / `PATCH /apis/batch/v1/namespaces/{ns}/cronjobs/{name}`: a
 *   `CronJob` (`spec.suspend`);
 * - `POST /apis/gateway.envoyproxy.io/v1alpha1/namespaces/{ns}/securitypolicies`
 *   (409 when the name is taken), `GET` / `DELETE …/securitypolicies/{name}`.
 *
 * A PATCH must be `Content-Type: application/merge-patch+json` (415
 * otherwise: the client's default is a JSON Patch, which this body is not).
 * Every request needs `Authorization: Bearer <token>` (401); an unknown
 * object or path is a 404 `Status`.
 */
export async function startKubernetesStandIn(options: {
  token: string;
  /** `deployment/<ns>/<name>` or `statefulset/<ns>/<name>` → replicas. */
  replicas?: Record<string, number>;
  /** `<ns>/<name>` → `spec.suspend`. */
  cronJobs?: Record<string, boolean>;
  /** `<ns>/<name>` → an existing SecurityPolicy. */
  securityPolicies?: Record<string, any>;
}) {
  const replicas = new Map(Object.entries(options.replicas ?? {}));
  const cronJobs = new Map(Object.entries(options.cronJobs ?? {}));
  const securityPolicies = new Map<string, any>(
    Object.entries(options.securityPolicies ?? {}),
  );
  const requests: StandInRequest[] = [];
  /** `METHOD path` strings answered 500 while listed. */
  const failing = new Set<string>();
  /** `METHOD path` strings never answered while listed (timeouts). */
  const hanging = new Set<string>();

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', chunk => (raw += chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
      const method = req.method ?? '';
      const contentType = req.headers['content-type']?.split(';')[0];
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      requests.push({ method, path, contentType, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const status = (code: number, reason: string, message: string) =>
        send(code, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          message,
          reason,
          code,
        });
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        status(401, 'Unauthorized', 'Unauthorized');
        return;
      }
      if (hanging.has(`${method} ${path}`)) return;
      if (failing.has(`${method} ${path}`)) {
        status(500, 'InternalError', 'etcdserver: request timed out');
        return;
      }
      if (method === 'PATCH' && contentType !== MERGE_PATCH) {
        status(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: ${MERGE_PATCH}`,
        );
        return;
      }

      let m =
        /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/]+)\/scale$/.exec(
          path,
        );
      if (m && (method === 'GET' || method === 'PATCH')) {
        const [, ns, plural, name] = m;
        const key = `${plural.replace(/s$/, '')}/${ns}/${name}`;
        if (!replicas.has(key)) {
          status(404, 'NotFound', `${plural}.apps "${name}" not found`);
          return;
        }
        if (method === 'PATCH') {
          const next = body?.spec?.replicas;
          if (!Number.isInteger(next) || next < 0) {
            status(422, 'Invalid', 'spec.replicas: Invalid value');
            return;
          }
          replicas.set(key, next);
        }
        send(200, {
          kind: 'Scale',
          apiVersion: 'autoscaling/v1',
          metadata: { name, namespace: ns },
          spec: { replicas: replicas.get(key) },
          status: { replicas: replicas.get(key) },
        });
        return;
      }

      m = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/cronjobs\/([^/]+)$/.exec(
        path,
      );
      if (m && (method === 'GET' || method === 'PATCH')) {
        const [, ns, name] = m;
        const key = `${ns}/${name}`;
        if (!cronJobs.has(key)) {
          status(404, 'NotFound', `cronjobs.batch "${name}" not found`);
          return;
        }
        if (method === 'PATCH') {
          if (typeof body?.spec?.suspend !== 'boolean') {
            status(422, 'Invalid', 'spec.suspend: Invalid value');
            return;
          }
          cronJobs.set(key, body.spec.suspend);
        }
        send(200, {
          kind: 'CronJob',
          apiVersion: 'batch/v1',
          metadata: { name, namespace: ns },
          spec: {
            schedule: '0 * * * *',
            suspend: cronJobs.get(key),
            jobTemplate: { spec: { template: { spec: { containers: [] } } } },
          },
        });
        return;
      }

      m =
        /^\/apis\/gateway\.envoyproxy\.io\/v1alpha1\/namespaces\/([^/]+)\/securitypolicies(?:\/([^/]+))?$/.exec(
          path,
        );
      if (m) {
        const [, ns, name] = m;
        if (!name && method === 'POST') {
          const policyName = body?.metadata?.name;
          if (
            body?.kind !== 'SecurityPolicy' ||
            body?.apiVersion !== 'gateway.envoyproxy.io/v1alpha1' ||
            typeof policyName !== 'string'
          ) {
            status(400, 'BadRequest', 'not a SecurityPolicy');
            return;
          }
          const key = `${ns}/${policyName}`;
          if (securityPolicies.has(key)) {
            status(
              409,
              'AlreadyExists',
              `securitypolicies.gateway.envoyproxy.io "${policyName}" already exists`,
            );
            return;
          }
          const stored = {
            ...body,
            metadata: { ...body.metadata, namespace: ns, uid: `uid-${key}` },
          };
          securityPolicies.set(key, stored);
          send(201, stored);
          return;
        }
        if (name && (method === 'GET' || method === 'DELETE')) {
          const key = `${ns}/${name}`;
          const policy = securityPolicies.get(key);
          if (!policy) {
            status(
              404,
              'NotFound',
              `securitypolicies.gateway.envoyproxy.io "${name}" not found`,
            );
            return;
          }
          if (method === 'DELETE') {
            securityPolicies.delete(key);
            send(200, { kind: 'Status', apiVersion: 'v1', status: 'Success' });
            return;
          }
          send(200, policy);
          return;
        }
      }
      status(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    replicas,
    cronJobs,
    securityPolicies,
    requests,
    failing,
    hanging,
    /** Writes the status Envoy Gateway's controller would: Accepted or not. */
    setPolicyAccepted(key: string, accepted: boolean, reason?: string) {
      const policy = securityPolicies.get(key);
      policy.status = {
        ancestors: [
          {
            ancestorRef: {
              group: 'gateway.networking.k8s.io',
              kind: 'Gateway',
              name: 'ai-gateway',
            },
            controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
            conditions: [
              {
                type: 'Accepted',
                status: accepted ? 'True' : 'False',
                reason: reason ?? (accepted ? 'Accepted' : 'Invalid'),
                message: accepted ? 'Policy has been accepted.' : 'rejected',
              },
            ],
          },
        ],
      };
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
