import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessorResult,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { AIPipelineEntityProcessor } from './AIPipelineEntityProcessor';

type AnyObject = Record<string, any>;

const location: LocationSpec = {
  type: 'url',
  target: 'https://example.com/pipelines.yaml',
};

function validPipeline(namespace = 'default'): AnyObject {
  return {
    apiVersion: 'ai-platform.io/v1alpha1',
    kind: 'AIPipeline',
    metadata: { name: 'support-answers', namespace },
    spec: {
      type: 'rag',
      lifecycle: 'production',
      owner: 'group:default/ml-team',
      stages: [
        {
          name: 'ingest',
          type: 'data-ingestion',
          entityRef: 'component:default/ticket-ingest',
        },
        {
          name: 'embeddings',
          type: 'embedding',
          owner: 'group:default/data-team',
          dependsOn: ['ingest'],
        },
        {
          name: 'serving',
          type: 'serving',
          dependsOn: ['embeddings'],
        },
      ],
    },
  };
}

function pipelineWith(mutate: (p: AnyObject) => void): Entity {
  const p = validPipeline();
  mutate(p);
  return p as Entity;
}

async function emitted(entity: Entity): Promise<CatalogProcessorResult[]> {
  const emit = jest.fn();
  const processor = new AIPipelineEntityProcessor();
  const result = await processor.postProcessEntity(entity, location, emit);
  expect(result).toBe(entity);
  return emit.mock.calls.map(([r]) => r);
}

const self = {
  kind: 'AIPipeline',
  namespace: 'default',
  name: 'support-answers',
};

function pair(
  forward: string,
  reverse: string,
  target: { kind: string; namespace: string; name: string },
  source = self,
) {
  return [
    { type: 'relation', relation: { source, type: forward, target } },
    {
      type: 'relation',
      relation: { source: target, type: reverse, target: source },
    },
  ];
}

