import {
  AIPipelineSlo,
  BurnRateAlert,
} from '@aiplatform/plugin-ai-platform-common';
import {
  BURN_RATE_ALERT_RULES,
  evaluateSlo,
  meetsObjective,
} from './evaluateSlo';
import { SloSample, SloSamples } from './types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-06-01T12:00:00Z');

const GOOD = 0.95;
const BAD = 0.5;

/** accuracy >= 0.9 for 99 % of the hours of 28 days. */
const accuracySlo: AIPipelineSlo = {
  name: 'answer-accuracy',
  signal: 'accuracy',
  objective: { op: '>=', threshold: 0.9 },
  target: 0.99,
  window: '28d',
};

/**
 * `count` samples of `step` ms ending at NOW, oldest first; `value` gets the
 * age index k (0 = the latest slice, which starts at NOW - step).
 */
function series(
  count: number,
  step: number,
  value: (k: number) => number,
): SloSample[] {
  const out: SloSample[] = [];
  for (let k = count - 1; k >= 0; k--) {
    out.push({ start: NOW - (k + 1) * step, value: value(k) });
  }
  return out;
}

/** 28 days of hourly samples and 6 h of minute samples. */
function samples(
  hourly: (k: number) => number = () => GOOD,
  fine: (k: number) => number = () => GOOD,
): SloSamples {
  return {
    hourly: series(28 * 24, HOUR, hourly),
    fine: series(360, MIN, fine),
  };
}

function alert(alerts: BurnRateAlert[], long: string): BurnRateAlert {
  return alerts.find(a => a.long === long)!;
}

function firing(alerts: BurnRateAlert[]): string[] {
  return alerts.filter(a => a.firing).map(a => `${a.long}/${a.short}`);
}

describe('meetsObjective', () => {
  it.each([
    ['<=', 1, true],
    ['<=', 2, true],
    ['<=', 3, false],
    ['<', 1, true],
    ['<', 2, false],
    ['<', 3, false],
    ['>=', 1, false],
    ['>=', 2, true],
    ['>=', 3, true],
    ['>', 1, false],
    ['>', 2, false],
    ['>', 3, true],
  ] as const)('%s 2 with value %d is %s', (op, value, expected) => {
    expect(meetsObjective(value, { op, threshold: 2 })).toBe(expected);
  });

  it('throws on an unknown operator', () => {
    expect(() => meetsObjective(1, { op: '==' as '<=', threshold: 1 })).toThrow(
      /Unknown SLO operator/,
    );
  });
});

