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
export {
  createPipelineWriteAction,
  PIPELINE_WRITE_ACTION_ID,
} from './actions/pipelineWrite';
export {
  createPublishLocalGitAction,
  PUBLISH_LOCAL_GIT_ACTION_ID,
} from './actions/publishLocalGit';
export {
  createRegisterFileAction,
  REGISTER_FILE_ACTION_ID,
} from './actions/registerFile';
export {
  createOwnersCheckAction,
  OWNERS_CHECK_ACTION_ID,
} from './actions/ownersCheck';
