import {
  formatSignalValue,
  formatSloObjective,
  roundForDisplay,
} from './format';

describe('formatSignalValue', () => {
  it('shows freshness lag in hours, latency in seconds, cost in dollars', () => {
    expect(formatSignalValue('freshness', 21_600)).toBe('6 h');
    expect(formatSignalValue('freshness', 5400)).toBe('1.5 h');
    expect(formatSignalValue('latency', 0.25)).toBe('0.25 s');
    expect(formatSignalValue('cost', 12.3)).toBe('$12.30');
  });

  it('shows accuracy, quality and availability as percentages', () => {
    for (const signal of ['accuracy', 'quality', 'availability'] as const) {
      expect(formatSignalValue(signal, 0.9995)).toBe('99.95 %');
    }
  });
});

describe('formatSloObjective', () => {
  it('formats SLO objectives with the signal, the operator and the unit', () => {
    expect(formatSloObjective('freshness', { op: '<=', threshold: 7200 })).toBe(
      'freshness ≤ 2 h',
    );
    expect(formatSloObjective('accuracy', { op: '>=', threshold: 0.9 })).toBe(
      'accuracy ≥ 90 %',
    );
    expect(formatSloObjective('latency', { op: '<', threshold: 1.5 })).toBe(
      'latency < 1.5 s',
    );
    expect(formatSloObjective('cost', { op: '>', threshold: 40 })).toBe(
      'cost > $40.00',
    );
  });

  it('keeps an operator it does not know as written', () => {
    expect(formatSloObjective('quality', { op: '==', threshold: 0.5 })).toBe(
      'quality == 50 %',
    );
  });
});

describe('roundForDisplay', () => {
  it('rounds without trailing zeros', () => {
    expect(roundForDisplay(1.0)).toBe('1');
    expect(roundForDisplay(1.26, 1)).toBe('1.3');
    expect(roundForDisplay(-0.125, 2)).toBe('-0.13');
  });
});
