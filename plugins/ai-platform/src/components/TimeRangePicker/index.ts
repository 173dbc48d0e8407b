export {
  DEFAULT_TIME_RANGE,
  TIME_RANGES,
  TimeRangePicker,
  timeRangeBounds,
} from './TimeRangePicker';
export type { TimeRangeId } from './TimeRangePicker';
