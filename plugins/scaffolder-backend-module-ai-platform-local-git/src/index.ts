/**
 * Scaffolder backend module with the local-git actions of the embedded AI
 * Platform setup: publish a template's output as a git repository on the
 * backend's disk, and register its catalog files.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAiPlatformLocalGit as default } from './module';
export {
  createPublishLocalGitAction,
  PUBLISH_LOCAL_GIT_ACTION_ID,
} from './actions/publishLocalGit';
export {
  createRegisterFileAction,
  REGISTER_FILE_ACTION_ID,
} from './actions/registerFile';
