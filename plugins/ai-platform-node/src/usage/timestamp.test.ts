import { MIN_USAGE_TIMESTAMP, parseUsageTimestamp } from './timestamp';

describe('parseUsageTimestamp', () => {
  const at = Date.UTC(2025, 0, 15, 10, 30, 5);

  it.each([
    ['2025-01-15T10:30:05Z', at],
    ['2025-01-15T10:30:05.000Z', at],
    ['2025-01-15T10:30:05.123456Z', at + 123],
    ['2025-01-15T12:30:05+02:00', at],
    ['2025-01-15T05:30:05-0500', at],
    ['2025-01-15T10:30:05', at],
    ['2025-01-15 10:30:05', at],
    ['2025-01-15 10:30:05.123456', at + 123],
    ['2025-01-15T10:30:05.5+00:00', at + 500],
    ['2025-01-15', Date.UTC(2025, 0, 15)],
    [at, at],
    [at + 0.7, at],
  ])('parses %p', (input, expected) => {
    expect(parseUsageTimestamp(input)).toBe(expected);
  });

  it('reads offset-less date-times as UTC, whatever the machine zone', () => {
    expect(parseUsageTimestamp('2025-06-30 23:59:59')).toBe(
      Date.UTC(2025, 5, 30, 23, 59, 59),
    );
  });

  it.each([
    '',
    'yesterday',
    '2025-13-01T00:00:00Z',
    '2025-02-30T00:00:00Z',
    '2025-01-15T24:00:00Z',
    '2025-01-15T10:60:00Z',
    '2025-01-15T10:30:05+25:00',
    '15/01/2025',
    '1736937005',
    NaN,
    Infinity,
    -1,
    1736937005, // epoch seconds
    MIN_USAGE_TIMESTAMP - 1,
    null,
    undefined,
    {},
    true,
  ])('rejects %p', input => {
    expect(parseUsageTimestamp(input)).toBeUndefined();
  });
});
