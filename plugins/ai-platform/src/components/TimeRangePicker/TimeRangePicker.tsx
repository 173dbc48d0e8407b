import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The time ranges the dashboard offers. */
export const TIME_RANGES = [
  { id: '7d', label: '7 d', days: 7 },
  { id: '30d', label: '30 d', days: 30 },
  { id: '90d', label: '90 d', days: 90 },
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
  const { value, onChange, disabled } = props;
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      disabled={disabled}
      aria-label="time range"
      onChange={(_e, next: TimeRangeId | null) => {
        if (next && next !== value) onChange(next);
      }}
    >
      {TIME_RANGES.map(range => (
        <ToggleButton
          key={range.id}
          value={range.id}
          aria-label={`last ${range.days} days`}
        >
          {range.label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
