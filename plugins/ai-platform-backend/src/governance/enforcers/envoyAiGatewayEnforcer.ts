import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EnforcementResult,
  HaltEnforcementContext,
  HaltEnforcer,
} from '@aiplatform/plugin-ai-platform-node';
import { configError } from './enforcerConfig';
import {
  KubernetesApis,
  KubernetesConnectionOptions,
  createKubernetesApis,
  describeKubernetesError,
  kubernetesStatus,
  readKubernetesConnection,
} from './kubernetesClient';
import { readKubernetesEnforcerOptions } from './kubernetesEnforcer';
import { annotationLists } from './kubernetesWorkloads';

export const ENVOY_AI_GATEWAY_ENFORCER_CONFIG_KEY =
  'aiPlatform.governance.enforcers.envoyAiGateway';

/**
 * Names the entity's Envoy AI Gateway routes: `[<namespace>/]<name>` of an
 * `AIGatewayRoute`, comma-separated. What the scaffolder's gateway action
 * writes for an Envoy gateway.
 */
export const ENVOY_AI_GATEWAY_ROUTE_ANNOTATION =
  'ai-platform.io/envoy-ai-gateway-route';

/** The label on every SecurityPolicy a halt creates. */
export const MANAGED_BY_LABEL = {
  'app.kubernetes.io/managed-by': 'ai-platform',
};

const ID = 'envoy-ai-gateway';
const POLICY_PREFIX = 'ai-platform-halt-';
const SECURITY_POLICY = {
  group: 'gateway.envoyproxy.io',
  version: 'v1alpha1',
  plural: 'securitypolicies',
};

export interface EnvoyAiGatewayEnforcerOptions
  extends KubernetesConnectionOptions {
  /** The namespace of a route annotated without one. */
  defaultNamespace: string;
}

interface Route {
  namespace: string;
  name: string;
}

/** This halt created the SecurityPolicy: resume deletes it. */
interface EnvoyUndo {
  namespace: string;
  policy: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `aiPlatform.governance.enforcers.envoyAiGateway`, or undefined when
 * absent. Without its own `cluster` / `inCluster` it uses the kubernetes
 * enforcer's.
 */
export function readEnvoyAiGatewayEnforcerOptions(
  config: Config,
): EnvoyAiGatewayEnforcerOptions | undefined {
  const key = ENVOY_AI_GATEWAY_ENFORCER_CONFIG_KEY;
  const own = config.getOptionalConfig(key);
  if (!own) return undefined;
  const connection = readKubernetesConnection(
    own,
    key,
    readKubernetesEnforcerOptions(config),
  );
  const namespace = own.getOptional('namespace') ?? 'default';
  if (
    typeof namespace !== 'string' ||
    namespace.length > 63 ||
    !DNS_LABEL.test(namespace)
  ) {
    throw configError(
      `${key}.namespace`,
      `must be a Kubernetes namespace name, got "${namespace}"`,
    );
  }
  return { ...connection, defaultNamespace: namespace };
}

const routeTarget = (r: Route) => `route:${r.namespace}/${r.name}`;
const policyName = (r: Route) => `${POLICY_PREFIX}${r.name}`;

function undoOf(result: EnforcementResult): EnvoyUndo | undefined {
  const undo = result.undo as Record<string, unknown> | undefined;
  return typeof undo?.namespace === 'string' && typeof undo.policy === 'string'
    ? { namespace: undo.namespace, policy: undo.policy }
    : undefined;
}

/**
 * Whether Envoy Gateway accepted the policy, from its
 * `status.ancestors[].conditions` (type `Accepted`): `applied` when every
 * ancestor says True, `failed` (with the reason, e.g. `Conflicted`) when
 * one says False, `pending` before the controller wrote a status.
 */
function acceptance(policy: unknown): {
  status: EnforcementResult['status'];
  message: string;
} {
  const ancestors = (policy as { status?: { ancestors?: unknown } })?.status
    ?.ancestors;
  const conditions = (Array.isArray(ancestors) ? ancestors : []).map((a: any) =>
    (Array.isArray(a?.conditions) ? a.conditions : []).find(
      (c: any) => c?.type === 'Accepted',
    ),
  );
  const refused = conditions.find(c => c?.status === 'False');
  if (refused) {
    return {
      status: 'failed',
      message: `Envoy Gateway did not accept the SecurityPolicy: ${
        refused.reason ?? 'not accepted'
      }${refused.message ? ` (${refused.message})` : ''}`,
    };
  }
  if (conditions.length && conditions.every(c => c?.status === 'True')) {
    return {
      status: 'applied',
      message: 'denied (SecurityPolicy accepted by Envoy Gateway)',
    };
  }
  return {
    status: 'pending',
    message: 'SecurityPolicy created; Envoy Gateway has not accepted it yet',
  };
}

/**
 * Stops the Envoy AI Gateway routes of the pipeline serving: for each
 * AIGatewayRoute its entities name in `ai-platform.io/envoy-ai-gateway-route`,
 * an Envoy Gateway `SecurityPolicy` `ai-platform-halt-<route>` on the
 * HTTPRoute that AI Gateway generates for it (same name and namespace),
 * `authorization: { defaultAction: Deny }`: every request is answered 403.
 * Resume deletes the policies this halt created, and no other.
 */
export function createEnvoyAiGatewayEnforcer(
  options: EnvoyAiGatewayEnforcerOptions & { apis?: KubernetesApis },
): HaltEnforcer {
  const apis = options.apis ?? createKubernetesApis(options);
  const custom = apis.customObjects;

  async function call<T>(label: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const wrapped = new Error(
        describeKubernetesError(label, error, options.timeoutMs),
      );
      (wrapped as { code?: number }).code = kubernetesStatus(error);
      throw wrapped;
    }
  }

