import yaml from 'yaml';
import { GatewayRoute, SelfHostedModel } from './routeInput';

const AI_GATEWAY_API = 'aigateway.envoyproxy.io/v1beta1';
const ENVOY_GATEWAY_API = 'gateway.envoyproxy.io/v1alpha1';
const LABELS = { 'app.kubernetes.io/part-of': 'ai-platform' };

/** Envoy Gateway `Backend` for a self-hosted model server. */
function selfHostedBackend(name: string, selfHosted: SelfHostedModel) {
  return {
    apiVersion: ENVOY_GATEWAY_API,
    kind: 'Backend',
    metadata: { name, labels: LABELS },
    spec: {
      endpoints: [
        { fqdn: { hostname: selfHosted.host, port: selfHosted.port } },
      ],
    },
  };
}

/**
 * Envoy Gateway `BackendTrafficPolicy` with the token and request limits, or
 * undefined without limits. It targets the HTTPRoute that Envoy AI Gateway
 * generates for the route (same name): policies on a shared Gateway would
 * conflict, and only the oldest would apply.
 */
function rateLimitPolicy(route: GatewayRoute) {
  const clientSelectors = [
    {
      headers: [
        { type: 'Exact', name: 'x-backstage-entity', value: route.entityRef },
      ],
    },
  ];
  const rules: object[] = [];
  if (route.tokensPerMinute !== undefined) {
    rules.push({
      clientSelectors,
      limit: { requests: route.tokensPerMinute, unit: 'Minute' },
      // Counts tokens: nothing on the request, the total tokens on the response.
      cost: {
        request: { from: 'Number', number: 0 },
        response: {
          from: 'Metadata',
          metadata: {
            namespace: 'io.envoy.ai_gateway',
            key: 'llm_total_token',
          },
        },
      },
    });
  }
  if (route.requestsPerMinute !== undefined) {
    rules.push({
      clientSelectors,
      limit: { requests: route.requestsPerMinute, unit: 'Minute' },
    });
  }
  if (rules.length === 0) {
    return undefined;
  }
  return {
    apiVersion: ENVOY_GATEWAY_API,
    kind: 'BackendTrafficPolicy',
    metadata: { name: `${route.name}-rate-limit`, labels: LABELS },
    spec: {
      targetRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'HTTPRoute',
          name: route.name,
        },
      ],
      rateLimit: { type: 'Global', global: { rules } },
    },
  };
}

/**
 * The Envoy AI Gateway objects for a route: `AIGatewayRoute`,
 * `AIServiceBackend`, and either a `BackendSecurityPolicy` with the provider
 * key from a Secret or, for a self-hosted model, an Envoy Gateway `Backend`;
 * plus a `BackendTrafficPolicy` when limits are set.
 */
function envoyObjects(
  route: GatewayRoute,
  envoy: { gatewayName: string; upstreamBackend: string },
): object[] {
  const { name, entityRef, selfHosted } = route;
  const serviceBackend = `${name}-backend`;
  const annotations: Record<string, string> = {
    'backstage.io/owner': route.owner,
    'ai-platform.io/entity-ref': entityRef,
  };
  if (route.monthlyBudgetUsd !== undefined) {
    annotations['ai-platform.io/monthly-budget-usd'] = String(
      route.monthlyBudgetUsd,
    );
  }

  const objects: object[] = [
    {
      apiVersion: AI_GATEWAY_API,
      kind: 'AIGatewayRoute',
      metadata: { name, labels: LABELS, annotations },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: envoy.gatewayName,
          },
        ],
        rules: route.models.map(model => ({
          matches: [
            {
              headers: [
                { type: 'Exact', name: 'x-ai-eg-model', value: model },
                { type: 'Exact', name: 'x-backstage-entity', value: entityRef },
              ],
            },
          ],
          backendRefs: [{ name: serviceBackend }],
        })),
        llmRequestCosts: [
          { metadataKey: 'llm_input_token', type: 'InputToken' },
          { metadataKey: 'llm_output_token', type: 'OutputToken' },
          { metadataKey: 'llm_total_token', type: 'TotalToken' },
        ],
      },
    },
    {
      apiVersion: AI_GATEWAY_API,
      kind: 'AIServiceBackend',
      metadata: { name: serviceBackend, labels: LABELS },
      spec: {
        schema: { name: 'OpenAI' },
        backendRef: {
          group: 'gateway.envoyproxy.io',
          kind: 'Backend',
          name: selfHosted ? `${name}-model-server` : envoy.upstreamBackend,
        },
      },
    },
  ];
  if (selfHosted) {
    objects.push(selfHostedBackend(`${name}-model-server`, selfHosted));
  } else {
    objects.push({
      apiVersion: AI_GATEWAY_API,
      kind: 'BackendSecurityPolicy',
      metadata: { name: `${name}-api-key`, labels: LABELS },
      spec: {
        targetRefs: [
          {
            group: 'aigateway.envoyproxy.io',
            kind: 'AIServiceBackend',
            name: serviceBackend,
          },
        ],
        type: 'APIKey',
        // A reference to a Secret by name; the key value never appears here.
        apiKey: { secretRef: { name: route.secretName } },
      },
    });
  }
  const policy = rateLimitPolicy(route);
  if (policy) {
    objects.push(policy);
  }
  return objects;
}

/**
 * Names the AIGatewayRoute on the catalog entity, for the AI Platform
 * backend's `envoy-ai-gateway` halt enforcer: a halt denies the HTTPRoute
 * that Envoy AI Gateway generates for it (same name). No namespace: the
 * manifests carry none, so the enforcer takes the one it is configured
 * with (`aiPlatform.governance.enforcers.envoyAiGateway.namespace`).
 */
export const ENVOY_AI_GATEWAY_ROUTE_ANNOTATION =
  'ai-platform.io/envoy-ai-gateway-route';

/** The catalog annotations of an Envoy route. */
export function envoyHaltAnnotations(
  route: GatewayRoute,
): Record<string, string> {
  return { [ENVOY_AI_GATEWAY_ROUTE_ANNOTATION]: route.name };
}

/** The Envoy objects as one multi-document YAML file. */
export function envoyManifests(
  route: GatewayRoute,
  envoy: { gatewayName: string; upstreamBackend: string },
): string {
  return envoyObjects(route, envoy)
    .map(doc => yaml.stringify(doc))
    .join('---\n');
}
