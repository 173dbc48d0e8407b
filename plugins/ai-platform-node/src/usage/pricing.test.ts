import fs from 'fs';
import path from 'path';
import { GENAI_PRICES_VERSION, priceUsage } from './pricing';

const MTOK = 1_000_000;

describe('priceUsage', () => {
  it('names the installed genai-prices version', () => {
    const main = require.resolve('@pydantic/genai-prices');
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(path.dirname(main), '..', 'package.json'),
        'utf8',
      ),
    );
    expect(pkg.name).toBe('@pydantic/genai-prices');
    expect(GENAI_PRICES_VERSION).toBe(pkg.version);
  });

  it.each([
    // model, provider, USD per 1M input, per 1M output, matched entry
    ['gpt-4o', 'openai', 2.5, 10, 'openai/gpt-4o'],
    ['gpt-4o-mini', 'openai', 0.15, 0.6, 'openai/gpt-4o-mini'],
    ['claude-sonnet-4', 'anthropic', 3, 15, 'anthropic/claude-sonnet-4-0'],
    ['gemini-2.5-flash', 'google', 0.3, 2.5, 'google/gemini-2.5-flash'],
    ['gpt-4o', undefined, 2.5, 10, 'openai/gpt-4o'],
    ['gemini-2.5-flash', 'vertex_ai', 0.3, 2.5, 'google/gemini-2.5-flash'],
  ])(
    'prices %s (%s) at the sanity values',
    (model, provider, inputPerM, outputPerM, entry) => {
      const both = priceUsage({
        model,
        provider,
        inputTokens: MTOK,
        outputTokens: MTOK,
      });
      expect(both.costSource).toBe('price-table');
      expect(both.costUsd).toBeCloseTo(inputPerM + outputPerM, 2);
      expect(both.priceSource).toBe(
        `genai-prices@${GENAI_PRICES_VERSION}:${entry}`,
      );

      const inputOnly = priceUsage({
        model,
        provider,
        inputTokens: MTOK,
        outputTokens: 0,
      });
      expect(inputOnly.costUsd).toBeCloseTo(inputPerM, 2);
      const outputOnly = priceUsage({
        model,
        provider,
        inputTokens: 0,
        outputTokens: MTOK,
      });
      expect(outputOnly.costUsd).toBeCloseTo(outputPerM, 2);
    },
  );

  it('prices a typical call in proportion', () => {
    const priced = priceUsage({
      model: 'gpt-4o-mini',
      provider: 'openai',
      inputTokens: 1200,
      outputTokens: 300,
    });
    expect(priced.costUsd).toBeCloseTo((1200 * 0.15 + 300 * 0.6) / MTOK, 10);
  });

  it('matches dated model versions to their entry', () => {
    expect(
      priceUsage({
        model: 'claude-sonnet-4-20250514',
        provider: 'anthropic',
        inputTokens: MTOK,
        outputTokens: 0,
      }).costUsd,
    ).toBeCloseTo(3, 2);
  });

  it('reads a provider/model name', () => {
    const priced = priceUsage({
      model: 'openai/gpt-4o',
      inputTokens: MTOK,
      outputTokens: MTOK,
    });
    expect(priced.costUsd).toBeCloseTo(12.5, 2);
    expect(priced.costSource).toBe('price-table');
  });

  it('falls back to the model alone for a provider the table does not know, and says whose price it used', () => {
    const priced = priceUsage({
      model: 'gpt-4o',
      provider: 'azure_ai',
      inputTokens: MTOK,
      outputTokens: MTOK,
    });
    expect(priced.costUsd).toBeCloseTo(12.5, 2);
    expect(priced.priceSource).toBe(
      `genai-prices@${GENAI_PRICES_VERSION}:openai/gpt-4o`,
    );
  });

  it('prefers the gateway cost, even a real 0', () => {
    expect(
      priceUsage({
        model: 'gpt-4o',
        provider: 'openai',
        inputTokens: MTOK,
        outputTokens: MTOK,
        costUsd: 11.1,
      }),
    ).toEqual({ costUsd: 11.1, costSource: 'gateway', priceSource: 'gateway' });
    expect(
      priceUsage({
        model: 'gpt-4o',
        inputTokens: 10,
        outputTokens: 10,
        costUsd: 0,
      }).costSource,
    ).toBe('gateway');
  });

  it.each([
    ['an unknown model', 'totally-made-up-model-x', undefined],
    ['an unknown model at a known provider', 'made-up-model', 'openai'],
    ['a self-hosted model', 'gpt-4o', 'hosted_vllm'],
    ['a self-hosted llama', 'meta-llama/Llama-3.1-8B-Instruct', 'vllm'],
    ['an empty model', ' ', 'openai'],
  ])('leaves %s unpriced, never 0', (_, model, provider) => {
    expect(
      priceUsage({ model, provider, inputTokens: 5000, outputTokens: 500 }),
    ).toEqual({ costUsd: null, costSource: 'unpriced', priceSource: null });
  });

  it('treats a non-finite gateway cost as absent', () => {
    expect(
      priceUsage({
        model: 'gpt-4o',
        inputTokens: MTOK,
        outputTokens: 0,
        costUsd: Number.NaN,
      }).costSource,
    ).toBe('price-table');
  });

  it('does not throw on tokens the table refuses', () => {
    expect(
      priceUsage({ model: 'gpt-4o', inputTokens: -1, outputTokens: 0 })
        .costSource,
    ).toBe('unpriced');
  });
});
