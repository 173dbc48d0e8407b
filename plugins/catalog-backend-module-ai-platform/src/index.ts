/**
 * Catalog backend module for the AIPipeline kind.
 *
 * @packageDocumentation
 */
export { catalogModuleAiPlatform as default } from './module';
export { AIPipelineEntityProcessor } from './processor/AIPipelineEntityProcessor';
