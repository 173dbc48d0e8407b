export { SpendSummary } from './SpendSummary';
export type { SpendSummaryProps } from './SpendSummary';
