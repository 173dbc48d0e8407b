import { RangeToggle } from '../RangeToggle';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The time ranges the dashboard offers. */
export const TIME_RANGES = [
  { id: '7d', label: '7 d', days: 7, ariaLabel: 'last 7 days' },
  { id: '30d', label: '30 d', days: 30, ariaLabel: 'last 30 days' },
  { id: '90d', label: '90 d', days: 90, ariaLabel: 'last 90 days' },
] as const;

export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];

export const DEFAULT_TIME_RANGE: TimeRangeId = '30d';

/** The `from` and `to` (ISO 8601) of a range ending `now`. */
export function timeRangeBounds(
  range: TimeRangeId,
  now: number = Date.now(),
): { from: string; to: string } {
  const days = TIME_RANGES.find(r => r.id === range)?.days ?? 30;
  return {
    from: new Date(now - days * DAY_MS).toISOString(),
    to: new Date(now).toISOString(),
  };
}

/** Picks the time range of the dashboard: 7, 30 or 90 days. */
export function TimeRangePicker(props: {
  value: TimeRangeId;
  onChange: (range: TimeRangeId) => void;
  disabled?: boolean;
}) {
  return (
    <RangeToggle options={TIME_RANGES} ariaLabel="time range" {...props} />
  );
}