describe('AIPipelineEntityProcessor', () => {
  const processor = new AIPipelineEntityProcessor();

  it('has a name', () => {
    expect(processor.getProcessorName()).toBe('AIPipelineEntityProcessor');
  });

  describe('validateEntityKind', () => {
    it('returns false for other kinds', async () => {
      await expect(
        processor.validateEntityKind({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'x' },
          spec: { type: 'service', owner: 'ml-team', lifecycle: 'production' },
        }),
      ).resolves.toBe(false);
    });

    it('returns false for an AIPipeline of another apiVersion', async () => {
      await expect(
        processor.validateEntityKind(
          pipelineWith(p => {
            p.apiVersion = 'backstage.io/v1alpha1';
          }),
        ),
      ).resolves.toBe(false);
    });

    it('returns true for a valid pipeline', async () => {
      await expect(
        processor.validateEntityKind(validPipeline() as Entity),
      ).resolves.toBe(true);
    });

    it.each<[string, (p: AnyObject) => void, string]>([
      [
        'duplicate stage names',
        p => {
          p.spec.stages[2].name = 'ingest';
          p.spec.stages[2].dependsOn = [];
        },
        'spec.stages[2].name',
      ],
      [
        'an unknown stage type',
        p => {
          p.spec.stages[1].type = 'teleportation';
        },
        'spec.stages[1].type',
      ],
      [
        'a dependsOn on an unknown stage',
        p => {
          p.spec.stages[2].dependsOn = ['embeddings', 'ghost'];
        },
        'spec.stages[2].dependsOn[1]',
      ],
      [
        'a dependsOn cycle',
        p => {
          p.spec.stages[0].dependsOn = ['serving'];
        },
        'spec.stages[0].dependsOn',
      ],
      [
        'a malformed ref',
        p => {
          p.spec.stages[0].entityRef = 'component:default/';
        },
        'spec.stages[0].entityRef',
      ],
      [
        'a missing owner',
        p => {
          delete p.spec.owner;
        },
        'spec.owner',
      ],
      [
        'an owner that is not a Group or User',
        p => {
          p.spec.owner = 'component:default/x';
        },
        'spec.owner',
      ],
    ])(
      'throws an InputError naming the field for %s',
      async (_, mutate, field) => {
        const result = processor.validateEntityKind(pipelineWith(mutate));
        await expect(result).rejects.toThrow(InputError);
        await expect(result).rejects.toThrow(
          `Invalid AIPipeline "support-answers": ${field}: `,
        );
      },
    );

    it('names the cycle in the error', async () => {
      await expect(
        processor.validateEntityKind(
          pipelineWith(p => {
            p.spec.stages[0].dependsOn = ['serving'];
          }),
        ),
      ).rejects.toThrow(/cycle: ingest → serving → embeddings → ingest/);
    });
  });

  describe('postProcessEntity', () => {
    it('leaves other kinds alone', async () => {
      const entity: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: { owner: 'ml-team' },
      };
      expect(await emitted(entity)).toEqual([]);
    });

    it('emits owner and stage relations in both directions', async () => {
      expect(await emitted(validPipeline() as Entity)).toEqual([
        ...pair('ownedBy', 'ownerOf', {
          kind: 'group',
          namespace: 'default',
          name: 'ml-team',
        }),
        ...pair('dependsOn', 'dependencyOf', {
          kind: 'component',
          namespace: 'default',
          name: 'ticket-ingest',
        }),
        ...pair('hasStageOwnedBy', 'ownsStageIn', {
          kind: 'group',
          namespace: 'default',
          name: 'data-team',
        }),
      ]);
    });

    it('builds its results with processingResult.relation', async () => {
      const results = await emitted(validPipeline() as Entity);
      expect(results[0]).toEqual(
        processingResult.relation({
          source: self,
          type: 'ownedBy',
          target: { kind: 'group', namespace: 'default', name: 'ml-team' },
        }),
      );
    });

    it('emits partOf/hasPart for the system', async () => {
      const results = await emitted(
        pipelineWith(p => {
          p.spec.system = 'customer-support';
        }),
      );
      expect(results).toEqual(
        expect.arrayContaining(
          pair('partOf', 'hasPart', {
            kind: 'system',
            namespace: 'default',
            name: 'customer-support',
          }),
        ),
      );
      expect(results).toHaveLength(8);
    });

    it('applies default kinds and the namespace of the pipeline', async () => {
      const entity = validPipeline('ml');
      entity.spec.owner = 'ml-team';
      entity.spec.system = 'search';
      entity.spec.stages[0].entityRef = 'ticket-ingest';
      entity.spec.stages[1].owner = 'user:alice';
      entity.spec.stages[2].entityRef = 'resource:shared/vector-db';
      const source = { ...self, namespace: 'ml' };
      expect(await emitted(entity as Entity)).toEqual([
        ...pair(
          'ownedBy',
          'ownerOf',
          { kind: 'group', namespace: 'ml', name: 'ml-team' },
          source,
        ),
        ...pair(
          'partOf',
          'hasPart',
          { kind: 'system', namespace: 'ml', name: 'search' },
          source,
        ),
        ...pair(
          'dependsOn',
          'dependencyOf',
          { kind: 'component', namespace: 'ml', name: 'ticket-ingest' },
          source,
        ),
        ...pair(
          'hasStageOwnedBy',
          'ownsStageIn',
          { kind: 'user', namespace: 'ml', name: 'alice' },
          source,
        ),
        ...pair(
          'dependsOn',
          'dependencyOf',
          { kind: 'resource', namespace: 'shared', name: 'vector-db' },
          source,
        ),
      ]);
    });

    it('emits one dependsOn pair per stage entityRef', async () => {
      const results = await emitted(
        pipelineWith(p => {
          p.spec.stages[1].entityRef = 'component:default/embedder';
          p.spec.stages[2].entityRef = 'component:default/search-api';
        }),
      );
      const dependsOn = results
        .filter(
          (r): r is Extract<CatalogProcessorResult, { type: 'relation' }> =>
            r.type === 'relation' && r.relation.type === 'dependsOn',
        )
        .map(r => r.relation.target.name);
      expect(dependsOn).toEqual(['ticket-ingest', 'embedder', 'search-api']);
    });

    it('emits each distinct inline stage owner once', async () => {
      const results = await emitted(
        pipelineWith(p => {
          p.spec.stages[0].owner = 'group:default/data-team';
          // the same group, written differently
          p.spec.stages[2].owner = 'data-team';
          p.spec.stages.push({
            name: 'eval',
            type: 'evaluation',
            owner: 'group:default/eval-team',
            dependsOn: ['serving'],
          });
        }),
      );
      const stageOwners = results.filter(
        r => r.type === 'relation' && r.relation.type === 'hasStageOwnedBy',
      );
      expect(stageOwners).toEqual([
        pair('hasStageOwnedBy', 'ownsStageIn', {
          kind: 'group',
          namespace: 'default',
          name: 'data-team',
        })[0],
        pair('hasStageOwnedBy', 'ownsStageIn', {
          kind: 'group',
          namespace: 'default',
          name: 'eval-team',
        })[0],
      ]);
      const reverse = results.filter(
        r => r.type === 'relation' && r.relation.type === 'ownsStageIn',
      );
      expect(reverse).toHaveLength(2);
    });
  });
});
