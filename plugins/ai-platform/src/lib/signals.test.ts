import { SIGNAL_DISPLAY, formatPercent, round } from './signals';

describe('signal display', () => {
  it('shows freshness lag in hours', () => {
    expect(SIGNAL_DISPLAY.freshness.unit).toBe('h');
    expect(SIGNAL_DISPLAY.freshness.toDisplay(5400)).toBe(1.5);
    expect(SIGNAL_DISPLAY.freshness.format(21_600)).toBe('6 h');
  });

  it('shows accuracy, quality and availability as percentages', () => {
    for (const signal of ['accuracy', 'quality', 'availability'] as const) {
      expect(SIGNAL_DISPLAY[signal].unit).toBe('%');
      expect(SIGNAL_DISPLAY[signal].toDisplay(0.5)).toBe(50);
      expect(SIGNAL_DISPLAY[signal].format(0.9995)).toBe('99.95 %');
    }
  });

  it('shows latency in seconds and cost in dollars', () => {
    expect(SIGNAL_DISPLAY.latency.format(0.25)).toBe('0.25 s');
    expect(SIGNAL_DISPLAY.latency.toDisplay(2)).toBe(2);
    expect(SIGNAL_DISPLAY.cost.format(12.3)).toBe('$12.30');
  });

  it('rounds without trailing zeros', () => {
    expect(round(1.0)).toBe('1');
    expect(round(1.26, 1)).toBe('1.3');
    expect(formatPercent(0.25)).toBe('25 %');
    expect(formatPercent(-0.125, 1)).toBe('-12.5 %');
  });
});
