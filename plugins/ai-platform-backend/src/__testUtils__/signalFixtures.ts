import { Entity } from '@backstage/catalog-model';
import { group, pipeline, stitchRelations, user } from './catalogFixtures';

/** The pipeline the signal, dashboard and halt tests revolve around. */
export const SUPPORT_ANSWERS = 'aipipeline:default/support-answers';
/** A second pipeline whose stage writes the same dataset as `ingest`. */
export const KB_SYNC = 'aipipeline:default/kb-sync';

/** The dataset both `support-answers/ingest` and `kb-sync/sync` write. */
export const KB_DOCS = { namespace: 's3://kb', name: 'docs/raw' };
/** The dataset only `support-answers/embed` writes. */
export const KB_CHUNKS = {
  namespace: 'postgres://vectors',
  name: 'public.chunks',
};

/**
 * A catalog for the signal tests, with relations stitched.
 *
 * support-answers (ml-team, rag): ingest [outputs KB_DOCS] → embed [outputs
 * KB_CHUNKS] → serve. SLOs over 7 days at 90 %:
 * - ingest-freshness: stage ingest, freshness <= 7200 s;
 * - serve-latency: stage serve, latency <= 1 s;
 * - answer-quality: end to end, quality >= 0.8.
 *
 * kb-sync (ml-team, batch-scoring): sync [outputs KB_DOCS]; no SLOs.
 */
export function signalsFixture(): Entity[] {
  return stitchRelations<Entity>([
    group('ml-team', { members: ['user:default/alice'] }),
    user('alice', ['group:default/ml-team']),
    pipeline('support-answers', {
      type: 'rag',
      owner: 'group:default/ml-team',
      stages: [
        { name: 'ingest', type: 'data-ingestion', outputs: [KB_DOCS] },
        {
          name: 'embed',
          type: 'embedding',
          dependsOn: ['ingest'],
          outputs: [KB_CHUNKS],
        },
        { name: 'serve', type: 'serving', dependsOn: ['embed'] },
      ],
      slos: [
        {
          name: 'ingest-freshness',
          signal: 'freshness',
          stage: 'ingest',
          objective: { op: '<=', threshold: 7200 },
          target: 0.9,
          window: '7d',
        },
        {
          name: 'serve-latency',
          signal: 'latency',
          stage: 'serve',
          objective: { op: '<=', threshold: 1 },
          target: 0.9,
          window: '7d',
        },
        {
          name: 'answer-quality',
          signal: 'quality',
          objective: { op: '>=', threshold: 0.8 },
          target: 0.9,
          window: '7d',
        },
      ],
    }),
    pipeline('kb-sync', {
      type: 'batch-scoring',
      owner: 'group:default/ml-team',
      stages: [{ name: 'sync', type: 'data-ingestion', outputs: [KB_DOCS] }],
    }),
  ]);
}
