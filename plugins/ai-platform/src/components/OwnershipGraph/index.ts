export { OwnershipGraph } from './OwnershipGraph';
export type { OwnershipGraphProps } from './OwnershipGraph';
