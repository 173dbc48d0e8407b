import { RangeToggle } from '../RangeToggle';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The ranges of the spend page. */
export const SPEND_RANGES = [
  { id: 'month', label: 'This month', ariaLabel: 'this month (UTC)' },
  { id: '30d', label: '30 d', ariaLabel: 'last 30 days' },
  { id: '90d', label: '90 d', ariaLabel: 'last 90 days' },
] as const;

export type SpendRangeId = (typeof SPEND_RANGES)[number]['id'];

export const DEFAULT_SPEND_RANGE: SpendRangeId = 'month';

/** Whether `value` is the id of a range of the spend page. */
export function isSpendRangeId(value: unknown): value is SpendRangeId {
  return SPEND_RANGES.some(range => range.id === value);
}

/**
 * The `from` and `to` (ISO 8601) of a range ending `now`. "This month" is
 * the UTC month, as budgets are.
 */
export function spendRangeBounds(
  range: SpendRangeId,
  now: number = Date.now(),
): { from: string; to: string } {
  const to = new Date(now);
  let from: number;
  if (range === 'month') {
    from = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1);
  } else {
    from = now - (range === '90d' ? 90 : 30) * DAY_MS;
  }
  return { from: new Date(from).toISOString(), to: to.toISOString() };
}

/** Picks the range of the spend page: this month, 30 or 90 days. */
export function SpendRangePicker(props: {
  value: SpendRangeId;
  onChange: (range: SpendRangeId) => void;
  disabled?: boolean;
}) {
  return (
    <RangeToggle options={SPEND_RANGES} ariaLabel="spend range" {...props} />
  );
}
