import { splitRange } from './KnexUsageStore';

const H = 3_600_000;
const D = 24 * H;

describe('splitRange', () => {
  const check = (from: number, to: number) => {
    const parts = splitRange(from, to);
    // Contiguous and covering exactly [from, to).
    expect(parts[0].from).toBe(from);
    expect(parts[parts.length - 1].to).toBe(to);
    for (let i = 1; i < parts.length; i++) {
      expect(parts[i].from).toBe(parts[i - 1].to);
    }
    for (const p of parts) {
      expect(p.from).toBeLessThan(p.to);
      if (p.resolution === 'day') {
        expect(p.from % D).toBe(0);
        expect(p.to % D).toBe(0);
      }
      if (p.resolution === 'month') {
        expect(new Date(p.from).getUTCDate()).toBe(1);
        expect(new Date(p.to).getUTCDate()).toBe(1);
      }
    }
    return parts.map(p => p.resolution);
  };

  it('uses whole months, then days, then hours at the ends', () => {
    const from = Date.UTC(2026, 0, 15, 5);
    const to = Date.UTC(2026, 4, 3, 7);
    expect(check(from, to)).toEqual(['hour', 'day', 'month', 'day', 'hour']);
    expect(splitRange(from, to)[2]).toEqual({
      resolution: 'month',
      from: Date.UTC(2026, 1, 1),
      to: Date.UTC(2026, 4, 1),
    });
  });

  it('uses days only within one month, and hours only within one day', () => {
    expect(check(Date.UTC(2026, 2, 3), Date.UTC(2026, 2, 20))).toEqual(['day']);
    expect(check(Date.UTC(2026, 2, 3, 1), Date.UTC(2026, 2, 3, 9))).toEqual([
      'hour',
    ]);
  });

  it('covers month-aligned ranges with months only', () => {
    expect(check(Date.UTC(2025, 10, 1), Date.UTC(2026, 10, 1))).toEqual([
      'month',
    ]);
  });

  it('is contiguous for many ranges', () => {
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const from = Date.UTC(2026, 0, 1) + ((i * 7_919 * H) % (300 * D));
      const to = from + H + ((i * 104_729 * H) % (200 * D));
      check(from, to).forEach(k => kinds.add(k));
    }
    expect([...kinds].sort()).toEqual(['day', 'hour', 'month']);
  });
});
