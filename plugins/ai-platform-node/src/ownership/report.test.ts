import {
  countFindings,
  OwnershipFinding,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';
import { analyzePipeline } from './analyzePipeline';
import { buildCatalogIndex, groupSubtree } from './catalogIndex';
import { buildOwnershipReport, isOwnedByAny } from './report';
import { component, group, pipeline, slo, stage } from './testEntities';

function finding(severity: OwnershipFinding['severity']): OwnershipFinding {
  const code = {
    error: 'unowned-stage',
    warning: 'no-e2e-slo',
    info: 'cross-team-handoff',
  } as const;
  return { code: code[severity], severity, message: severity };
}

function graph(
  name: string,
  owner: string,
  stageOwners: Array<string | null>,
  findings: OwnershipFinding[] = [],
): PipelineOwnership {
  return {
    pipeline: `aipipeline:default/${name}`,
    owner,
    stages: stageOwners.map((o, i) => ({
      name: `s${i}`,
      type: 'model',
      owner: o,
      ownerSource: o ? 'inline' : null,
      entityRef: null,
    })),
    edges: [],
    findings,
    consumers: [],
  };
}

describe('isOwnedByAny', () => {
  const g = graph('p', 'group:default/ml-team', [
    'group:default/data-team',
    null,
  ]);

  it('is true for the pipeline owner', () => {
    expect(isOwnedByAny(g, new Set(['group:default/ml-team']))).toBe(true);
  });

  it('is true for the owner of a stage', () => {
    expect(isOwnedByAny(g, new Set(['group:default/data-team']))).toBe(true);
  });

  it('is false for anyone else', () => {
    expect(isOwnedByAny(g, new Set(['group:default/sales']))).toBe(false);
    expect(isOwnedByAny(g, new Set())).toBe(false);
  });
});

describe('buildOwnershipReport', () => {
  const graphs = [
    graph(
      'zeta',
      'group:default/ml-team',
      ['group:default/ml-team'],
      [finding('warning')],
    ),
    graph(
      'alpha',
      'group:default/sales',
      ['group:default/data-team', null],
      [finding('error')],
    ),
    graph('mid', 'group:default/sales', ['group:default/sales']),
  ];

  it('lists every pipeline, sorted, with its findings', () => {
    expect(buildOwnershipReport(graphs)).toEqual({
      items: [
        {
          pipeline: 'aipipeline:default/alpha',
          owner: 'group:default/sales',
          findings: [finding('error')],
        },
        {
          pipeline: 'aipipeline:default/mid',
          owner: 'group:default/sales',
          findings: [],
        },
        {
          pipeline: 'aipipeline:default/zeta',
          owner: 'group:default/ml-team',
          findings: [finding('warning')],
        },
      ],
    });
  });

  it('keeps the pipelines a group owns or owns a stage of', () => {
    const byPipeline = (owners: string[]) =>
      buildOwnershipReport(graphs, new Set(owners)).items.map(i => i.pipeline);
    expect(byPipeline(['group:default/ml-team'])).toEqual([
      'aipipeline:default/zeta',
    ]);
    expect(byPipeline(['group:default/data-team'])).toEqual([
      'aipipeline:default/alpha',
    ]);
    expect(
      byPipeline(['group:default/data-team', 'group:default/ml-team']),
    ).toEqual(['aipipeline:default/alpha', 'aipipeline:default/zeta']);
    expect(byPipeline(['group:default/nobody'])).toEqual([]);
  });

  it('reports for a team and its subteams, end to end', () => {
    const entities = [
      group('eng', { children: ['group:default/ml-team'] }),
      group('ml-team', { members: ['user:default/alice'] }),
      group('data-team', { members: ['user:default/bob'] }),
      component('feature-svc', 'group:default/ml-team'),
    ];
    const catalog = buildCatalogIndex(entities);
    const pipelines = [
      // owned by data-team, one stage owned through its entity by ml-team
      pipeline('features', {
        owner: 'data-team',
        stages: [
          stage('ingest', 'data-ingestion', { owner: 'data-team' }),
          stage('features', 'feature-pipeline', {
            entityRef: 'feature-svc',
            dependsOn: ['ingest'],
          }),
        ],
        slos: [slo('e2e')],
      }),
      // data-team only
      pipeline('ingest', {
        owner: 'data-team',
        stages: [stage('ingest', 'data-ingestion', { owner: 'data-team' })],
      }),
    ];
    const report = buildOwnershipReport(
      pipelines.map(p =>
        analyzePipeline(p, catalog, { includeConsumers: false, now: 0 }),
      ),
      groupSubtree(catalog, 'group:default/eng'),
    );
    expect(report.items.map(i => i.pipeline)).toEqual([
      'aipipeline:default/features',
    ]);
    expect(countFindings(report.items[0].findings)).toEqual({
      error: 0,
      warning: 2,
      info: 1,
    });
  });
});
