/**
 * GPUs an entity created by the templates requests (an integer).
 *
 * @public
 */
export const GPU_REQUEST_ANNOTATION = 'ai-platform.io/gpu-request';
/**
 * The GPU flavor (from `aiPlatform.gpu.flavors`) of that request.
 *
 * @public
 */
export const GPU_FLAVOR_ANNOTATION = 'ai-platform.io/gpu-flavor';
/**
 * The extended resource requested, e.g. `nvidia.com/gpu`.
 *
 * @public
 */
export const GPU_RESOURCE_ANNOTATION = 'ai-platform.io/gpu-resource';
/**
 * Name of the gateway route (Envoy `AIGatewayRoute` or LiteLLM team alias).
 *
 * @public
 */
export const GATEWAY_ROUTE_ANNOTATION = 'ai-platform.io/gateway-route';
/**
 * Comma-separated models the service may call through the gateway.
 *
 * @public
 */
export const GATEWAY_MODELS_ANNOTATION = 'ai-platform.io/gateway-models';
/**
 * The gateway key alias, `component:<namespace>/<name>`: the usage
 * attribution joins gateway calls to the entity through it.
 *
 * @public
 */
export const GATEWAY_KEY_ALIAS_ANNOTATION = 'ai-platform.io/gateway-key-alias';
/**
 * Name of the Kubernetes Secret holding the service's gateway key.
 *
 * @public
 */
export const GATEWAY_SECRET_ANNOTATION = 'ai-platform.io/gateway-secret';
