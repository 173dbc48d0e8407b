/**
 * The AI Platform backend plugin: ownership graphs and findings of AI
 * pipelines over the catalog.
 *
 * @packageDocumentation
 */
export { aiPlatformPlugin as default } from './plugin';
export type { OwnershipService } from './ownership/OwnershipService';
export { CatalogOwnershipService } from './ownership/CatalogOwnershipService';
