export { UnpricedModelsCard } from './UnpricedModelsCard';
export type { UnpricedModelsCardProps } from './UnpricedModelsCard';
