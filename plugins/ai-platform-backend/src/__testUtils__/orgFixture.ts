import { Entity } from '@backstage/catalog-model';
import {
  component,
  group,
  pipeline,
  stitchRelations,
  user,
} from './catalogFixtures';

const e2eSlo = (name: string) => ({
  name,
  signal: 'quality' as const,
  objective: { op: '>=' as const, threshold: 0.8 },
  target: 0.99,
  window: '28d',
});

/**
 * A small organisation for the HTTP tests, with relations as the catalog
 * stitches them.
 *
 * Groups: ml-platform (parent of ml-team and data-team), web-team, and
 * ghost-team (no members). Users alice, bob, carol, dave.
 *
 * Pipelines and their expected findings (see analyzePipeline):
 * - search-rag (ml-team): ingest [entity data-team] → embed [entity ml-team,
 *   inline data-team] → index [inline ml-team] → serve [entity ml-team];
 *   e2e SLO. Warnings: owner-mismatch(embed), unmonitored ingest/embed/index;
 *   info: handoff ingest → embed. Counts {error 0, warning 4, info 1}.
 *   Consumer: component storefront (web-team) dependsOn the pipeline.
 * - churn-train (ghost-team): features [entityRef to a missing component] →
 *   train [inline data-team] → model [inline group nobody, not in catalog];
 *   no SLO. Errors: missing-entity(features), unowned-stage(features),
 *   unknown-owner(model); warnings: unmonitored(features), no-e2e-slo,
 *   ownerless-team; info: handoff train → model.
 *   Counts {error 3, warning 3, info 1}.
 * - web-assistant (web-team): api [entity web-team] → eval [inline user
 *   dave]; e2e SLO. Info: handoff api → eval. Counts {0, 0, 1}.
 */
export function orgFixture(): Entity[] {
  return stitchRelations<Entity>([
    group('ml-platform', {
      children: ['group:default/ml-team', 'group:default/data-team'],
    }),
    group('ml-team', { parent: 'group:default/ml-platform' }),
    group('data-team', { parent: 'group:default/ml-platform' }),
    group('web-team'),
    group('ghost-team'),
    user('alice', ['group:default/ml-platform']),
    user('bob', ['group:default/ml-team']),
    user('carol', ['group:default/data-team']),
    user('dave', ['group:default/web-team']),

    component('ingest', { owner: 'group:default/data-team' }),
    component('embedder', { owner: 'group:default/ml-team' }),
    component('search-api', { owner: 'ml-team' }),
    component('assistant-api', { owner: 'group:default/web-team' }),
    component('storefront', {
      owner: 'group:default/web-team',
      type: 'website',
      dependsOn: ['aipipeline:default/search-rag'],
    }),

    pipeline(
      'search-rag',
      {
        type: 'rag',
        owner: 'group:default/ml-team',
        stages: [
          {
            name: 'ingest',
            type: 'data-ingestion',
            entityRef: 'component:default/ingest',
          },
          {
            name: 'embed',
            type: 'embedding',
            entityRef: 'component:default/embedder',
            owner: 'group:default/data-team',
            dependsOn: ['ingest'],
          },
          {
            name: 'index',
            type: 'vector-index',
            owner: 'ml-team',
            dependsOn: ['embed'],
          },
          {
            name: 'serve',
            type: 'serving',
            entityRef: 'search-api',
            dependsOn: ['index'],
          },
        ],
        slos: [e2eSlo('answer-quality')],
      },
      'Search (RAG)',
    ),
    pipeline('churn-train', {
      type: 'training',
      owner: 'group:default/ghost-team',
      stages: [
        {
          name: 'features',
          type: 'feature-pipeline',
          entityRef: 'component:default/feature-job',
        },
        {
          name: 'train',
          type: 'training',
          owner: 'group:default/data-team',
          dependsOn: ['features'],
        },
        {
          name: 'model',
          type: 'model',
          owner: 'group:default/nobody',
          dependsOn: ['train'],
        },
      ],
    }),
    pipeline(
      'web-assistant',
      {
        type: 'agent',
        owner: 'group:default/web-team',
        stages: [
          {
            name: 'api',
            type: 'serving',
            entityRef: 'component:default/assistant-api',
          },
          {
            name: 'eval',
            type: 'evaluation',
            owner: 'user:default/dave',
            dependsOn: ['api'],
          },
        ],
        slos: [e2eSlo('task-success')],
      },
      'Web assistant',
    ),
  ]);
}
