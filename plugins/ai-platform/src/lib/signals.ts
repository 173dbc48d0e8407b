import {
  formatSignalValue,
  roundForDisplay,
  SIGNAL_NAMES,
  SignalName,
} from '@aiplatform/plugin-ai-platform-common';

/** At most `digits` decimals, without trailing zeros (shared with the backend's texts). */
export const round = roundForDisplay;

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

const display = (
  signal: SignalName,
  label: string,
  unit: string,
  toDisplay: (raw: number) => number,
): SignalDisplay => ({
  label,
  unit,
  toDisplay,
  format: raw => formatSignalValue(signal, raw),
});

const percent = (raw: number) => raw * 100;
const same = (raw: number) => raw;

export const SIGNAL_DISPLAY: Record<SignalName, SignalDisplay> = {
  freshness: display('freshness', 'Freshness lag', 'h', raw => raw / 3600),
  accuracy: display('accuracy', 'Accuracy', '%', percent),
  quality: display('quality', 'Quality', '%', percent),
  latency: display('latency', 'Latency', 's', same),
  availability: display('availability', 'Availability', '%', percent),
  cost: display('cost', 'Cost', 'USD', same),
};

/** Display order of the signal panels. */
export const SIGNAL_ORDER: ReadonlyArray<SignalName> = SIGNAL_NAMES;

/** A fraction as a percentage, e.g. `0.995` → `99.5 %`. */
export function formatPercent(value: number, digits = 2): string {
  return `${round(value * 100, digits)} %`;
}
