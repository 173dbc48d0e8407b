import { round } from './signals';

/**
 * A number with a compact suffix: below 1,000 as is (`digits` decimals),
 * then `k` (1 decimal), `M` and `B` (2 decimals), trailing zeros dropped.
 * Rounding moves up a unit (999.996 is `1k`, not `1000`).
 */
function compact(abs: number, digits: number, fixed: boolean): string {
  const units: Array<[number, string, number]> = [
    [1e9, 'B', 2],
    [1e6, 'M', 2],
    [1e3, 'k', 1],
  ];
  const small = fixed ? abs.toFixed(digits) : round(abs, digits);
  if (Number(small) < 1000) return small;
  for (let i = units.length - 1; i >= 0; i--) {
    const [size, suffix, unitDigits] = units[i];
    const text = round(abs / size, unitDigits);
    if (Number(text) < 1000 || i === 0) return `${text}${suffix}`;
  }
  return small;
}

/**
 * USD for people: `$12.34` (2 decimals) below $1,000, then `$12.3k`,
 * `$1.23M`, `$4.5B`. A non-zero amount under a cent is `<$0.01`, so a
 * cheap model never reads as free.
 */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs > 0 && abs < 0.005) return `${sign}<$0.01`;
  return `${sign}$${compact(abs, 2, true)}`;
}

/** USD with 2 decimals and thousands separators, e.g. `$12,345.67`. */
export function formatUsdExact(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  return `${sign}$${Math.abs(value).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

/** Token counts, compact: `950`, `12.3k`, `4.56M`, `1.2B`. */
export function formatTokens(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const sign = value < 0 ? '-' : '';
  return `${sign}${compact(Math.round(Math.abs(value)), 0, false)}`;
}

/** A count with thousands separators, e.g. `12,345`. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

/** `part` as a share of `whole`, e.g. `12.5 %`; `–` when `whole` is 0. */
export function formatShare(part: number, whole: number): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole <= 0) {
    return '–';
  }
  return `${round((part / whole) * 100, 1)} %`;
}
