export { SignalCharts } from './SignalCharts';
export type { SignalChartsProps } from './SignalCharts';
