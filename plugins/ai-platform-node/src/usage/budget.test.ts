import { BudgetStatus } from '@aiplatform/plugin-ai-platform-common';
import {
  budgetCrossings,
  budgetReport,
  budgetStatus,
  forecastMonthEnd,
  monthToDate,
} from './budget';

const at = (iso: string) => Date.parse(iso);

/** One entry of `cost` for each day from `from` to `to`, inclusive. */
function days(from: string, to: string, cost: number) {
  const result = [];
  for (
    let t = at(`${from}T00:00:00Z`);
    t <= at(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    result.push({ day: new Date(t).toISOString().slice(0, 10), costUsd: cost });
  }
  return result;
}

describe('monthToDate', () => {
  it('spans the UTC month up to now', () => {
    const now = at('2025-03-15T12:00:00Z');
    expect(monthToDate(now)).toEqual({
      month: '2025-03',
      from: at('2025-03-01T00:00:00Z'),
      to: now,
      end: at('2025-04-01T00:00:00Z'),
    });
  });

  it('rolls over the year', () => {
    expect(monthToDate(at('2025-12-31T23:59:59Z'))).toMatchObject({
      month: '2025-12',
      end: at('2026-01-01T00:00:00Z'),
    });
  });
});

describe('forecastMonthEnd', () => {
  it('extrapolates the last 7 complete days over the rest of the month', () => {
    // March: 1st..14th at $10/day, today (15th) $6 by noon.
    const now = at('2025-03-15T12:00:00Z');
    const forecast = forecastMonthEnd({
      dailyCosts: [
        ...days('2025-03-01', '2025-03-14', 10),
        { day: '2025-03-15', costUsd: 6 },
      ],
      now,
    });
    expect(forecast.monthToDateUsd).toBe(146);
    expect(forecast.dailyRateUsd).toBe(10);
    expect(forecast.basisDays).toBe(7);
    // 16.5 days left (the rest of the 15th, and the 16th..31st).
    expect(forecast.forecastUsd).toBeCloseTo(146 + 16.5 * 10, 6);
  });

  it('weights recent days: only the last 7 count', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: [
        ...days('2025-03-01', '2025-03-07', 100),
        ...days('2025-03-08', '2025-03-14', 20),
      ],
      now: at('2025-03-15T00:00:00Z'),
    });
    expect(forecast.dailyRateUsd).toBe(20);
    expect(forecast.forecastUsd).toBeCloseTo(840 + 17 * 20, 6);
  });

  it('counts missing days in the window as zero spend', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: [
        ...days('2025-03-01', '2025-03-07', 7),
        { day: '2025-03-10', costUsd: 14 },
      ],
      now: at('2025-03-15T00:00:00Z'),
    });
    // Window 8th..14th holds $14 → $2/day.
    expect(forecast.dailyRateUsd).toBe(2);
  });

  it('does not dilute a service that started recently', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: days('2025-03-12', '2025-03-14', 30),
      now: at('2025-03-15T00:00:00Z'),
    });
    expect(forecast.basisDays).toBe(3);
    expect(forecast.dailyRateUsd).toBe(30);
  });

  it('uses last month’s days early in the month, but not in month-to-date', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: [
        ...days('2025-02-20', '2025-02-28', 50),
        { day: '2025-03-01', costUsd: 40 },
      ],
      now: at('2025-03-02T00:00:00Z'),
    });
    expect(forecast.monthToDateUsd).toBe(40);
    // Window Feb 23..Mar 1: 6 × 50 + 40.
    expect(forecast.dailyRateUsd).toBeCloseTo(340 / 7, 6);
    expect(forecast.forecastUsd).toBeCloseTo(40 + 30 * (340 / 7), 4);
  });

  it('extrapolates today when it is the only data', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: [{ day: '2025-03-15', costUsd: 5 }],
      now: at('2025-03-15T06:00:00Z'),
    });
    expect(forecast.basisDays).toBe(0);
    expect(forecast.dailyRateUsd).toBe(20);
    expect(forecast.forecastUsd).toBeCloseTo(5 + 16.75 * 20, 6);
  });

  it('does not explode just after midnight', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: [{ day: '2025-03-15', costUsd: 1 }],
      now: at('2025-03-15T00:00:30Z'),
    });
    expect(forecast.dailyRateUsd).toBe(24);
  });

  it('forecasts 0 with no data, and ignores future and malformed days', () => {
    expect(
      forecastMonthEnd({ dailyCosts: [], now: at('2025-03-15T00:00:00Z') }),
    ).toEqual({
      month: '2025-03',
      monthToDateUsd: 0,
      forecastUsd: 0,
      dailyRateUsd: 0,
      basisDays: 0,
    });
    expect(
      forecastMonthEnd({
        dailyCosts: [
          { day: '2025-03-20', costUsd: 100 },
          { day: '2025-3-1', costUsd: 100 },
          { day: '2025-03-02', costUsd: Number.NaN },
        ],
        now: at('2025-03-15T00:00:00Z'),
      }).forecastUsd,
    ).toBe(0);
  });

  it('adds up several entries of one day', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: [
        { day: '2025-03-14', costUsd: 1 },
        { day: '2025-03-14', costUsd: 2 },
      ],
      now: at('2025-03-15T00:00:00Z'),
    });
    expect(forecast.monthToDateUsd).toBe(3);
    expect(forecast.dailyRateUsd).toBe(3);
  });

  it('on the last instant of the month forecasts what was spent', () => {
    const forecast = forecastMonthEnd({
      dailyCosts: days('2025-03-01', '2025-03-31', 1),
      now: at('2025-04-01T00:00:00Z') - 1,
    });
    expect(forecast.forecastUsd).toBeCloseTo(31, 4);
  });
});

describe('budgetStatus', () => {
  it.each([
    [100, 50, 90, 'ok'],
    [100, 50, 100, 'ok'],
    [100, 50, 101, 'forecast-over'],
    [100, 100, 140, 'forecast-over'],
    [100, 100.01, 140, 'over'],
    [0, 0, 0, 'ok'],
    [0, 0.01, 0.01, 'over'],
  ])(
    'budget %p, actual %p, forecast %p → %p',
    (budgetUsd, actualUsd, forecastUsd, expected) => {
      expect(budgetStatus({ budgetUsd, actualUsd, forecastUsd })).toBe(
        expected,
      );
    },
  );
});

describe('budgetCrossings', () => {
  it.each<[BudgetStatus | null | undefined, BudgetStatus, string[]]>([
    [undefined, 'ok', []],
    [null, 'forecast-over', ['budget.forecast-exceeded']],
    ['ok', 'forecast-over', ['budget.forecast-exceeded']],
    ['ok', 'over', ['budget.exceeded']],
    [undefined, 'over', ['budget.exceeded']],
    ['forecast-over', 'over', ['budget.exceeded']],
    ['forecast-over', 'forecast-over', []],
    ['over', 'over', []],
    ['over', 'forecast-over', []],
    ['forecast-over', 'ok', []],
    ['over', 'ok', []],
  ])('%p → %p emits %p', (previous, current, expected) => {
    expect(budgetCrossings(previous, current)).toEqual(expected);
  });
});

describe('budgetReport', () => {
  it('puts month-to-date, forecast and status together', () => {
    expect(
      budgetReport({
        budgetUsd: 250,
        dailyCosts: days('2025-03-01', '2025-03-14', 10),
        now: at('2025-03-15T00:00:00Z'),
      }),
    ).toEqual({
      month: '2025-03',
      budgetUsd: 250,
      monthToDateUsd: 140,
      forecastUsd: 310,
      status: 'forecast-over',
    });
  });
});
