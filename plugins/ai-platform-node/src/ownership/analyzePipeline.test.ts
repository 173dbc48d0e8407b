import { Entity } from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  FINDING_SEVERITY,
  OwnershipFinding,
  OwnershipFindingCode,
} from '@aiplatform/plugin-ai-platform-common';
import {
  FRESHNESS_SIGNAL_MAX_AGE_MS,
  analyzePipeline,
} from './analyzePipeline';
import { buildCatalogIndex } from './catalogIndex';
import { component, group, pipeline, slo, stage, user } from './testEntities';
import { SignalLookup } from './types';

const HOUR = 60 * 60 * 1000;
const NOW = Date.parse('2025-06-01T12:00:00Z');

/** The org and services every test starts from. */
function baseCatalog(): Entity[] {
  return [
    group('ml-team', { members: ['user:default/alice'] }),
    group('data-team', { members: ['user:default/bob'] }),
    group('platform-team', { members: ['user:default/carol'] }),
    group('empty-team'),
    user('alice', ['group:default/ml-team']),
    user('bob', ['group:default/data-team']),
    user('carol', ['group:default/platform-team']),
    component('model-svc', 'group:default/ml-team'),
    component('ingest-svc', 'group:default/data-team'),
    component('serve-svc', 'group:default/platform-team'),
    component('orphan-svc'),
    component('widget', 'group:default/ml-team'),
  ];
}

/** A pipeline with no findings at all against {@link baseCatalog}. */
function cleanPipeline(): AIPipelineEntityV1alpha1 {
  return pipeline('clean', {
    owner: 'group:default/ml-team',
    stages: [
      stage('train', 'training', { owner: 'group:default/ml-team' }),
      stage('model', 'model', {
        entityRef: 'component:default/model-svc',
        dependsOn: ['train'],
      }),
    ],
    slos: [slo('e2e-quality')],
  });
}

function analyze(
  p: AIPipelineEntityV1alpha1,
  entities: Entity[] = baseCatalog(),
  options: Parameters<typeof analyzePipeline>[2] = {},
) {
  return analyzePipeline(p, buildCatalogIndex(entities), {
    now: NOW,
    ...options,
  });
}

function withCode(findings: OwnershipFinding[], code: OwnershipFindingCode) {
  return findings.filter(f => f.code === code);
}

/** Signals where each stage's last freshness is `ageMs` before NOW. */
function freshness(ages: Record<string, number>): SignalLookup {
  return {
    lastFreshness: jest.fn((_pipelineRef: string, stageName: string) =>
      stageName in ages ? NOW - ages[stageName] : undefined,
    ),
  };
}

