export {
  DEFAULT_SPEND_RANGE,
  SPEND_RANGES,
  SpendRangePicker,
  isSpendRangeId,
  spendRangeBounds,
} from './SpendRangePicker';
export type { SpendRangeId } from './SpendRangePicker';
