/**
 * Backend library of the AI Platform plugins.
 *
 * @packageDocumentation
 */
export * from './spendPermissions';
export * from './scaffolderSettings';
export * from './ownerAccess';
export * from './localGitCatalog';
