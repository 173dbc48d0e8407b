import {
  BudgetReport,
  BudgetStatus,
} from '@aiplatform/plugin-ai-platform-common';
import { dayBucket, dayKey, roundUsd } from './rollup';
import { BudgetAuditEventType } from './types';

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Days of run rate the forecast looks back over.
 *
 * @public
 */
export const FORECAST_WINDOW_DAYS = 7;

/**
 * One UTC day's spend.
 *
 * @public
 */
export interface DailyCost {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  costUsd: number;
}

/**
 * The current UTC month up to `now`.
 *
 * @public
 */
export interface MonthToDate {
  /** `YYYY-MM`. */
  month: string;
  /** Start of the UTC month, epoch ms. */
  from: number;
  /** `now`, epoch ms. */
  to: number;
  /** Start of the next UTC month, epoch ms. */
  end: number;
}

/**
 * The UTC month of `now`, from its first instant to `now`.
 *
 * @public
 */
export function monthToDate(now: number): MonthToDate {
  const d = new Date(now);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { month: dayKey(from).slice(0, 7), from, to: now, end };
}

/** @public */
export interface MonthEndForecast {
  /** `YYYY-MM`. */
  month: string;
  /** Spend of the month so far (today included). */
  monthToDateUsd: number;
  /** Spend expected by the end of the month. */
  forecastUsd: number;
  /** The run rate used, USD per day. */
  dailyRateUsd: number;
  /** Whole days the run rate is averaged over (0: today's partial day, or no data). */
  basisDays: number;
}

/**
 * Forecasts the month-end spend from daily costs.
 *
 * Method: month-to-date spend (days of this UTC month up to and including
 * today) plus a run rate times the time left in the month (the rest of today
 * counts as a fraction of a day).
 *
 * The run rate is the average daily spend of the last 7 complete UTC days
 * before today (today is partial and would read low), across a month
 * boundary if need be (on the 2nd, last month's traffic says more than one
 * day). Days with no entry in that window count as 0 (a day without rows is
 * a day without spend), but the window never starts before the first day
 * with data, so a service that started three days ago is averaged over three
 * days, not diluted over seven. When the only data is today's, the rate is
 * today's spend over the part of today that has passed (at least an hour, so
 * a minute after midnight does not explode). With no data at all the
 * forecast is 0.
 *
 * @public
 */
export function forecastMonthEnd(input: {
  dailyCosts: readonly DailyCost[];
  now: number;
}): MonthEndForecast {
  const { now } = input;
  const mtd = monthToDate(now);
  const today = dayBucket(now);
  const todayKey = dayKey(now);
  const monthStartKey = dayKey(mtd.from);

  const byDay = new Map<string, number>();
  for (const { day, costUsd } of input.dailyCosts) {
    if (!DAY.test(day) || !Number.isFinite(costUsd) || day > todayKey) {
      continue;
    }
    byDay.set(day, (byDay.get(day) ?? 0) + costUsd);
  }

  let monthToDateUsd = 0;
  for (const [day, cost] of byDay) {
    if (day >= monthStartKey && day <= todayKey) monthToDateUsd += cost;
  }

  const firstDay = [...byDay.keys()].sort()[0];
  let dailyRateUsd = 0;
  let basisDays = 0;
  if (firstDay !== undefined) {
    const firstDayMs = Date.parse(`${firstDay}T00:00:00Z`);
    const windowStart = Math.max(
      today - FORECAST_WINDOW_DAYS * DAY_MS,
      Number.isFinite(firstDayMs) ? firstDayMs : today,
    );
    basisDays = Math.max(0, Math.round((today - windowStart) / DAY_MS));
    if (basisDays > 0) {
      let sum = 0;
      for (let t = windowStart; t < today; t += DAY_MS) {
        sum += byDay.get(dayKey(t)) ?? 0;
      }
      dailyRateUsd = sum / basisDays;
    } else {
      const elapsedDays = Math.max(now - today, 3_600_000) / DAY_MS;
      dailyRateUsd = (byDay.get(todayKey) ?? 0) / elapsedDays;
    }
  }

  const remainingDays = Math.max(0, mtd.end - now) / DAY_MS;
  return {
    month: mtd.month,
    monthToDateUsd: roundUsd(monthToDateUsd),
    forecastUsd: roundUsd(monthToDateUsd + dailyRateUsd * remainingDays),
    dailyRateUsd: roundUsd(dailyRateUsd),
    basisDays,
  };
}

/**
 * A budget's status: `over` when actual spend exceeds it, `forecast-over`
 * when only the month-end forecast does, else `ok`. Reaching the budget
 * exactly is not exceeding it.
 *
 * @public
 */
export function budgetStatus(input: {
  budgetUsd: number;
  actualUsd: number;
  forecastUsd: number;
}): BudgetStatus {
  if (input.actualUsd > input.budgetUsd) return 'over';
  if (input.forecastUsd > input.budgetUsd) return 'forecast-over';
  return 'ok';
}

const SEVERITY: Record<BudgetStatus, number> = {
  ok: 0,
  'forecast-over': 1,
  over: 2,
};

/**
 * The audit events to emit when a budget's status changes from `previous`
 * (null/undefined: never evaluated, read as `ok`) to `current`: one event
 * when it gets worse (`budget.forecast-exceeded` on reaching forecast-over,
 * `budget.exceeded` on reaching over, also straight from ok, where a
 * forecast event would only repeat it); none when it stays or improves. Keep
 * `previous` per budget and month, so each month can cross again.
 *
 * @public
 */
export function budgetCrossings(
  previous: BudgetStatus | null | undefined,
  current: BudgetStatus,
): BudgetAuditEventType[] {
  if (SEVERITY[current] <= SEVERITY[previous ?? 'ok']) return [];
  return current === 'over'
    ? ['budget.exceeded']
    : ['budget.forecast-exceeded'];
}

/**
 * Month-to-date spend, forecast and status of one budget.
 *
 * @public
 */
export function budgetReport(input: {
  budgetUsd: number;
  dailyCosts: readonly DailyCost[];
  now: number;
}): BudgetReport {
  const forecast = forecastMonthEnd(input);
  return {
    month: forecast.month,
    budgetUsd: input.budgetUsd,
    monthToDateUsd: forecast.monthToDateUsd,
    forecastUsd: forecast.forecastUsd,
    status: budgetStatus({
      budgetUsd: input.budgetUsd,
      actualUsd: forecast.monthToDateUsd,
      forecastUsd: forecast.forecastUsd,
    }),
  };
}
