import { DailySpendItem } from '@aiplatform/plugin-ai-platform-common';
import { UNOWNED_COLOR } from '../../lib/ownerColor';
import { dailySpendFixture } from '../../testUtils';
import { buildTrend, daysBetween, formatTrendDay } from './trend';

describe('daysBetween', () => {
  it('lists the UTC days of a range, both ends included', () => {
    expect(
      daysBetween('2025-02-27T18:00:00.000Z', '2025-03-02T01:00:00.000Z'),
    ).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02']);
    expect(daysBetween('nope', '2025-03-02T01:00:00.000Z')).toEqual([]);
    expect(
      daysBetween('2025-03-02T00:00:00.000Z', '2025-03-01T00:00:00.000Z'),
    ).toEqual([]);
  });
});

describe('buildTrend', () => {
  it('makes a row per day of the range and a series per model, most expensive first', () => {
    const { rows, series } = buildTrend(
      dailySpendFixture().items,
      '2025-03-01T00:00:00.000Z',
      '2025-03-04T12:00:00.000Z',
    );

    expect(series.map(s => [s.id, s.label, s.totalUsd])).toEqual([
      ['s0', 'gpt-4o', 30],
      ['s1', 'claude-3.5-sonnet', 5],
      ['s2', 'gpt-4.1-mini', 3],
    ]);
    expect(new Set(series.map(s => s.color)).size).toBe(3);
    expect(rows).toEqual([
      { day: '2025-03-01', s0: 10, s1: 0, s2: 2 },
      { day: '2025-03-02', s0: 12, s1: 5, s2: 0 },
      { day: '2025-03-03', s0: 8, s1: 0, s2: 1 },
      { day: '2025-03-04', s0: 0, s1: 0, s2: 0 },
    ]);
  });

  it('sums the smaller models as "other" beyond the series limit', () => {
    const items: DailySpendItem[] = ['a', 'b', 'c', 'd', 'e'].map((key, i) => ({
      day: '2025-03-01',
      key,
      costUsd: 10 - i,
      requests: 1,
    }));
    const { rows, series } = buildTrend(
      items,
      '2025-03-01T00:00:00.000Z',
      '2025-03-01T10:00:00.000Z',
      3,
    );
    expect(series.map(s => [s.id, s.label, s.keys, s.totalUsd])).toEqual([
      ['s0', 'a', ['a'], 10],
      ['s1', 'b', ['b'], 9],
      ['other', 'other (3)', ['c', 'd', 'e'], 21],
    ]);
    expect(series[2].color).toBe(UNOWNED_COLOR);
    expect(rows).toEqual([{ day: '2025-03-01', s0: 10, s1: 9, other: 21 }]);
  });

  it('keeps days outside the range that have data, and has no series without data', () => {
    expect(
      buildTrend(
        [{ day: '2025-02-28', key: 'm', costUsd: 1, requests: 1 }],
        '2025-03-01T00:00:00.000Z',
        '2025-03-01T00:00:00.000Z',
      ).rows.map(r => r.day),
    ).toEqual(['2025-02-28', '2025-03-01']);
    expect(buildTrend([], 'x', 'y')).toEqual({ rows: [], series: [] });
  });
});

describe('formatTrendDay', () => {
  it('shows the day without time zone shifts', () => {
    expect(formatTrendDay('2025-03-05')).toBe('Mar 5');
    expect(formatTrendDay('junk')).toBe('junk');
  });
});
