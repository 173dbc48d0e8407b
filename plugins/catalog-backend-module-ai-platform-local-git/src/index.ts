/**
 * Catalog backend module for the embedded AI Platform setup: the
 * `ai-platform-local-git` location type, which reads only the catalog files
 * of the repositories the scaffolder published under the local git root, and
 * the rules for such files that the local-git scaffolder actions apply too.
 *
 * @packageDocumentation
 */
export { catalogModuleAiPlatformLocalGit as default } from './module';
export { LocalGitLocationProcessor } from './processor/LocalGitLocationProcessor';
export {
  LOCAL_GIT_LOCATION_TYPE,
  LOCAL_GIT_ROOT_KEY,
  MAX_LOCAL_GIT_CATALOG_FILE_BYTES,
  checkCatalogFilePath,
  parseGeneratedCatalogFile,
  readLocalGitRoot,
  resolveLocalGitTarget,
} from './localGitCatalog';
