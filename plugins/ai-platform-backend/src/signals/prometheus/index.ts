export {
  DEFAULT_PROMETHEUS_SCHEDULE,
  PROMETHEUS_SOURCE,
  PrometheusCollector,
} from './PrometheusCollector';
export type {
  PrometheusCollectResult,
  PrometheusCollectorDeps,
  PrometheusCollectorOptions,
} from './PrometheusCollector';
export {
  PROMETHEUS_COLLECTOR_TASK_ID,
  schedulePrometheusCollector,
} from './schedulePrometheusCollector';
