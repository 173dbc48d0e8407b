import { GENAI_PRICES_VERSION } from './pricing';
import { toUsageRecord } from './normalize';

describe('toUsageRecord', () => {
  it('normalizes and prices a record', () => {
    expect(
      toUsageRecord({
        id: 'r1',
        timestamp: '2025-01-15 10:00:00',
        entityRef: 'Component:Default/Answers',
        model: 'gpt-4o',
        provider: 'openai',
        inputTokens: 1_000_000,
        outputTokens: 0,
      }),
    ).toEqual({
      id: 'r1',
      ts: Date.UTC(2025, 0, 15, 10),
      entityRef: 'component:default/answers',
      team: null,
      keyAlias: null,
      model: 'gpt-4o',
      provider: 'openai',
      inputTokens: 1_000_000,
      outputTokens: 0,
      costUsd: 2.5,
      costSource: 'price-table',
      priceSource: `genai-prices@${GENAI_PRICES_VERSION}:openai/gpt-4o`,
      durationMs: null,
      status: null,
    });
  });

  it('keeps the gateway cost and resolves the entity from a tag or key alias', () => {
    const record = toUsageRecord({
      id: 'r2',
      timestamp: Date.UTC(2025, 0, 15),
      team: 'ml-team',
      model: 'my-finetune',
      inputTokens: 10,
      outputTokens: 5,
      costUsd: 0.01,
      durationMs: 300,
      status: 'success',
      keyAlias: 'component:default/answers',
      tags: ['x', 'backstage:component:default/retriever'],
    });
    expect(record).toMatchObject({
      entityRef: 'component:default/retriever',
      team: 'ml-team',
      keyAlias: 'component:default/answers',
      costUsd: 0.01,
      costSource: 'gateway',
      priceSource: 'gateway',
      durationMs: 300,
      status: 'success',
      tags: ['x', 'backstage:component:default/retriever'],
    });
    expect(
      toUsageRecord({
        id: 'r3',
        timestamp: Date.UTC(2025, 0, 15),
        model: 'm',
        inputTokens: 0,
        outputTokens: 0,
        keyAlias: 'component:default/answers',
      }).entityRef,
    ).toBe('component:default/answers');
  });

  it('marks a model nobody can price as unpriced', () => {
    expect(
      toUsageRecord({
        id: 'r4',
        timestamp: Date.UTC(2025, 0, 15),
        model: 'internal-model-7',
        inputTokens: 100,
        outputTokens: 100,
      }),
    ).toMatchObject({
      costUsd: null,
      costSource: 'unpriced',
      priceSource: null,
    });
  });

  it('throws on a timestamp validation refuses', () => {
    expect(() =>
      toUsageRecord({
        id: 'r5',
        timestamp: 'never',
        model: 'm',
        inputTokens: 0,
        outputTokens: 0,
      }),
    ).toThrow(/r5/);
  });
});