  const getPolicy = (namespace: string, name: string) =>
    call(`Kubernetes GET securitypolicy ${namespace}/${name}`, () =>
      custom.getNamespacedCustomObject(
        { ...SECURITY_POLICY, namespace, name },
        apis.call(),
      ),
    ).catch(error => {
      if (kubernetesStatus(error) === 404) return undefined;
      throw error;
    });

  function routesOf(ctx: HaltEnforcementContext): {
    routes: Route[];
    malformed: EnforcementResult[];
  } {
    const routes = new Map<string, Route>();
    const malformed: EnforcementResult[] = [];
    for (const { entityRef, value, items } of annotationLists(
      [ctx.pipeline, ...ctx.stages] as Entity[],
      ENVOY_AI_GATEWAY_ROUTE_ANNOTATION,
    )) {
      const bad = (item: string, problem: string) =>
        malformed.push({
          enforcer: ID,
          target: entityRef,
          status: 'failed',
          message: `${entityRef} annotation ${ENVOY_AI_GATEWAY_ROUTE_ANNOTATION}: "${item}" ${problem}`,
        });
      if (!items.length) bad(value, 'names no route');
      for (const item of items) {
        const parts = item.split('/');
        if (parts.length > 2) {
          bad(item, 'is not [<namespace>/]<name>');
          continue;
        }
        const [namespace, name] =
          parts.length === 2 ? parts : [options.defaultNamespace, parts[0]];
        if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
          bad(
            item,
            `namespace "${namespace}" is not a Kubernetes namespace name`,
          );
        } else if (
          (POLICY_PREFIX + name).length > 253 ||
          !DNS_SUBDOMAIN.test(name)
        ) {
          bad(item, `name "${name}" is not a Kubernetes object name`);
        } else {
          routes.set(`${namespace}/${name}`, { namespace, name });
        }
      }
    }
    return { routes: [...routes.values()], malformed };
  }

  async function haltOne(
    route: Route,
    previousUndo: EnvoyUndo | undefined,
    ctx: HaltEnforcementContext,
  ): Promise<EnforcementResult> {
    const target = routeTarget(route);
    const name = policyName(route);
    const undo = previousUndo ?? { namespace: route.namespace, policy: name };
    const res = (
      status: EnforcementResult['status'],
      message: string,
      withUndo?: EnvoyUndo,
    ): EnforcementResult => ({
      enforcer: ID,
      target,
      status,
      message,
      ...(withUndo ? { undo: { ...withUndo } } : {}),
    });

    let existing: unknown;
    try {
      existing = await getPolicy(route.namespace, name);
    } catch (error) {
      return res('failed', (error as Error).message, previousUndo);
    }
    if (existing) {
      // Created by an earlier attempt of this halt (its undo says so), or
      // by someone else: then it is left as it is on resume.
      if (previousUndo) {
        const { status, message } = acceptance(existing);
        return res(status, message, previousUndo);
      }
      return res(
        'applied',
        `SecurityPolicy ${route.namespace}/${name} was there before the halt; it is left on resume`,
      );
    }

    const body = {
      apiVersion: `${SECURITY_POLICY.group}/${SECURITY_POLICY.version}`,
      kind: 'SecurityPolicy',
      metadata: {
        name,
        namespace: route.namespace,
        labels: { ...MANAGED_BY_LABEL },
        annotations: {
          'ai-platform.io/halted-pipeline': stringifyEntityRef(ctx.pipeline),
          'ai-platform.io/halted-by': ctx.actor,
          'ai-platform.io/halted-at': ctx.at,
        },
      },
      spec: {
        // The HTTPRoute Envoy AI Gateway generates for the AIGatewayRoute.
        targetRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'HTTPRoute',
            name: route.name,
          },
        ],
        authorization: { defaultAction: 'Deny' },
      },
    };
    try {
      const created = await call(
        `Kubernetes POST securitypolicy ${route.namespace}/${name}`,
        () =>
          custom.createNamespacedCustomObject(
            { ...SECURITY_POLICY, namespace: route.namespace, body },
            apis.call(),
          ),
      );
      const { status, message } = acceptance(created);
      return res(status, message, undo);
    } catch (error) {
      // The undo is kept: a retry that finds the policy knows it was ours.
      return res('failed', (error as Error).message, undo);
    }
  }

  async function halt(
    ctx: HaltEnforcementContext,
  ): Promise<EnforcementResult[]> {
    const { routes, malformed } = routesOf(ctx);
    const previous = new Map<string, EnforcementResult>();
    for (const r of ctx.previous ?? []) {
      const undo = undoOf(r);
      if (undo) previous.set(`${undo.namespace}/${undo.policy}`, r);
    }
    const results = [...malformed];
    results.push(
      ...(await Promise.all(
        routes.map(route => {
          const prev = previous.get(`${route.namespace}/${policyName(route)}`);
          return haltOne(route, prev && undoOf(prev), ctx);
        }),
      )),
    );
    // Created by an earlier attempt but no longer annotated: kept while the
    // policy exists, so that resume still deletes it.
    const listed = new Set(routes.map(r => `${r.namespace}/${policyName(r)}`));
    const unlisted = [...previous].filter(([id]) => !listed.has(id));
    const kept = await Promise.all(
      unlisted.map(async ([, r]): Promise<EnforcementResult | undefined> => {
        if (r.status === 'applied') return r;
        const undo = undoOf(r)!;
        try {
          const policy = await getPolicy(undo.namespace, undo.policy);
          return policy
            ? { ...r, ...acceptance(policy), undo: { ...undo } }
            : undefined;
        } catch {
          return r;
        }
      }),
    );
    results.push(...kept.filter((r): r is EnforcementResult => !!r));
    return results;
  }

  async function resume(
    _ctx: HaltEnforcementContext,
    previous: EnforcementResult[],
  ): Promise<EnforcementResult[]> {
    const ours = previous
      .map(r => ({ r, undo: undoOf(r) }))
      .filter((x): x is { r: EnforcementResult; undo: EnvoyUndo } => !!x.undo);
    return Promise.all(
      ours.map(async ({ r, undo }) => {
        const label = `Kubernetes DELETE securitypolicy ${undo.namespace}/${undo.policy}`;
        try {
          await call(label, () =>
            custom.deleteNamespacedCustomObject(
              {
                ...SECURITY_POLICY,
                namespace: undo.namespace,
                name: undo.policy,
              },
              apis.call(),
            ),
          );
          return {
            enforcer: ID,
            target: r.target,
            status: 'applied' as const,
            message: 'SecurityPolicy deleted',
          };
        } catch (error) {
          if (kubernetesStatus(error) === 404) {
            return {
              enforcer: ID,
              target: r.target,
              status: 'applied' as const,
              message: 'SecurityPolicy already gone',
            };
          }
          return {
            enforcer: ID,
            target: r.target,
            status: 'failed' as const,
            message: (error as Error).message,
            undo: { ...undo },
          };
        }
      }),
    );
  }

  return {
    id: ID,
    appliesTo: ctx =>
      !!ctx.previous?.length ||
      [ctx.pipeline, ...ctx.stages].some(
        e =>
          e.metadata.annotations?.[ENVOY_AI_GATEWAY_ROUTE_ANNOTATION] !==
          undefined,
      ),
    halt,
    resume,
  };
}
