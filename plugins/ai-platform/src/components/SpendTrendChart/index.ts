export { SpendTrendChart } from './SpendTrendChart';
export type { SpendTrendChartProps } from './SpendTrendChart';
