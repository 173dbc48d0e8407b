import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['30m', 30 * 60_000],
    ['6h', 6 * 3_600_000],
    ['28d', 28 * 86_400_000],
    ['1w', 7 * 86_400_000],
    ['0s', 0],
  ])('parses %s', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('tells minutes from milliseconds', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('5ms')).toBe(5);
  });

  it.each([
    '',
    '28',
    'd',
    '1.5h',
    '-1h',
    ' 1h',
    '1h ',
    '1H',
    '1y',
    '1h30m',
    'PT1H',
    '99999999999999999999d',
  ])('throws on %j', input => {
    expect(() => parseDuration(input)).toThrow(TypeError);
  });

  it('throws on values that are not strings', () => {
    expect(() => parseDuration(undefined as unknown as string)).toThrow(
      /Invalid duration/,
    );
    expect(() => parseDuration(3600 as unknown as string)).toThrow(
      /Invalid duration/,
    );
  });
});
