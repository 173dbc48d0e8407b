import {
  AIPipelineSlo,
  SloReport,
} from '@aiplatform/plugin-ai-platform-common';
import { pipeline, stage } from '../ownership/testEntities';
import { evaluateSlo } from './evaluateSlo';
import {
  StageSignalTrend,
  assessTrend,
  computePipelineHealth,
  describeTrend,
  findSuspect,
  topologicalStageOrder,
} from './pipelineHealth';
import { SloSample } from './types';

const HOUR = 3_600_000;
const NOW = Date.parse('2025-06-01T12:00:00Z');

/** ticket-ingest -> retrieval -> generation, listed out of order. */
const demo = pipeline('support-answers', {
  stages: [
    stage('generation', 'model', { dependsOn: ['retrieval'] }),
    stage('retrieval', 'retrieval', { dependsOn: ['ticket-ingest'] }),
    stage('ticket-ingest', 'data-ingestion'),
  ],
});

function report(
  name: string,
  status: SloReport['status'],
  rest: Partial<SloReport> = {},
): SloReport {
  const attainment: Record<SloReport['status'], number | null> = {
    ok: 1,
    'at-risk': 0.995,
    breached: 0.9,
    'no-data': null,
  };
  const a =
    rest.attainment !== undefined ? rest.attainment : attainment[status];
  const target = rest.target ?? 0.99;
  return {
    name,
    signal: 'accuracy',
    stage: null,
    objective: { op: '>=', threshold: 0.9 },
    target,
    window: '28d',
    status,
    attainment: a,
    errorBudgetRemaining: a === null ? null : 1 - (1 - a) / (1 - target),
    burnRates: [],
    ...rest,
  };
}

function trend(
  stageName: string | null,
  signal: StageSignalTrend['signal'],
  baseline: number | null,
  recent: number | null,
): StageSignalTrend {
  return { stage: stageName, signal, baseline, recent };
}

/** The demo incident: ingestion lag 0.5 h -> 12 h, accuracy 94 % -> 71 %. */
const incidentTrends: StageSignalTrend[] = [
  trend('ticket-ingest', 'freshness', 1800, 43200),
  trend('ticket-ingest', 'availability', 0.999, 0.998),
  trend('retrieval', 'latency', 0.3, 0.31),
  trend('generation', 'availability', 0.999, 0.999),
  trend(null, 'accuracy', 0.94, 0.71),
];

describe('topologicalStageOrder', () => {
  it('puts every stage after the stages it depends on', () => {
    expect(topologicalStageOrder(demo)).toEqual([
      'ticket-ingest',
      'retrieval',
      'generation',
    ]);
  });

  it('orders by layer, then by position in the spec', () => {
    const p = pipeline('p', {
      stages: [
        stage('serving', 'serving', { dependsOn: ['index', 'cache'] }),
        stage('kb', 'data-ingestion'),
        stage('cache', 'cache', { dependsOn: ['embed'] }),
        stage('embed', 'embedding', { dependsOn: ['kb', 'tickets'] }),
        stage('tickets', 'data-ingestion'),
        stage('index', 'vector-index', { dependsOn: ['embed', 'kb'] }),
      ],
    });
    expect(topologicalStageOrder(p)).toEqual([
      'kb',
      'tickets',
      'embed',
      'cache',
      'index',
      'serving',
    ]);
  });

  it('ignores unknown dependencies and puts cycles last', () => {
    const p = pipeline('p', {
      stages: [
        stage('a', 'other', { dependsOn: ['b'] }),
        stage('b', 'other', { dependsOn: ['a'] }),
        stage('c', 'other', { dependsOn: ['a'] }),
        stage('d', 'other', { dependsOn: ['nowhere'] }),
        stage('e', 'other', { dependsOn: ['d', 'd'] }),
      ],
    });
    expect(topologicalStageOrder(p)).toEqual(['d', 'e', 'a', 'b', 'c']);
  });
});