describe('evaluateSlo', () => {
  it('reports an SLO whose every interval is good as ok', () => {
    const report = evaluateSlo(accuracySlo, samples(), NOW);
    expect(report).toEqual({
      name: 'answer-accuracy',
      signal: 'accuracy',
      stage: null,
      objective: { op: '>=', threshold: 0.9 },
      target: 0.99,
      window: '28d',
      status: 'ok',
      attainment: 1,
      errorBudgetRemaining: 1,
      burnRates: [
        {
          long: '1h',
          short: '5m',
          threshold: 14.4,
          severity: 'page',
          longRate: 0,
          shortRate: 0,
          firing: false,
        },
        {
          long: '6h',
          short: '30m',
          threshold: 6,
          severity: 'page',
          longRate: 0,
          shortRate: 0,
          firing: false,
        },
        {
          long: '3d',
          short: '6h',
          threshold: 1,
          severity: 'ticket',
          longRate: 0,
          shortRate: 0,
          firing: false,
        },
      ],
    });
  });

  it('copies the stage of a stage-level SLO', () => {
    const report = evaluateSlo(
      { ...accuracySlo, stage: 'retrieval' },
      samples(),
      NOW,
    );
    expect(report.stage).toBe('retrieval');
  });

  it('defaults a missing window to 28d', () => {
    const { window: _window, ...rest } = accuracySlo;
    const report = evaluateSlo(rest as AIPipelineSlo, samples(), NOW);
    expect(report.window).toBe('28d');
    expect(report.status).toBe('ok');
  });

  it('throws on an invalid window', () => {
    expect(() =>
      evaluateSlo({ ...accuracySlo, window: '4 weeks' }, samples(), NOW),
    ).toThrow(/Invalid duration/);
  });

  describe('no data', () => {
    it('is no-data without samples', () => {
      const report = evaluateSlo(accuracySlo, { hourly: [], fine: [] }, NOW);
      expect(report.status).toBe('no-data');
      expect(report.attainment).toBeNull();
      expect(report.errorBudgetRemaining).toBeNull();
      for (const a of report.burnRates) {
        expect(a.longRate).toBeNull();
        expect(a.shortRate).toBeNull();
        expect(a.firing).toBe(false);
      }
    });

    it('only counts samples starting in [now - window, now)', () => {
      const outside: SloSamples = {
        hourly: [
          { start: NOW - 28 * DAY - HOUR, value: BAD },
          { start: NOW, value: BAD },
          { start: NOW + HOUR, value: BAD },
        ],
        fine: [{ start: NOW, value: BAD }],
      };
      expect(evaluateSlo(accuracySlo, outside, NOW).status).toBe('no-data');

      const edge: SloSamples = {
        hourly: [{ start: NOW - 28 * DAY, value: GOOD }, ...outside.hourly],
        fine: [],
      };
      const report = evaluateSlo(accuracySlo, edge, NOW);
      expect(report.status).toBe('ok');
      expect(report.attainment).toBe(1);
    });

    it('skips samples without a finite value', () => {
      const report = evaluateSlo(
        accuracySlo,
        {
          hourly: [
            { start: NOW - 2 * HOUR, value: NaN },
            { start: NOW - HOUR, value: GOOD },
          ],
          fine: [{ start: NOW - MIN, value: Infinity }],
        },
        NOW,
      );
      expect(report.attainment).toBe(1);
      expect(alert(report.burnRates, '1h').longRate).toBeNull();
    });
  });

  describe('attainment and error budget', () => {
    // Bad hours older than 3 days, so no burn-rate alert fires.
    const oldBad = (n: number) => (k: number) =>
      k >= 100 && k < 100 + n ? BAD : GOOD;

    it('spends the budget in proportion to the bad intervals', () => {
      const report = evaluateSlo(accuracySlo, samples(oldBad(3)), NOW);
      expect(report.attainment).toBeCloseTo(669 / 672, 12);
      // 1 - (3/672) / 0.01
      expect(report.errorBudgetRemaining).toBeCloseTo(1 - 3 / 6.72, 12);
      expect(report.status).toBe('ok');
      expect(firing(report.burnRates)).toEqual([]);
    });

    it('is at-risk when less than a quarter of the budget is left', () => {
      // 6 bad of 672: attainment 99.1 % >= 99 %, budget 10.7 % left.
      const report = evaluateSlo(accuracySlo, samples(oldBad(6)), NOW);
      expect(report.attainment!).toBeGreaterThanOrEqual(0.99);
      expect(report.errorBudgetRemaining).toBeCloseTo(1 - 6 / 6.72, 12);
      expect(firing(report.burnRates)).toEqual([]);
      expect(report.status).toBe('at-risk');
    });

    it('is still ok with a quarter of the budget left', () => {
      // 5 bad of 672: 25.6 % left.
      const report = evaluateSlo(accuracySlo, samples(oldBad(5)), NOW);
      expect(report.errorBudgetRemaining!).toBeGreaterThan(0.25);
      expect(report.status).toBe('ok');
    });

    it('is breached below target, with an overspent (negative) budget', () => {
      const report = evaluateSlo(accuracySlo, samples(oldBad(14)), NOW);
      expect(report.attainment).toBeCloseTo(658 / 672, 12);
      expect(report.errorBudgetRemaining).toBeCloseTo(1 - 14 / 6.72, 12);
      expect(report.errorBudgetRemaining!).toBeLessThan(0);
      expect(report.status).toBe('breached');
    });

    it('uses only the hourly samples for attainment', () => {
      const report = evaluateSlo(
        accuracySlo,
        samples(
          () => GOOD,
          () => BAD,
        ),
        NOW,
      );
      expect(report.attainment).toBe(1);
      expect(report.errorBudgetRemaining).toBe(1);
    });

    it('honours a shorter window', () => {
      // 7d = 168 hourly samples; 1 bad hour 5 days ago, 10 bad 10 days ago.
      const report = evaluateSlo(
        { ...accuracySlo, window: '7d' },
        samples(k => (k === 120 || (k >= 240 && k < 250) ? BAD : GOOD)),
        NOW,
      );
      expect(report.attainment).toBeCloseTo(167 / 168, 12);
    });
  });

  describe('burn rates', () => {
    it('computes burn rate = error rate / (1 - target)', () => {
      // 3 bad minutes of the last 5: error rate 0.6, burn 60.
      const report = evaluateSlo(
        accuracySlo,
        samples(undefined, k => (k < 3 ? BAD : GOOD)),
        NOW,
      );
      const page = alert(report.burnRates, '1h');
      expect(page.shortRate).toBeCloseTo(0.6 / 0.01, 9);
      expect(page.longRate).toBeCloseTo(3 / 60 / 0.01, 9);
    });

    it('is null for a window without samples', () => {
      const report = evaluateSlo(
        accuracySlo,
        { hourly: series(28 * 24, HOUR, () => GOOD), fine: [] },
        NOW,
      );
      for (const a of report.burnRates.slice(0, 2)) {
        expect(a.longRate).toBeNull();
        expect(a.shortRate).toBeNull();
        expect(a.firing).toBe(false);
      }
      const ticket = alert(report.burnRates, '3d');
      expect(ticket.longRate).toBe(0);
      expect(ticket.shortRate).toBeNull();
      expect(ticket.firing).toBe(false);
    });

    describe('1h / 5m page at 14.4x', () => {
      it('fires on a 10-minute outage the short window still sees', () => {
        // The last 10 minutes are bad: 1 h burns 16.7x, 5 m 100x.
        const report = evaluateSlo(
          accuracySlo,
          samples(undefined, k => (k < 10 ? BAD : GOOD)),
          NOW,
        );
        const page = alert(report.burnRates, '1h');
        expect(page.longRate).toBeCloseTo(10 / 60 / 0.01, 9);
        expect(page.shortRate).toBeCloseTo(100, 9);
        expect(firing(report.burnRates)).toEqual(['1h/5m']);
        expect(report.attainment).toBe(1);
        expect(report.status).toBe('at-risk');
      });

      it('does not fire once the outage is over', () => {
        // Bad 30 to 20 minutes ago: 1 h still burns 16.7x, 5 m burns 0.
        const report = evaluateSlo(
          accuracySlo,
          samples(undefined, k => (k >= 20 && k < 30 ? BAD : GOOD)),
          NOW,
        );
        const page = alert(report.burnRates, '1h');
        expect(page.longRate!).toBeGreaterThan(14.4);
        expect(page.shortRate).toBe(0);
        expect(firing(report.burnRates)).toEqual([]);
        expect(report.status).toBe('ok');
      });

      it('does not fire on a blip the long window absorbs', () => {
        // 2 bad minutes just now: 5 m burns 40x, 1 h only 3.3x.
        const report = evaluateSlo(
          accuracySlo,
          samples(undefined, k => (k < 2 ? BAD : GOOD)),
          NOW,
        );
        const page = alert(report.burnRates, '1h');
        expect(page.shortRate!).toBeGreaterThan(14.4);
        expect(page.longRate!).toBeLessThan(14.4);
        expect(page.firing).toBe(false);
      });
    });

    describe('6h / 30m page at 6x', () => {
      // 2 bad minutes in every 25: about 8 % bad.
      const steady = (k: number) => (k % 25 < 2 ? BAD : GOOD);

      it('fires on a steady 8 % error rate', () => {
        const report = evaluateSlo(
          accuracySlo,
          samples(undefined, steady),
          NOW,
        );
        const page = alert(report.burnRates, '6h');
        expect(page.longRate).toBeCloseTo(30 / 360 / 0.01, 9);
        expect(page.shortRate).toBeCloseTo(4 / 30 / 0.01, 9);
        // 1 h burns 10x: below the fast page.
        expect(alert(report.burnRates, '1h').longRate).toBeCloseTo(10, 9);
        expect(firing(report.burnRates)).toEqual(['6h/30m']);
        expect(report.status).toBe('at-risk');
      });

      it('does not fire when the last 30 minutes are clean', () => {
        const report = evaluateSlo(
          accuracySlo,
          samples(undefined, k => (k < 30 ? GOOD : steady(k))),
          NOW,
        );
        const page = alert(report.burnRates, '6h');
        expect(page.longRate!).toBeGreaterThan(6);
        expect(page.shortRate).toBe(0);
        expect(firing(report.burnRates)).toEqual([]);
        expect(report.status).toBe('ok');
      });
    });

    describe('3d / 6h ticket at 1x', () => {
      // 2 bad hours in the last 3 days, 1 bad minute in every 50.
      const slowHourly = (k: number) => (k === 10 || k === 40 ? BAD : GOOD);
      const slowFine = (k: number) => (k % 50 === 0 ? BAD : GOOD);

      it('fires on a slow burn, and only the ticket does', () => {
        const report = evaluateSlo(
          accuracySlo,
          samples(slowHourly, slowFine),
          NOW,
        );
        const ticket = alert(report.burnRates, '3d');
        expect(ticket.longRate).toBeCloseTo(2 / 72 / 0.01, 9);
        expect(ticket.shortRate).toBeCloseTo(8 / 360 / 0.01, 9);
        expect(firing(report.burnRates)).toEqual(['3d/6h']);
        // Plenty of budget left: at-risk only because the ticket fires.
        expect(report.errorBudgetRemaining!).toBeGreaterThan(0.25);
        expect(report.attainment!).toBeGreaterThanOrEqual(0.99);
        expect(report.status).toBe('at-risk');
      });

      it('does not fire when the last 6 hours are clean', () => {
        const report = evaluateSlo(
          accuracySlo,
          samples(slowHourly, () => GOOD),
          NOW,
        );
        const ticket = alert(report.burnRates, '3d');
        expect(ticket.longRate!).toBeGreaterThan(1);
        expect(ticket.shortRate).toBe(0);
        expect(firing(report.burnRates)).toEqual([]);
        expect(report.status).toBe('ok');
      });
    });

    it('measures windows up to 6 h on fine samples and 3 d on hourly ones', () => {
      // Hourly says the last 6 hours were bad, fine samples say all good.
      const hourlyBad = evaluateSlo(
        accuracySlo,
        samples(
          k => (k < 6 ? BAD : GOOD),
          () => GOOD,
        ),
        NOW,
      );
      expect(hourlyBad.burnRates.map(a => [a.longRate, a.shortRate])).toEqual([
        [0, 0],
        [0, 0],
        [expect.closeTo(6 / 72 / 0.01, 9), 0],
      ]);

      // And the other way round.
      const fineBad = evaluateSlo(
        accuracySlo,
        samples(
          () => GOOD,
          () => BAD,
        ),
        NOW,
      );
      expect(fineBad.burnRates.map(a => [a.longRate, a.shortRate])).toEqual([
        [expect.closeTo(100, 9), expect.closeTo(100, 9)],
        [expect.closeTo(100, 9), expect.closeTo(100, 9)],
        [0, expect.closeTo(100, 9)],
      ]);
      expect(firing(fineBad.burnRates)).toEqual(['1h/5m', '6h/30m']);
    });

    it('reports the alerts in the documented order', () => {
      const report = evaluateSlo(accuracySlo, samples(), NOW);
      expect(
        report.burnRates.map(a => [a.long, a.short, a.threshold, a.severity]),
      ).toEqual(
        BURN_RATE_ALERT_RULES.map(r => [
          r.long,
          r.short,
          r.threshold,
          r.severity,
        ]),
      );
      expect(BURN_RATE_ALERT_RULES.map(r => `${r.long}/${r.short}`)).toEqual([
        '1h/5m',
        '6h/30m',
        '3d/6h',
      ]);
    });
  });

  describe('operators', () => {
    // A value sitting exactly on the threshold tells the strict operators
    // from the inclusive ones.
    it.each([
      ['<=', 3600, 'ok'],
      ['<', 3600, 'breached'],
      ['<=', 3601, 'breached'],
      ['<', 3599, 'ok'],
    ] as const)(
      'freshness %s 3600 with every value %d is %s',
      (op, value, status) => {
        const report = evaluateSlo(
          {
            name: 'kb-freshness',
            signal: 'freshness',
            stage: 'kb-ingest',
            objective: { op, threshold: 3600 },
            target: 0.95,
            window: '7d',
          },
          samples(
            () => value,
            () => value,
          ),
          NOW,
        );
        expect(report.status).toBe(status);
      },
    );

    it.each([
      ['>=', 0.9, 'ok'],
      ['>', 0.9, 'breached'],
      ['>=', 0.89, 'breached'],
      ['>', 0.91, 'ok'],
    ] as const)(
      'accuracy %s 0.9 with every value %d is %s',
      (op, value, status) => {
        const report = evaluateSlo(
          { ...accuracySlo, objective: { op, threshold: 0.9 } },
          samples(
            () => value,
            () => value,
          ),
          NOW,
        );
        expect(report.status).toBe(status);
      },
    );
  });
});
