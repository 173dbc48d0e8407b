/**
 * Scaffolder backend module with the AI Platform governance actions: owner
 * check, gateway route, GPU quota and AIPipeline writer.
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
export {
  createPipelineWriteAction,
  PIPELINE_WRITE_ACTION_ID,
} from './actions/pipelineWrite';
export {
  createOwnersCheckAction,
  OWNERS_CHECK_ACTION_ID,
} from './actions/ownersCheck';