describe('assessTrend', () => {
  it.each([
    // freshness: >= 2x and >= 1 h more
    ['freshness', 1800, 43200, true],
    ['freshness', 3600, 7200, true],
    ['freshness', 60, 1800, false], // 30x, but under an hour more
    ['freshness', 36000, 41400, false], // 1.5 h more, but not 2x
    ['freshness', 43200, 1800, false], // got fresher
    // fractions: 10 % down
    ['accuracy', 0.94, 0.71, true],
    ['accuracy', 0.9, 0.81, true],
    ['accuracy', 0.9, 0.85, false],
    ['accuracy', 0.71, 0.94, false],
    ['quality', 0.8, 0.7, true],
    ['availability', 0.999, 0.89, true],
    ['availability', 0.999, 0.95, false],
    // latency and cost: 10 % up
    ['latency', 0.3, 1.2, true],
    ['latency', 0.3, 0.32, false],
    ['latency', 1.2, 0.3, false],
    ['cost', 100, 110, true],
    ['cost', 100, 105, false],
  ] as const)('%s %d -> %d degraded: %s', (signal, baseline, recent, bad) => {
    expect(assessTrend(trend('s', signal, baseline, recent)) !== null).toBe(
      bad,
    );
  });

  it('measures the change relative to the baseline, in the bad direction', () => {
    expect(assessTrend(trend('s', 'accuracy', 0.8, 0.6))).toEqual({
      stage: 's',
      signal: 'accuracy',
      baseline: 0.8,
      recent: 0.6,
      change: expect.closeTo(0.25, 12),
    });
    expect(assessTrend(trend('s', 'latency', 0.5, 1))?.change).toBeCloseTo(1);
    expect(assessTrend(trend('s', 'cost', 0, 3))?.change).toBe(Infinity);
  });

  it('needs both means', () => {
    expect(assessTrend(trend('s', 'latency', null, 10))).toBeNull();
    expect(assessTrend(trend('s', 'latency', 1, null))).toBeNull();
    expect(assessTrend(trend('s', 'latency', 1, NaN))).toBeNull();
  });
});

describe('describeTrend', () => {
  it.each([
    ['freshness', 1800, 43200, 'freshness lag grew from 0.5 h to 12 h'],
    ['freshness', 60, 1800, 'freshness lag grew from 1 min to 30 min'],
    ['freshness', 86400, 3 * 86400, 'freshness lag grew from 1 d to 3 d'],
    ['accuracy', 0.94, 0.71, 'accuracy fell from 94% to 71%'],
    ['availability', 0.9995, 0.95, 'availability fell from 99.95% to 95%'],
    ['latency', 0.3, 1.2, 'latency rose from 0.3 s to 1.2 s'],
    ['latency', 0.12, 0.45, 'latency rose from 120 ms to 450 ms'],
    ['cost', 12.5, 30, 'cost rose from $12.50 to $30.00'],
    ['quality', 0.7, 0.8, 'quality rose from 70% to 80%'],
  ] as const)('%s %d -> %d', (signal, baseline, recent, text) => {
    expect(describeTrend({ signal, baseline, recent })).toBe(text);
  });
});

