/**
 * A permission policy for the AI Platform plugins.
 *
 * @packageDocumentation
 */
export { permissionModuleAiPlatformPolicy as default } from './module';
export { AiPlatformPermissionPolicy } from './AiPlatformPermissionPolicy';
