/**
 * Usage older than this (2000-01-01) is taken for epoch seconds sent as milliseconds.
 *
 * @public
 */
export const MIN_USAGE_TIMESTAMP = Date.UTC(2000, 0, 1);

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses a usage timestamp to epoch milliseconds, or undefined when it is not
 * one. Accepts epoch milliseconds (finite, from 2000 on) and ISO 8601 dates
 * and date-times, with `T` or a space between date and time (LiteLLM writes
 * `YYYY-MM-DD HH:MM:SS`) and any number of fraction digits (Python writes
 * microseconds). A date-time without an offset is read as UTC, never as the
 * local time of the machine that parses it.
 *
 * @public
 */
export function parseUsageTimestamp(value: unknown): number | undefined {
  let ms: number | undefined;
  if (typeof value === 'number') {
    ms = Number.isFinite(value) ? Math.floor(value) : undefined;
  } else if (typeof value === 'string') {
    ms = parseDateTime(value.trim());
  } else if (value instanceof Date) {
    ms = value.getTime();
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < MIN_USAGE_TIMESTAMP) {
    return undefined;
  }
  // Beyond what a Date can hold.
  return ms > 8.64e15 ? undefined : ms;
}

function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (offset && offset.toUpperCase() !== 'Z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) return undefined;
    ms -= sign * (oh * 60 + om) * 60_000;
  }
  return ms;
}