describe('findSuspect', () => {
  const chain = pipeline('chain', {
    stages: [
      stage('ingest', 'data-ingestion'),
      stage('kb', 'data-ingestion'),
      stage('embed', 'embedding', { dependsOn: ['ingest', 'kb'] }),
      stage('serve', 'serving', { dependsOn: ['embed'] }),
    ],
  });

  it('prefers the most upstream degraded stage over a bigger change downstream', () => {
    const suspect = findSuspect(chain, [
      trend('serve', 'latency', 0.1, 5), // 49x worse, but downstream
      trend('embed', 'quality', 0.9, 0.5),
      trend('ingest', 'freshness', 1800, 9000), // 5x
    ]);
    expect(suspect).toEqual({
      stage: 'ingest',
      signal: 'freshness',
      reason: 'freshness lag grew from 0.5 h to 2.5 h',
    });
  });

  it('breaks a tie in upstreamness by the larger relative change', () => {
    const suspect = findSuspect(chain, [
      trend('ingest', 'availability', 0.99, 0.85), // 14 % worse
      trend('kb', 'availability', 0.99, 0.5), // 49 % worse
    ]);
    expect(suspect?.stage).toBe('kb');
  });

  it('prefers freshness when the relative change ties', () => {
    const suspect = findSuspect(chain, [
      trend('kb', 'latency', 0.5, 1), // +100 %
      trend('ingest', 'freshness', 3600, 7200), // +100 %
    ]);
    expect(suspect).toMatchObject({ stage: 'ingest', signal: 'freshness' });
  });

  it('never picks a pipeline-level trend or an unknown stage', () => {
    expect(
      findSuspect(chain, [
        trend(null, 'accuracy', 0.94, 0.5),
        trend('removed-stage', 'freshness', 1800, 90000),
        trend('serve', 'latency', 0.3, 0.31),
      ]),
    ).toBeNull();
  });
});

