import { SignalName, SloOperator } from '../kind/constants';

/**
 * A number with at most `digits` decimals, without trailing zeros: `1.50` → `1.5`.
 *
 * @public
 */
export function roundForDisplay(value: number, digits = 1): string {
  return String(Number(value.toFixed(digits)));
}

/**
 * A signal's raw value (seconds, a fraction, USD) as text with its unit:
 * `1.5 h` of freshness lag, `99.95 %`, `0.25 s`, `$12.30`.
 *
 * @public
 */
export function formatSignalValue(signal: SignalName, raw: number): string {
  switch (signal) {
    case 'freshness':
      return `${roundForDisplay(raw / 3600, 2)} h`;
    case 'latency':
      return `${roundForDisplay(raw, 3)} s`;
    case 'cost':
      return `$${raw.toFixed(2)}`;
    default:
      return `${roundForDisplay(raw * 100, 2)} %`;
  }
}

const OPERATOR_TEXT: Record<SloOperator, string> = {
  '<=': '≤',
  '<': '<',
  '>=': '≥',
  '>': '>',
};

/**
 * An SLO objective as text, e.g. `freshness ≤ 6 h` or `accuracy ≥ 90 %`.
 *
 * @public
 */
export function formatSloObjective(
  signal: SignalName,
  objective: { op: string; threshold: number },
): string {
  const op = OPERATOR_TEXT[objective.op as SloOperator] ?? objective.op;
  return `${signal} ${op} ${formatSignalValue(signal, objective.threshold)}`;
}
