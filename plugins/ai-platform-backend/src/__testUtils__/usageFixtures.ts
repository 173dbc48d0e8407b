/*
 * Test helpers for gateway usage: stored records (what the usage store
 * takes) and `POST /usage` records (what the HTTP API takes).
 */
import {
  UsageRecord,
  UsageRecordInput,
} from '@aiplatform/plugin-ai-platform-node';
import { Entity } from '@backstage/catalog-model';
import {
  component,
  group,
  pipeline,
  stitchRelations,
  user,
} from './catalogFixtures';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const iso = (ms: number) => new Date(ms).toISOString();

/** A stored usage record (gateway-priced unless `costUsd` is null). */
export function usageRecord(
  id: string,
  ts: number,
  fields: Partial<Omit<UsageRecord, 'id' | 'ts'>> = {},
): UsageRecord {
  const costUsd = fields.costUsd === undefined ? 1 : fields.costUsd;
  return {
    id,
    ts,
    entityRef: null,
    team: null,
    keyAlias: null,
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 100,
    outputTokens: 50,
    costSource: costUsd === null ? 'unpriced' : 'gateway',
    priceSource: costUsd === null ? null : 'gateway',
    durationMs: null,
    status: null,
    ...fields,
    costUsd,
  };
}

/** A `POST /usage` record. */
export function usageInput(
  id: string,
  ts: number,
  fields: Partial<Omit<UsageRecordInput, 'id' | 'timestamp'>> = {},
): UsageRecordInput {
  return {
    id,
    timestamp: iso(ts),
    model: 'gpt-4o',
    provider: 'openai',
    inputTokens: 100,
    outputTokens: 50,
    ...fields,
  };
}

/** A small deterministic pseudo-random generator (LCG), for reproducible data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The Group annotation of a monthly inference budget. */
export const BUDGET_ANNOTATION = 'ai-platform.io/monthly-budget-usd';

function withBudget(entity: Entity, usd: string): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      annotations: { ...entity.metadata.annotations, [BUDGET_ANNOTATION]: usd },
    },
  };
}

/**
 * An org chart three levels deep for spend tests, with relations as the
 * catalog stitches them:
 *
 * - org (root) → ml-platform (budget $500) → ml-team, data-team;
 *   org → web-team. sales is a second root.
 * - users alice (org), bob (ml-platform), carol (sales).
 * - components answers (ml-team, or `answersOwner`), embedder (data-team),
 *   platform-gw (ml-platform), storefront (web-team), crm-bot (sales).
 * - pipelines support-answers (ml-team, stages embedder and answers,
 *   budget $100) and web-assistant (web-team, stage storefront, no budget).
 */
export function spendOrgFixture(
  options: { answersOwner?: string } = {},
): Entity[] {
  return stitchRelations<Entity>([
    group('org', {
      children: ['group:default/ml-platform', 'group:default/web-team'],
    }),
    withBudget(
      group('ml-platform', {
        parent: 'group:default/org',
        children: ['group:default/ml-team', 'group:default/data-team'],
      }),
      '500',
    ),
    group('ml-team', { parent: 'group:default/ml-platform' }),
    group('data-team', { parent: 'group:default/ml-platform' }),
    group('web-team', { parent: 'group:default/org' }),
    group('sales'),
    user('alice', ['group:default/org']),
    user('bob', ['group:default/ml-platform']),
    user('carol', ['group:default/sales']),
    component('answers', {
      owner: options.answersOwner ?? 'group:default/ml-team',
    }),
    component('embedder', { owner: 'group:default/data-team' }),
    component('platform-gw', { owner: 'group:default/ml-platform' }),
    component('storefront', { owner: 'group:default/web-team' }),
    component('crm-bot', { owner: 'group:default/sales' }),
    pipeline('support-answers', {
      type: 'rag',
      owner: 'group:default/ml-team',
      stages: [
        {
          name: 'retrieve',
          type: 'retrieval',
          entityRef: 'component:default/embedder',
        },
        {
          name: 'answer',
          type: 'serving',
          entityRef: 'component:default/answers',
        },
      ],
      budget: { monthlyUsd: 100 },
    }),
    pipeline('web-assistant', {
      type: 'agent',
      owner: 'group:default/web-team',
      stages: [
        {
          name: 'api',
          type: 'serving',
          entityRef: 'component:default/storefront',
        },
      ],
    }),
  ]);
}
