/**
 * A backend module of the AI Platform plugin that replays demo usage and
 * signals through the plugin's ingestion routes, for demo portals.
 *
 * @packageDocumentation
 */
export { aiPlatformModuleDemo as default } from './module';
