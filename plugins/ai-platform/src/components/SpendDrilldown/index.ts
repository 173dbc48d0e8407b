export { SpendDrilldown } from './SpendDrilldown';
export type { SpendDrilldownProps } from './SpendDrilldown';
export { crumbsOfPath, teamOfPath } from './path';
export type { DrillStep } from './path';
