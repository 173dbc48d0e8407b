import {
  DashboardSeries,
  SloReport,
} from '@aiplatform/plugin-ai-platform-common';
import { END_TO_END_KEY, buildPanels } from './panels';

const bucket = (t: string, avg: number) => ({
  t,
  avg,
  min: avg,
  max: avg,
  count: 1,
});

const slo = (overrides: Partial<SloReport>): SloReport => ({
  name: 'slo',
  signal: 'freshness',
  stage: null,
  objective: { op: '<=', threshold: 3600 },
  target: 0.99,
  window: '30d',
  status: 'ok',
  attainment: 1,
  errorBudgetRemaining: 1,
  burnRates: [],
  ...overrides,
});

describe('buildPanels', () => {
  it('converts values to display units and merges the lines on the bucket start', () => {
    const series: DashboardSeries[] = [
      {
        signal: 'freshness',
        stage: null,
        resolution: 'hour',
        buckets: [
          bucket('2025-03-01T00:00:00Z', 1800),
          bucket('2025-03-01T01:00:00Z', 7200),
        ],
      },
      {
        signal: 'freshness',
        stage: 'my.stage',
        resolution: 'hour',
        buckets: [bucket('2025-03-01T01:00:00Z', 3600)],
      },
      {
        signal: 'quality',
        stage: 'judge',
        resolution: 'hour',
        buckets: [bucket('2025-03-01T00:00:00Z', 0.875)],
      },
      { signal: 'latency', stage: 'serve', resolution: 'hour', buckets: [] },
    ];
    const panels = buildPanels(series, [
      slo({ name: 'fresh' }),
      slo({
        name: 'good answers',
        signal: 'quality',
        objective: { op: '>=', threshold: 0.8 },
        status: 'at-risk',
      }),
    ]);

    expect(panels.map(p => p.signal)).toEqual(['freshness', 'quality']);
    const [freshness, quality] = panels;
    expect(freshness.lines.map(l => [l.label, l.stage])).toEqual([
      ['my.stage', 'my.stage'],
      ['end-to-end', null],
    ]);
    const stageKey = freshness.lines[0].key;
    expect(stageKey).not.toContain('.');
    expect(freshness.rows).toEqual([
      { t: Date.parse('2025-03-01T00:00:00Z'), [END_TO_END_KEY]: 0.5 },
      {
        t: Date.parse('2025-03-01T01:00:00Z'),
        [END_TO_END_KEY]: 2,
        [stageKey]: 1,
      },
    ]);
    expect(freshness.thresholds).toEqual([
      { name: 'fresh', value: 1, status: 'ok' },
    ]);
    expect(quality.rows[0][quality.lines[0].key]).toBe(87.5);
    expect(quality.thresholds).toEqual([
      { name: 'good answers', value: 80, status: 'at-risk' },
    ]);
  });

  it('sums hourly cost into cost per day', () => {
    const panels = buildPanels(
      [
        {
          signal: 'cost',
          stage: 'serve',
          resolution: 'hour',
          buckets: [
            bucket('2025-03-01T00:00:00Z', 1.5),
            bucket('2025-03-01T13:00:00Z', 2.25),
            bucket('2025-03-02T05:00:00Z', 4),
          ],
        },
      ],
      [],
    );
    expect(panels).toHaveLength(1);
    expect(panels[0].title).toBe('Cost per day (USD)');
    const key = panels[0].lines[0].key;
    expect(panels[0].rows).toEqual([
      { t: Date.parse('2025-03-01T00:00:00Z'), [key]: 3.75 },
      { t: Date.parse('2025-03-02T00:00:00Z'), [key]: 4 },
    ]);
  });

  it('gives a stage the same colour in every panel', () => {
    const panels = buildPanels(
      (['freshness', 'accuracy'] as const).flatMap(signal =>
        ['a', 'b', 'c']
          .filter(stage => signal === 'freshness' || stage !== 'a')
          .map(stage => ({
            signal,
            stage,
            resolution: 'day' as const,
            buckets: [bucket('2025-03-01T00:00:00Z', 1)],
          })),
      ),
      [],
    );
    const colorOf = (panel: number, stage: string) =>
      panels[panel].lines.find(l => l.stage === stage)!.color;
    expect(colorOf(0, 'b')).toBe(colorOf(1, 'b'));
    expect(colorOf(0, 'c')).toBe(colorOf(1, 'c'));
    expect(new Set(['a', 'b', 'c'].map(s => colorOf(0, s))).size).toBe(3);
  });
});
