/**
 * AI Platform frontend plugin: the AI Platform page (with AI spend), the
 * dashboard and the ownership graph of AIPipeline entities, the stages a
 * Group owns, the AI spend card of Groups and AIPipelines, and the
 * `AiModelPicker` and `GpuFlavorPicker` scaffolder form fields.
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
  AiModelPickerFieldExtension,
  GpuFlavorPickerFieldExtension,
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
export {
  AiModelPicker,
  AiModelPickerFieldSchema,
} from './components/AiModelPicker';
export type {
  AiModelPickerProps,
  AiModelPickerUiOptions,
} from './components/AiModelPicker';
export {
  GpuFlavorPicker,
  GpuFlavorPickerFieldSchema,
} from './components/GpuFlavorPicker';
export type {
  GpuFlavorPickerProps,
  GpuFlavorPickerUiOptions,
} from './components/GpuFlavorPicker';
