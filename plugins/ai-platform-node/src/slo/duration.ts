const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
};

const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d|w)$/;

/**
 * Parses a duration as the AIPipeline kind writes it (`28d`, `6h`, `30m`,
 * `90s`, `500ms`, `1w`): a whole number followed by one unit, nothing else.
 * Returns milliseconds; throws a `TypeError` on anything else.
 *
 * @public
 */
export function parseDuration(duration: string): number {
  const match =
    typeof duration === 'string' ? DURATION_PATTERN.exec(duration) : null;
  if (!match) {
    throw new TypeError(
      `Invalid duration ${JSON.stringify(
        duration,
      )}: expected a whole number and a unit (ms, s, m, h, d, w), e.g. 28d or 6h`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  if (!Number.isSafeInteger(ms)) {
    throw new TypeError(
      `Invalid duration ${JSON.stringify(duration)}: too long`,
    );
  }
  return ms;
}
