export {
  DEFAULT_SPEND_RANGE,
  SPEND_RANGES,
  SpendRangePicker,
  spendRangeBounds,
} from './SpendRangePicker';
export type { SpendRangeId } from './SpendRangePicker';
