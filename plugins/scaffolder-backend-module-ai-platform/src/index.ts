/**
 * Scaffolder backend module with the AI Platform actions.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAiPlatform as default } from './module';
export {
  createGpuProvisionAction,
  GPU_PROVISION_ACTION_ID,
} from './actions/gpuProvision';
export {
  createGatewayRouteAction,
  GATEWAY_ROUTE_ACTION_ID,
} from './actions/gatewayRoute';
