/**
 * AI Platform frontend plugin: the AI Platform page, the dashboard and the
 * ownership graph of AIPipeline entities, and the stages a Group owns.
 *
 * @packageDocumentation
 */
export {
  aiPlatformPlugin,
  AiPlatformPage,
  EntityPipelineDashboardContent,
  EntityPipelineOwnershipContent,
  EntityOwnedStagesCard,
} from './plugin';
export { aiPlatformApiRef } from './api/AiPlatformApi';
export type {
  AiPlatformApi,
  DashboardRange,
  ListAuditOptions,
} from './api/AiPlatformApi';
export { AiPlatformClient } from './api/AiPlatformClient';
export { OwnershipGraph } from './components/OwnershipGraph';
export type { OwnershipGraphProps } from './components/OwnershipGraph';
