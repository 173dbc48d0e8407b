import {
  SpendRow,
  aggregateSpend,
  dayBucket,
  dayKey,
  hourBucket,
  roundUsd,
} from './rollup';

describe('buckets', () => {
  const ts = Date.parse('2025-03-15T13:45:12.345Z');

  it('floors to the UTC hour and day', () => {
    expect(hourBucket(ts)).toBe(Date.parse('2025-03-15T13:00:00Z'));
    expect(dayBucket(ts)).toBe(Date.parse('2025-03-15T00:00:00Z'));
    expect(dayKey(ts)).toBe('2025-03-15');
  });

  it('keeps bucket starts in their bucket', () => {
    const hour = Date.parse('2025-03-15T13:00:00Z');
    expect(hourBucket(hour)).toBe(hour);
    expect(hourBucket(hour - 1)).toBe(hour - 3_600_000);
    expect(dayKey(Date.parse('2025-03-15T00:00:00Z') - 1)).toBe('2025-03-14');
  });
});

describe('roundUsd', () => {
  it('rounds to micro-dollars', () => {
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
    expect(roundUsd(1.2345674)).toBe(1.234567);
  });
});

const ML = 'group:default/ml-team';
const RESEARCH = 'group:default/ml-research';
const PARENT = 'group:default/ml';
const ORG = 'group:default/org';

function row(overrides: Partial<SpendRow>): SpendRow {
  return {
    costUsd: 1,
    inputTokens: 100,
    outputTokens: 10,
    model: 'gpt-4o',
    entityRef: 'component:default/answers',
    owner: ML,
    teams: [ML, PARENT, ORG],
    pipelines: [],
    ...overrides,
  };
}

const rows: SpendRow[] = [
  row({}),
  row({ costUsd: 2, model: 'gpt-4o-mini' }),
  row({
    costUsd: 4,
    entityRef: 'component:default/retriever',
    owner: RESEARCH,
    teams: [RESEARCH, PARENT, ORG],
    pipelines: ['aipipeline:default/a', 'aipipeline:default/b'],
  }),
  // Attributed through the team only.
  row({
    costUsd: 0.5,
    entityRef: null,
    owner: RESEARCH,
    teams: [RESEARCH, PARENT, ORG],
  }),
  // Unpriced.
  row({ costUsd: null, model: 'self-hosted-llama' }),
  // A rollup row of 10 requests.
  row({ costUsd: 3, requests: 10, inputTokens: 1000, outputTokens: 100 }),
  // Shadow AI.
  row({
    costUsd: 8,
    entityRef: null,
    owner: null,
    teams: [],
    keyAlias: 'prod-key',
  }),
  row({
    costUsd: 1,
    entityRef: null,
    owner: null,
    teams: [],
    keyAlias: 'prod-key',
  }),
  row({
    costUsd: 0.25,
    entityRef: null,
    owner: null,
    teams: [],
    team: 'uuid-1',
  }),
  row({
    costUsd: 0.75,
    entityRef: null,
    owner: null,
    unattributed: { key: 'backstage:component:default/ghost', keyType: 'tag' },
  }),
];

describe('aggregateSpend', () => {
  it('groups by team (the owning group)', () => {
    const spend = aggregateSpend(rows, 'team');
    expect(spend.currency).toBe('USD');
    expect(spend.total).toBe(20.5);
    expect(spend.items).toEqual([
      {
        key: ML,
        costUsd: 6,
        inputTokens: 1300,
        outputTokens: 130,
        requests: 13,
        unpricedRequests: 1,
      },
      {
        key: RESEARCH,
        costUsd: 4.5,
        inputTokens: 200,
        outputTokens: 20,
        requests: 2,
      },
    ]);
    expect(spend.unpricedRequests).toBe(1);
  });

  it('names shadow AI in unattributed', () => {
    expect(aggregateSpend(rows, 'team').unattributed).toEqual({
      costUsd: 10,
      requests: 4,
      items: [
        { key: 'prod-key', keyType: 'key-alias', costUsd: 9, requests: 2 },
        {
          key: 'backstage:component:default/ghost',
          keyType: 'tag',
          costUsd: 0.75,
          requests: 1,
        },
        { key: 'uuid-1', keyType: 'team', costUsd: 0.25, requests: 1 },
      ],
    });
  });

  it('groups by service, with team-only usage under (none)', () => {
    expect(
      aggregateSpend(rows, 'service').items.map(i => [
        i.key,
        i.costUsd,
        i.requests,
      ]),
    ).toEqual([
      ['component:default/answers', 6, 13],
      ['component:default/retriever', 4, 1],
      ['(none)', 0.5, 1],
    ]);
  });

  it('groups by model', () => {
    expect(
      aggregateSpend(rows, 'model').items.map(i => [
        i.key,
        i.costUsd,
        i.requests,
      ]),
    ).toEqual([
      ['gpt-4o', 8.5, 13],
      ['gpt-4o-mini', 2, 1],
      ['self-hosted-llama', 0, 1],
    ]);
  });

  it('groups by pipeline, counting shared stages in each pipeline', () => {
    const spend = aggregateSpend(rows, 'pipeline');
    expect(spend.items.map(i => [i.key, i.costUsd])).toEqual([
      ['(none)', 6.5],
      ['aipipeline:default/a', 4],
      ['aipipeline:default/b', 4],
    ]);
    expect(spend.total).toBe(20.5);
  });

  it('filters to one team, with or without its sub-teams', () => {
    const only = aggregateSpend(rows, 'team', { team: PARENT });
    expect(only.items).toEqual([]);
    expect(only.total).toBe(0);
    expect(only.unattributed).toEqual({ costUsd: 0, requests: 0, items: [] });

    const withSubteams = aggregateSpend(rows, 'team', {
      team: PARENT,
      includeSubteams: true,
    });
    expect(withSubteams.items.map(i => i.key)).toEqual([ML, RESEARCH]);
    expect(withSubteams.total).toBe(10.5);

    expect(
      aggregateSpend(rows, 'model', { team: RESEARCH }).items.map(i => [
        i.key,
        i.costUsd,
      ]),
    ).toEqual([['gpt-4o', 4.5]]);
  });

  it('answers an empty range', () => {
    expect(aggregateSpend([], 'team')).toEqual({
      currency: 'USD',
      total: 0,
      items: [],
      unattributed: { costUsd: 0, requests: 0, items: [] },
    });
  });
});
