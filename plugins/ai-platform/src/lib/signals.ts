import {
  SIGNAL_NAMES,
  SignalName,
  SloOperator,
} from '@aiplatform/plugin-ai-platform-common';

/** How a signal is shown: the backend's raw unit converted for people. */
export interface SignalDisplay {
  /** Panel and column label, e.g. `Freshness lag`. */
  label: string;
  /** Unit of the displayed value, e.g. `h`, `%`, `s`, `USD`. */
  unit: string;
  /** Raw value (seconds, fraction, USD) to the displayed unit. */
  toDisplay(raw: number): number;
  /** Raw value as text with its unit, e.g. `1.5 h`, `99.9 %`, `$12.30`. */
  format(raw: number): string;
}

/** At most `digits` decimals, without trailing zeros. */
export function round(value: number, digits = 1): string {
  return String(Number(value.toFixed(digits)));
}

const fraction = (label: string): SignalDisplay => ({
  label,
  unit: '%',
  toDisplay: raw => raw * 100,
  format: raw => `${round(raw * 100, 2)} %`,
});

export const SIGNAL_DISPLAY: Record<SignalName, SignalDisplay> = {
  freshness: {
    label: 'Freshness lag',
    unit: 'h',
    toDisplay: raw => raw / 3600,
    format: raw => `${round(raw / 3600, 2)} h`,
  },
  accuracy: fraction('Accuracy'),
  quality: fraction('Quality'),
  latency: {
    label: 'Latency',
    unit: 's',
    toDisplay: raw => raw,
    format: raw => `${round(raw, 3)} s`,
  },
  availability: fraction('Availability'),
  cost: {
    label: 'Cost',
    unit: 'USD',
    toDisplay: raw => raw,
    format: raw => `$${raw.toFixed(2)}`,
  },
};

/** Display order of the signal panels. */
export const SIGNAL_ORDER: ReadonlyArray<SignalName> = SIGNAL_NAMES;

const OPERATOR_TEXT: Record<SloOperator, string> = {
  '<=': '≤',
  '<': '<',
  '>=': '≥',
  '>': '>',
};

/** An SLO objective as text, e.g. `freshness ≤ 6 h`. */
export function formatObjective(
  signal: SignalName,
  objective: { op: string; threshold: number },
): string {
  const op = OPERATOR_TEXT[objective.op as SloOperator] ?? objective.op;
  return `${signal} ${op} ${SIGNAL_DISPLAY[signal].format(
    objective.threshold,
  )}`;
}

/** A fraction as a percentage, e.g. `0.995` → `99.5 %`. */
export function formatPercent(value: number, digits = 2): string {
  return `${round(value * 100, digits)} %`;
}