describe('analyzePipeline', () => {
  it('finds nothing wrong with a clean pipeline', () => {
    const result = analyze(cleanPipeline());
    expect(result.findings).toEqual([]);
    expect(result.pipeline).toBe('aipipeline:default/clean');
    expect(result.owner).toBe('group:default/ml-team');
  });

  describe('effective owners', () => {
    it("takes the entity's owner, else the inline owner, else none", () => {
      const result = analyze(
        pipeline('p', {
          stages: [
            stage('by-entity', 'model', {
              entityRef: 'component:default/model-svc',
            }),
            stage('by-both', 'model', {
              entityRef: 'component:default/ingest-svc',
              owner: 'group:default/ml-team',
            }),
            stage('inline', 'serving', { owner: 'platform-team' }),
            stage('ownerless-entity', 'retrieval', {
              entityRef: 'component:default/orphan-svc',
              owner: 'user:default/alice',
            }),
            stage('nobody', 'evaluation'),
          ],
          slos: [slo('e2e')],
        }),
      );
      expect(result.stages).toEqual([
        {
          name: 'by-entity',
          type: 'model',
          owner: 'group:default/ml-team',
          ownerSource: 'entity',
          entityRef: 'component:default/model-svc',
        },
        {
          name: 'by-both',
          type: 'model',
          owner: 'group:default/data-team',
          ownerSource: 'entity',
          entityRef: 'component:default/ingest-svc',
        },
        {
          name: 'inline',
          type: 'serving',
          owner: 'group:default/platform-team',
          ownerSource: 'inline',
          entityRef: null,
        },
        {
          name: 'ownerless-entity',
          type: 'retrieval',
          owner: 'user:default/alice',
          ownerSource: 'inline',
          entityRef: 'component:default/orphan-svc',
        },
        {
          name: 'nobody',
          type: 'evaluation',
          owner: null,
          ownerSource: null,
          entityRef: null,
        },
      ]);
    });

    it('resolves refs in the namespace of the pipeline, entityRef to a Component', () => {
      const result = analyze(
        pipeline(
          'p',
          {
            owner: 'ml-team',
            stages: [
              stage('a', 'model', { entityRef: 'model-svc' }),
              stage('b', 'serving', { owner: 'ml-team', dependsOn: ['a'] }),
            ],
            slos: [slo('e2e')],
          },
          'ml',
        ),
        [
          group('ml-team', {
            namespace: 'ml',
            members: ['user:default/alice'],
          }),
          {
            ...component('model-svc', 'group:ml/ml-team'),
            metadata: { name: 'model-svc', namespace: 'ml' },
          },
        ],
      );
      expect(result.pipeline).toBe('aipipeline:ml/p');
      expect(result.owner).toBe('group:ml/ml-team');
      expect(result.stages.map(s => [s.entityRef, s.owner])).toEqual([
        ['component:ml/model-svc', 'group:ml/ml-team'],
        [null, 'group:ml/ml-team'],
      ]);
      expect(result.findings).toEqual([]);
    });
  });

  it('lists one edge per dependsOn entry, upstream first', () => {
    const result = analyze(
      pipeline('p', {
        stages: [
          stage('a', 'model', { owner: 'ml-team' }),
          stage('b', 'model', { owner: 'ml-team', dependsOn: ['a'] }),
          stage('c', 'model', { owner: 'ml-team', dependsOn: ['a'] }),
          stage('d', 'serving', { owner: 'ml-team', dependsOn: ['b', 'c'] }),
        ],
        slos: [slo('e2e')],
      }),
    );
    expect(result.edges).toEqual([
      { from: 'a', to: 'b' },
      { from: 'a', to: 'c' },
      { from: 'b', to: 'd' },
      { from: 'c', to: 'd' },
    ]);
  });

  describe('unowned-stage', () => {
    it('is reported for a stage with neither owner nor entityRef', () => {
      const p = cleanPipeline();
      p.spec.stages.push(
        stage('loose', 'evaluation', { dependsOn: ['model'] }),
      );
      expect(analyze(p).findings).toEqual([
        {
          code: 'unowned-stage',
          severity: 'error',
          stage: 'loose',
          message: expect.stringContaining('"loose"'),
        },
      ]);
    });

    it('is reported for a stage whose entity has no owner and no inline owner', () => {
      const p = cleanPipeline();
      p.spec.stages.push(
        stage('orphan', 'serving', {
          entityRef: 'component:default/orphan-svc',
        }),
      );
      expect(withCode(analyze(p).findings, 'unowned-stage')).toEqual([
        expect.objectContaining({ stage: 'orphan', severity: 'error' }),
      ]);
    });

    it('is absent when an ownerless entity has an inline owner', () => {
      const p = cleanPipeline();
      p.spec.stages.push(
        stage('orphan', 'serving', {
          entityRef: 'component:default/orphan-svc',
          owner: 'group:default/ml-team',
        }),
      );
      expect(analyze(p).findings).toEqual([]);
    });

    it('is absent when the entity has an owner and no inline owner', () => {
      const p = cleanPipeline();
      expect(p.spec.stages[1].owner).toBeUndefined();
      expect(withCode(analyze(p).findings, 'unowned-stage')).toEqual([]);
    });
  });

  describe('unknown-owner', () => {
    it('is reported when the pipeline owner is not in the catalog', () => {
      const p = cleanPipeline();
      p.spec.owner = 'group:default/ghost-team';
      expect(analyze(p).findings).toEqual([
        {
          code: 'unknown-owner',
          severity: 'error',
          message: expect.stringContaining('group:default/ghost-team'),
        },
      ]);
    });

    it('is reported when a stage owner resolves to a Component', () => {
      const p = cleanPipeline();
      p.spec.stages[0].owner = 'component:default/widget';
      expect(withCode(analyze(p).findings, 'unknown-owner')).toEqual([
        expect.objectContaining({
          severity: 'error',
          stage: 'train',
          message: expect.stringContaining('component:default/widget'),
        }),
      ]);
    });

    it("is reported when a stage entity's owner is not in the catalog", () => {
      const p = cleanPipeline();
      const entities = [
        ...baseCatalog(),
        component('lost-svc', 'group:default/renamed-team'),
      ];
      p.spec.stages.push(
        stage('lost', 'serving', { entityRef: 'component:default/lost-svc' }),
      );
      expect(withCode(analyze(p, entities).findings, 'unknown-owner')).toEqual([
        expect.objectContaining({
          stage: 'lost',
          message: expect.stringContaining('group:default/renamed-team'),
        }),
      ]);
    });

    it('is reported for an inline owner that the entity owner overrides', () => {
      const p = cleanPipeline();
      p.spec.stages[1].owner = 'group:default/ghost-team';
      const findings = analyze(p).findings;
      expect(withCode(findings, 'unknown-owner')).toEqual([
        expect.objectContaining({
          stage: 'model',
          message: expect.stringContaining('group:default/ghost-team'),
        }),
      ]);
      expect(withCode(findings, 'owner-mismatch')).toHaveLength(1);
    });

    it('does not call an overridden empty inline owner ownerless', () => {
      const p = cleanPipeline();
      p.spec.stages[1].owner = 'group:default/empty-team';
      const codes = analyze(p).findings.map(f => f.code);
      expect(codes).toEqual(['owner-mismatch']);
    });

    it('is reported once per owner however many stages it owns', () => {
      const p = cleanPipeline();
      p.spec.stages.push(
        stage('x', 'serving', { owner: 'ghost-team' }),
        stage('y', 'serving', { owner: 'ghost-team' }),
      );
      expect(withCode(analyze(p).findings, 'unknown-owner')).toHaveLength(1);
    });

    it('is absent for owners that are Groups or Users in the catalog', () => {
      const p = cleanPipeline();
      p.spec.owner = 'user:default/alice';
      p.spec.stages[0].owner = 'group:default/data-team';
      p.spec.stages[1].dependsOn = [];
      expect(analyze(p).findings).toEqual([]);
    });
  });

  describe('missing-entity', () => {
    it('is reported when a stage entityRef is not in the catalog', () => {
      const p = cleanPipeline();
      p.spec.stages[1].entityRef = 'component:default/nope';
      p.spec.stages[1].owner = 'ml-team';
      expect(analyze(p).findings).toEqual([
        {
          code: 'missing-entity',
          severity: 'error',
          stage: 'model',
          message: expect.stringContaining('component:default/nope'),
        },
      ]);
    });

    it('comes with unowned-stage when the stage has no inline owner', () => {
      const p = cleanPipeline();
      p.spec.stages[1].entityRef = 'resource:default/nope';
      expect(analyze(p).findings.map(f => [f.code, f.stage])).toEqual([
        ['missing-entity', 'model'],
        ['unowned-stage', 'model'],
      ]);
    });

    it('is absent when the entityRef, without kind, names a Component', () => {
      const p = cleanPipeline();
      p.spec.stages[1].entityRef = 'model-svc';
      expect(analyze(p).findings).toEqual([]);
    });

    it('is reported when the entityRef names an entity of another kind', () => {
      const p = cleanPipeline();
      // The catalog has component:default/model-svc, not a Resource.
      p.spec.stages[1].entityRef = 'resource:default/model-svc';
      p.spec.stages[1].owner = 'ml-team';
      expect(withCode(analyze(p).findings, 'missing-entity')).toHaveLength(1);
    });
  });

  describe('owner-mismatch', () => {
    it("is reported when the inline owner differs from the entity's owner", () => {
      const p = cleanPipeline();
      p.spec.stages[1].owner = 'group:default/data-team';
      const result = analyze(p);
      expect(result.findings).toEqual([
        {
          code: 'owner-mismatch',
          severity: 'warning',
          stage: 'model',
          message: expect.stringContaining('data-team'),
        },
      ]);
      // The entity's owner wins.
      expect(result.stages[1]).toEqual(
        expect.objectContaining({
          owner: 'group:default/ml-team',
          ownerSource: 'entity',
        }),
      );
    });

    it('is absent when the owners agree, however the ref is written', () => {
      const p = cleanPipeline();
      p.spec.stages[1].owner = 'ml-team';
      expect(analyze(p).findings).toEqual([]);
      p.spec.stages[1].owner = 'group:default/ml-team';
      expect(analyze(p).findings).toEqual([]);
    });

    it('is absent when the entity has no owner', () => {
      const p = cleanPipeline();
      p.spec.stages[1].entityRef = 'component:default/orphan-svc';
      p.spec.stages[1].owner = 'group:default/ml-team';
      expect(withCode(analyze(p).findings, 'owner-mismatch')).toEqual([]);
    });
  });

  describe('no-e2e-slo', () => {
    it('is reported when the pipeline has no SLOs', () => {
      const p = cleanPipeline();
      delete p.spec.slos;
      expect(analyze(p).findings).toEqual([
        {
          code: 'no-e2e-slo',
          severity: 'warning',
          message: expect.any(String),
        },
      ]);
    });

    it('is reported when every SLO is set on a stage', () => {
      const p = cleanPipeline();
      p.spec.slos = [slo('train-quality', 'train'), slo('model-q', 'model')];
      const found = withCode(analyze(p).findings, 'no-e2e-slo');
      expect(found).toHaveLength(1);
      expect(found[0].stage).toBeUndefined();
    });

    it('is absent when one SLO has no stage (or a null stage)', () => {
      const p = cleanPipeline();
      p.spec.slos = [slo('train-quality', 'train'), slo('e2e')];
      expect(analyze(p).findings).toEqual([]);
      p.spec.slos = [{ ...slo('e2e'), stage: null }];
      expect(analyze(p).findings).toEqual([]);
    });
  });

  describe('unmonitored-stage', () => {
    function freshnessPipeline() {
      const p = cleanPipeline();
      p.spec.stages.push(
        stage('index', 'vector-index', {
          owner: 'ml-team',
          dependsOn: ['model'],
        }),
      );
      return p;
    }

    it('is absent when the last freshness signal is 23 h old', () => {
      const signals = freshness({ index: 23 * HOUR });
      const result = analyze(freshnessPipeline(), baseCatalog(), { signals });
      expect(result.findings).toEqual([]);
      expect(signals.lastFreshness).toHaveBeenCalledWith(
        'aipipeline:default/clean',
        'index',
      );
    });

    it('is reported when the last freshness signal is 25 h old', () => {
      const result = analyze(freshnessPipeline(), baseCatalog(), {
        signals: freshness({ index: 25 * HOUR }),
      });
      expect(result.findings).toEqual([
        {
          code: 'unmonitored-stage',
          severity: 'warning',
          stage: 'index',
          message: expect.stringContaining('25 h'),
        },
      ]);
    });

    it('is absent at exactly the maximum age', () => {
      const result = analyze(freshnessPipeline(), baseCatalog(), {
        signals: freshness({ index: FRESHNESS_SIGNAL_MAX_AGE_MS }),
      });
      expect(FRESHNESS_SIGNAL_MAX_AGE_MS).toBe(24 * HOUR);
      expect(result.findings).toEqual([]);
    });

    it('is reported when the stage never reported freshness', () => {
      const result = analyze(freshnessPipeline(), baseCatalog(), {
        signals: freshness({ other: HOUR }),
      });
      expect(withCode(result.findings, 'unmonitored-stage')).toEqual([
        expect.objectContaining({
          stage: 'index',
          message: expect.stringContaining('never'),
        }),
      ]);
    });

    it('uses the now option as the present', () => {
      const signals = freshness({ index: 0 });
      // A signal at NOW is 30 h old when "now" is 30 h later.
      const result = analyzePipeline(
        freshnessPipeline(),
        buildCatalogIndex(baseCatalog()),
        { signals, now: NOW + 30 * HOUR },
      );
      expect(withCode(result.findings, 'unmonitored-stage')).toHaveLength(1);
    });

    it.each([
      'data-ingestion',
      'feature-pipeline',
      'embedding',
      'vector-index',
      'cache',
    ] as const)('is reported for a %s stage without signals', type => {
      const p = cleanPipeline();
      p.spec.stages.push(stage('s', type, { owner: 'ml-team' }));
      expect(
        analyze(p).findings.map(f => [f.code, f.severity, f.stage]),
      ).toEqual([['unmonitored-stage', 'warning', 's']]);
    });

    it.each([
      'training',
      'model',
      'retrieval',
      'serving',
      'gateway-route',
      'evaluation',
      'other',
    ] as const)('is absent for a %s stage without signals', type => {
      const p = cleanPipeline();
      p.spec.stages.push(stage('s', type, { owner: 'ml-team' }));
      expect(analyze(p).findings).toEqual([]);
    });
  });

  describe('ownerless-team', () => {
    it('is reported when the owning group has no members', () => {
      const p = cleanPipeline();
      p.spec.owner = 'group:default/empty-team';
      expect(analyze(p).findings).toEqual([
        {
          code: 'ownerless-team',
          severity: 'warning',
          message: expect.stringContaining('empty-team'),
        },
      ]);
    });

    it('is reported for a stage owner group with no members', () => {
      const p = cleanPipeline();
      p.spec.stages[0].owner = 'empty-team';
      p.spec.stages[1].dependsOn = [];
      expect(analyze(p).findings).toEqual([
        expect.objectContaining({
          code: 'ownerless-team',
          severity: 'warning',
          stage: 'train',
        }),
      ]);
    });

    it('is absent when the group has a member via a hasMember relation', () => {
      const p = cleanPipeline();
      p.spec.owner = 'group:default/empty-team';
      const entities = baseCatalog().map(e =>
        e.metadata.name === 'empty-team'
          ? group('empty-team', { members: ['user:default/dave'] })
          : e,
      );
      expect(analyze(p, entities).findings).toEqual([]);
    });

    it('is absent for a User owner', () => {
      const p = cleanPipeline();
      p.spec.owner = 'user:default/alice';
      expect(analyze(p).findings).toEqual([]);
    });
  });

  describe('cross-team-handoff', () => {
    it('is reported once for an edge between stages of different groups', () => {
      const p = cleanPipeline();
      p.spec.stages[0].owner = 'group:default/data-team';
      expect(analyze(p).findings).toEqual([
        {
          code: 'cross-team-handoff',
          severity: 'info',
          stage: 'model',
          message: expect.stringMatching(
            /"train".*data-team.*"model".*ml-team/,
          ),
        },
      ]);
    });

    it('is reported exactly once per crossing edge', () => {
      const result = analyze(
        pipeline('p', {
          stages: [
            stage('a', 'model', { owner: 'data-team' }),
            stage('b', 'model', { owner: 'ml-team', dependsOn: ['a'] }),
            stage('c', 'model', { owner: 'ml-team', dependsOn: ['a'] }),
            stage('d', 'serving', {
              entityRef: 'component:default/serve-svc',
              dependsOn: ['b', 'c'],
            }),
            stage('e', 'evaluation', {
              owner: 'platform-team',
              dependsOn: ['d'],
            }),
          ],
          slos: [slo('e2e')],
        }),
      );
      // a→b, a→c, b→d, c→d cross; d→e stays in platform-team.
      const handoffs = withCode(result.findings, 'cross-team-handoff');
      expect(handoffs.map(f => f.stage)).toEqual(['b', 'c', 'd', 'd']);
      expect(handoffs.every(f => f.severity === 'info')).toBe(true);
      expect(result.findings).toEqual(handoffs);
      expect(result.edges).toHaveLength(5);
    });

    it('is absent when both stages have the same owner', () => {
      const p = cleanPipeline();
      expect(p.spec.stages[1].dependsOn).toEqual(['train']);
      expect(withCode(analyze(p).findings, 'cross-team-handoff')).toEqual([]);
    });

    it('is absent when one side has no owner', () => {
      const p = cleanPipeline();
      delete p.spec.stages[0].owner;
      expect(analyze(p).findings.map(f => f.code)).toEqual(['unowned-stage']);
    });
  });

  it('sorts findings errors first, then warnings, then info', () => {
    const result = analyze(
      pipeline('p', {
        owner: 'group:default/empty-team',
        stages: [
          stage('ingest', 'data-ingestion', { owner: 'data-team' }),
          stage('model', 'model', {
            owner: 'ml-team',
            dependsOn: ['ingest'],
          }),
          stage('serve', 'serving', { dependsOn: ['model'] }),
          stage('missing', 'serving', {
            entityRef: 'component:default/nope',
            owner: 'ml-team',
          }),
        ],
      }),
    );
    const codes = result.findings.map(f => f.code);
    expect(new Set(codes)).toEqual(
      new Set([
        'unowned-stage',
        'missing-entity',
        'ownerless-team',
        'no-e2e-slo',
        'unmonitored-stage',
        'cross-team-handoff',
      ]),
    );
    const rank = { error: 0, warning: 1, info: 2 };
    const ranks = result.findings.map(f => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks[0]).toBe(0);
    expect(ranks[ranks.length - 1]).toBe(2);
    for (const f of result.findings) {
      expect(f.severity).toBe(FINDING_SEVERITY[f.code]);
    }
  });

  describe('consumers', () => {
    /**
     * The catalog as the processor leaves it: the pipeline depends on its
     * stage entities, which are a dependencyOf it.
     */
    function consumerCatalog(): Entity[] {
      const pipelineRef = 'aipipeline:default/clean';
      return [
        ...baseCatalog().filter(
          e => !['model-svc', 'serve-svc'].includes(e.metadata.name),
        ),
        {
          ...cleanPipeline(),
          relations: [
            { type: 'ownedBy', targetRef: 'group:default/ml-team' },
            { type: 'dependsOn', targetRef: 'component:default/model-svc' },
            { type: 'dependsOn', targetRef: 'component:default/serve-svc' },
          ],
        },
        component('model-svc', 'group:default/ml-team', [
          { type: 'dependencyOf', targetRef: pipelineRef },
          // another stage entity of the same pipeline depends on it
          { type: 'dependencyOf', targetRef: 'component:default/serve-svc' },
          // known only from the target's side
          { type: 'dependencyOf', targetRef: 'component:default/dashboard' },
        ]),
        component('serve-svc', 'group:default/platform-team', [
          { type: 'dependencyOf', targetRef: pipelineRef },
          { type: 'dependsOn', targetRef: 'component:default/model-svc' },
        ]),
        // depends on the pipeline itself
        component('storefront', 'group:default/platform-team', [
          { type: 'dependsOn', targetRef: pipelineRef },
        ]),
        // depends on a stage entity and on the pipeline: listed once
        component('reporting', undefined, [
          { type: 'dependsOn', targetRef: 'component:default/model-svc' },
          { type: 'dependsOn', targetRef: pipelineRef },
        ]),
        // depends on something else entirely
        component('unrelated', 'group:default/data-team', [
          { type: 'dependsOn', targetRef: 'component:default/ingest-svc' },
        ]),
      ];
    }

    function consumerPipeline() {
      const p = cleanPipeline();
      p.spec.stages.push(
        stage('serve', 'serving', {
          entityRef: 'component:default/serve-svc',
          dependsOn: ['model'],
        }),
      );
      return p;
    }

    it('lists the dependents of the pipeline and of its stage entities, with their owner', () => {
      const result = analyze(consumerPipeline(), consumerCatalog());
      expect(result.consumers).toEqual([
        { entityRef: 'component:default/dashboard', owner: null },
        { entityRef: 'component:default/reporting', owner: null },
        {
          entityRef: 'component:default/storefront',
          owner: 'group:default/platform-team',
        },
      ]);
    });

    it('never lists the pipeline itself or its own stage entities', () => {
      const refs = analyze(consumerPipeline(), consumerCatalog()).consumers.map(
        c => c.entityRef,
      );
      expect(refs).not.toContain('aipipeline:default/clean');
      expect(refs).not.toContain('component:default/model-svc');
      expect(refs).not.toContain('component:default/serve-svc');
      expect(refs).not.toContain('component:default/unrelated');
    });

    it('carries the owner of a consumer that is in the catalog', () => {
      const entities = [
        ...consumerCatalog().filter(e => e.metadata.name !== 'reporting'),
        component('reporting', 'group:default/data-team', [
          { type: 'dependsOn', targetRef: 'component:default/model-svc' },
        ]),
      ];
      const result = analyze(consumerPipeline(), entities);
      expect(result.consumers).toContainEqual({
        entityRef: 'component:default/reporting',
        owner: 'group:default/data-team',
      });
    });

    it('is empty with includeConsumers: false', () => {
      const result = analyze(consumerPipeline(), consumerCatalog(), {
        includeConsumers: false,
      });
      expect(result.consumers).toEqual([]);
      // the rest of the analysis is unchanged
      expect(result.stages).toEqual(
        analyze(consumerPipeline(), consumerCatalog()).stages,
      );
    });
  });
});
