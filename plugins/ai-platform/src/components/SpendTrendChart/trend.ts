import { DailySpendItem } from '@aiplatform/plugin-ai-platform-common';
import { UNOWNED_COLOR, stageColors } from '../../lib/ownerColor';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** At most this many days are filled in from the range (a year and a bit). */
const MAX_RANGE_DAYS = 400;

/** The key of the series that sums the smaller keys. */
export const OTHER_SERIES_ID = 'other';

/** One stacked series: a key (model) or the sum of the smaller ones. */
export interface TrendSeries {
  /**
   * The chart's data key: `s0`, `s1`, ... or `other`. Model names hold dots
   * (`gpt-4.1`), which recharts would read as paths.
   */
  id: string;
  /** The keys the series sums: one, or the smaller ones for `other`. */
  keys: string[];
  label: string;
  color: string;
  /** Cost over the whole range. */
  totalUsd: number;
}

export interface TrendData {
  /** One row per UTC day, oldest first: `day` and a cost per series id. */
  rows: Array<{ day: string } & Record<string, number | string>>;
  /** Most expensive first. */
  series: TrendSeries[];
}

/** The UTC days from `from` to `to`, both included; none if either is invalid. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    return [];
  }
  const first = Math.floor(start / DAY_MS) * DAY_MS;
  const days: string[] = [];
  for (let t = first; t <= end && days.length < MAX_RANGE_DAYS; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Daily spend per key as rows for a stacked chart: every day of the range
 * (days without spend are 0), one series per key, most expensive first,
 * and beyond `maxSeries` the smaller keys summed as "other".
 */
export function buildTrend(
  items: readonly DailySpendItem[],
  from: string,
  to: string,
  maxSeries = 8,
): TrendData {
  const totals = new Map<string, number>();
  for (const item of items) {
    if (!Number.isFinite(item.costUsd)) continue;
    totals.set(item.key, (totals.get(item.key) ?? 0) + item.costUsd);
  }
  const keys = [...totals.keys()].sort(
    (a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b),
  );
  const overflow = keys.length > maxSeries;
  const own = overflow ? keys.slice(0, Math.max(1, maxSeries - 1)) : keys;
  const rest = overflow ? keys.slice(own.length) : [];

  const colors = stageColors(own);
  const series: TrendSeries[] = own.map((key, index) => ({
    id: `s${index}`,
    keys: [key],
    label: key,
    color: colors.get(key)!,
    totalUsd: totals.get(key)!,
  }));
  if (rest.length > 0) {
    series.push({
      id: OTHER_SERIES_ID,
      keys: rest,
      label: `other (${rest.length})`,
      color: UNOWNED_COLOR,
      totalUsd: rest.reduce((sum, key) => sum + totals.get(key)!, 0),
    });
  }
  const seriesOf = new Map<string, string>();
  for (const s of series) for (const key of s.keys) seriesOf.set(key, s.id);

  const days = new Set(daysBetween(from, to));
  for (const item of items) if (DAY.test(item.day)) days.add(item.day);
  const rows = new Map<string, { day: string } & Record<string, number>>();
  for (const day of [...days].sort()) {
    const row = { day } as { day: string } & Record<string, number>;
    for (const s of series) row[s.id] = 0;
    rows.set(day, row);
  }
  for (const item of items) {
    const row = rows.get(item.day);
    const id = seriesOf.get(item.key);
    if (row && id && Number.isFinite(item.costUsd)) row[id] += item.costUsd;
  }
  return { rows: [...rows.values()], series };
}

/** A `YYYY-MM-DD` day as `Mar 5` (the day itself, not shifted by time zone). */
export function formatTrendDay(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(t)) return day;
  return new Date(t).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}