describe('computePipelineHealth', () => {
  const accuracy = (
    status: SloReport['status'],
    rest: Partial<SloReport> = {},
  ) => report('answer-accuracy', status, rest);
  const ingestAvailability = (status: SloReport['status']) =>
    report('ingest-availability', status, {
      signal: 'availability',
      stage: 'ticket-ingest',
      objective: { op: '>=', threshold: 0.99 },
      target: 0.95,
    });
  const retrievalLatency = (
    status: SloReport['status'],
    rest: Partial<SloReport> = {},
  ) =>
    report('retrieval-latency', status, {
      signal: 'latency',
      stage: 'retrieval',
      objective: { op: '<=', threshold: 0.5 },
      ...rest,
    });

  it('is failing on the demo incident although every stage SLO is ok', () => {
    const result = computePipelineHealth(
      demo,
      [
        accuracy('breached', { attainment: 0.71 }),
        ingestAvailability('ok'),
        retrievalLatency('ok'),
      ],
      { halted: false, trends: incidentTrends },
    );
    expect(result.health).toBe('failing');
    expect(result.suspect).toEqual({
      stage: 'ticket-ingest',
      signal: 'freshness',
      reason: 'freshness lag grew from 0.5 h to 12 h',
    });
    expect(result.explanation).toBe(
      'End-to-end SLO answer-accuracy is breached: 71.0% of intervals met accuracy ≥ 90 % (target 99%). ' +
        'Most likely cause: stage ticket-ingest — freshness lag grew from 0.5 h to 12 h, upstream of retrieval and generation. ' +
        'End to end, accuracy fell from 94% to 71%.',
    );
  });

  it('is failing on the demo incident evaluated from samples', () => {
    const hourly = (value: (k: number) => number): SloSample[] =>
      Array.from({ length: 28 * 24 }, (_, i) => {
        const k = 28 * 24 - 1 - i;
        return { start: NOW - (k + 1) * HOUR, value: value(k) };
      });
    const fine = (v: number): SloSample[] =>
      Array.from({ length: 72 }, (_, i) => ({
        start: NOW - (72 - i) * 5 * 60_000,
        value: v,
      }));
    const slos: AIPipelineSlo[] = [
      {
        name: 'answer-accuracy',
        signal: 'accuracy',
        objective: { op: '>=', threshold: 0.9 },
        target: 0.99,
        window: '28d',
      },
      {
        name: 'ingest-availability',
        signal: 'availability',
        stage: 'ticket-ingest',
        objective: { op: '>=', threshold: 0.99 },
        target: 0.95,
        window: '28d',
      },
    ];
    const reports = [
      // Accuracy 71 % for the last 3 days, 94 % before.
      evaluateSlo(
        slos[0],
        { hourly: hourly(k => (k < 72 ? 0.71 : 0.94)), fine: fine(0.71) },
        NOW,
      ),
      evaluateSlo(
        slos[1],
        { hourly: hourly(() => 0.999), fine: fine(0.999) },
        NOW,
      ),
    ];
    expect(reports.map(r => r.status)).toEqual(['breached', 'ok']);

    const result = computePipelineHealth(demo, reports, {
      halted: false,
      trends: incidentTrends,
    });
    expect(result.health).toBe('failing');
    expect(result.suspect?.stage).toBe('ticket-ingest');
    expect(result.explanation).toContain('answer-accuracy is breached: 89.3%');
    expect(result.explanation).toContain('stage ticket-ingest');
  });

  it('says so when no stage explains a failing pipeline', () => {
    const result = computePipelineHealth(demo, [accuracy('breached')], {
      halted: false,
      trends: [trend('retrieval', 'latency', 0.3, 0.31)],
    });
    expect(result.health).toBe('failing');
    expect(result.suspect).toBeNull();
    expect(result.explanation).toContain(
      'No stage shows a clear degradation against its 7-day baseline.',
    );
  });

  it('names the worst end-to-end breach and lists the others', () => {
    const result = computePipelineHealth(
      demo,
      [
        accuracy('breached', { attainment: 0.98 }),
        report('answer-quality', 'breached', {
          signal: 'quality',
          attainment: 0.5,
        }),
        retrievalLatency('breached'),
      ],
      { halted: false, trends: [] },
    );
    expect(result.health).toBe('failing');
    expect(result.explanation).toMatch(
      /^End-to-end SLO answer-quality is breached: 50\.0% of intervals/,
    );
    expect(result.explanation).toContain(
      'Also breached: answer-accuracy and retrieval-latency.',
    );
  });

  it('is degraded when only a stage SLO is breached', () => {
    const result = computePipelineHealth(
      demo,
      [accuracy('ok'), retrievalLatency('breached', { attainment: 0.972 })],
      {
        halted: false,
        trends: [trend('retrieval', 'latency', 0.3, 1.2)],
      },
    );
    expect(result.health).toBe('degraded');
    expect(result.suspect).toEqual({
      stage: 'retrieval',
      signal: 'latency',
      reason: 'latency rose from 0.3 s to 1.2 s',
    });
    expect(result.explanation).toBe(
      'Stage SLO retrieval-latency (retrieval) is breached: 97.2% of intervals met latency ≤ 0.5 s (target 99%). ' +
        'Most likely cause: stage retrieval — latency rose from 0.3 s to 1.2 s, upstream of generation.',
    );
  });

  it('is degraded when an SLO is at risk from its burn rate', () => {
    const result = computePipelineHealth(
      demo,
      [
        accuracy('at-risk', {
          burnRates: [
            {
              long: '1h',
              short: '5m',
              threshold: 14.4,
              severity: 'page',
              longRate: 16.7,
              shortRate: 100,
              firing: true,
            },
          ],
        }),
        ingestAvailability('ok'),
      ],
      { halted: false, trends: [] },
    );
    expect(result.health).toBe('degraded');
    expect(result.suspect).toBeNull();
    expect(result.explanation).toBe(
      'End-to-end SLO answer-accuracy is at risk: it burns its error budget at 16.7× over 1h and 100× over 5m (page above 14.4×).',
    );
  });

  it('is degraded when an SLO is at risk from a low budget', () => {
    const result = computePipelineHealth(
      demo,
      [accuracy('at-risk', { attainment: 0.991 })],
      { halted: false, trends: [] },
    );
    expect(result.health).toBe('degraded');
    expect(result.explanation).toBe(
      'End-to-end SLO answer-accuracy is at risk: 10% of its error budget is left.',
    );
  });

  it('is healthy when every SLO is ok, and names no suspect', () => {
    const result = computePipelineHealth(
      demo,
      [accuracy('ok'), ingestAvailability('ok'), retrievalLatency('ok')],
      { halted: false, trends: incidentTrends },
    );
    expect(result).toEqual({
      health: 'healthy',
      explanation: 'All 3 SLOs are met.',
      suspect: null,
    });
  });

  it('is healthy when the SLOs with data are ok', () => {
    const result = computePipelineHealth(
      demo,
      [accuracy('ok'), retrievalLatency('no-data')],
      { halted: false, trends: [] },
    );
    expect(result.health).toBe('healthy');
    expect(result.explanation).toBe(
      'SLO answer-accuracy is met. Without data yet: retrieval-latency.',
    );
  });

  it('is unknown without SLOs', () => {
    expect(
      computePipelineHealth(demo, [], {
        halted: false,
        trends: incidentTrends,
      }),
    ).toEqual({
      health: 'unknown',
      explanation: 'The pipeline defines no SLOs, so its health is unknown.',
      suspect: null,
    });
  });

  it('is unknown when no SLO has data', () => {
    const result = computePipelineHealth(
      demo,
      [accuracy('no-data'), retrievalLatency('no-data')],
      { halted: false, trends: incidentTrends },
    );
    expect(result.health).toBe('unknown');
    expect(result.suspect).toBeNull();
    expect(result.explanation).toContain('No SLO has data');
  });

  it('is halted when halted, and still sums up the SLOs', () => {
    const result = computePipelineHealth(
      demo,
      [
        accuracy('breached', { attainment: 0.71 }),
        ingestAvailability('ok'),
        retrievalLatency('ok'),
      ],
      { halted: true, trends: incidentTrends },
    );
    expect(result.health).toBe('halted');
    expect(result.suspect?.stage).toBe('ticket-ingest');
    expect(result.explanation).toMatch(/^The pipeline is halted\. /);
    expect(result.explanation).toContain(
      'SLOs: 1 breached (answer-accuracy), 2 ok.',
    );
  });

  it('is halted even when healthy or without SLOs', () => {
    expect(
      computePipelineHealth(demo, [accuracy('ok')], {
        halted: true,
        trends: [],
      }),
    ).toEqual({
      health: 'halted',
      explanation: 'The pipeline is halted. SLOs: 1 ok.',
      suspect: null,
    });
    expect(
      computePipelineHealth(demo, [], { halted: true, trends: [] }).explanation,
    ).toBe('The pipeline is halted. It has no SLOs defined.');
  });

  it('picks the most upstream degraded stage as the suspect', () => {
    const result = computePipelineHealth(demo, [accuracy('breached')], {
      halted: false,
      trends: [
        trend('generation', 'quality', 0.9, 0.3),
        trend('retrieval', 'latency', 0.3, 2),
        trend('ticket-ingest', 'availability', 0.999, 0.8),
      ],
    });
    expect(result.suspect).toEqual({
      stage: 'ticket-ingest',
      signal: 'availability',
      reason: 'availability fell from 99.9% to 80%',
    });
  });

  it('abbreviates a long list of downstream stages and notes the last stage', () => {
    const long = pipeline('long', {
      stages: ['s0', 's1', 's2', 's3', 's4', 's5', 's6'].map((name, i) =>
        stage(name, 'other', i ? { dependsOn: [`s${i - 1}`] } : {}),
      ),
    });
    const first = computePipelineHealth(long, [accuracy('breached')], {
      halted: false,
      trends: [trend('s0', 'latency', 1, 2)],
    });
    expect(first.explanation).toContain(
      'stage s0 — latency rose from 1 s to 2 s, upstream of s1, s2, s3, s4 and 2 more stages.',
    );
    const last = computePipelineHealth(long, [accuracy('breached')], {
      halted: false,
      trends: [trend('s6', 'latency', 1, 2)],
    });
    expect(last.explanation).toContain(
      'stage s6 — latency rose from 1 s to 2 s, at the end of the pipeline.',
    );
  });
});
