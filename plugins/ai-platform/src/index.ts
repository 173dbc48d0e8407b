/**
 * AI Platform frontend plugin: the AI Platform page (with AI spend), the
 * dashboard and the ownership graph of AIPipeline entities, the stages a
 * Group owns, and the AI spend card of Groups and AIPipelines.
 *
 * @packageDocumentation
 */
export {
  aiPlatformPlugin,
  AiPlatformPage,
  EntityPipelineDashboardContent,
  EntityPipelineOwnershipContent,
  EntityOwnedStagesCard,
  EntitySpendCard,
} from './plugin';
export { aiPlatformApiRef } from './api/AiPlatformApi';
export type {
  AiPlatformApi,
  DashboardRange,
  ListAuditOptions,
  SpendQuery,
} from './api/AiPlatformApi';
export { AiPlatformClient } from './api/AiPlatformClient';
export { OwnershipGraph } from './components/OwnershipGraph';
export type { OwnershipGraphProps } from './components/OwnershipGraph';
