import {
  formatCount,
  formatShare,
  formatTokens,
  formatUsd,
  formatUsdExact,
} from './format';

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [0.004, '<$0.01'],
    [0.005, '$0.01'],
    [1.5, '$1.50'],
    [12.345, '$12.35'],
    [999.99, '$999.99'],
    [999.996, '$1k'],
    [1000, '$1k'],
    [1234.56, '$1.2k'],
    [12_345, '$12.3k'],
    [999_949, '$999.9k'],
    [999_960, '$1M'],
    [1_234_567, '$1.23M'],
    [2_500_000_000, '$2.5B'],
    [-12.5, '-$12.50'],
    [-0.001, '-<$0.01'],
    [Number.NaN, '–'],
  ])('%p is %p', (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });
});

describe('formatUsdExact', () => {
  it.each([
    [0, '$0.00'],
    [12.345, '$12.35'],
    [12_345.6, '$12,345.60'],
    [-1234, '-$1,234.00'],
  ])('%p is %p', (value, text) => {
    expect(formatUsdExact(value)).toBe(text);
  });
});

describe('formatTokens', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [999.6, '1k'],
    [1000, '1k'],
    [12_345, '12.3k'],
    [4_560_000, '4.56M'],
    [1_200_000_000, '1.2B'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%p is %p', (value, text) => {
    expect(formatTokens(value)).toBe(text);
  });
});

describe('formatCount and formatShare', () => {
  it('formats counts with separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(3)).toBe('3');
  });

  it('formats a share of a whole, or a dash without a whole', () => {
    expect(formatShare(25, 200)).toBe('12.5 %');
    expect(formatShare(1, 3)).toBe('33.3 %');
    expect(formatShare(0, 10)).toBe('0 %');
    expect(formatShare(5, 0)).toBe('–');
  });
});
