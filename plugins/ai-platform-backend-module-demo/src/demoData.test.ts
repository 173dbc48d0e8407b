import { validateUsageRecords } from '@aiplatform/plugin-ai-platform-node';
import { DEMO_PIPELINES, generateDemoSignals } from './demoSignals';
import { DEMO_USAGE_DAYS, generateDemoUsageDay } from './demoUsage';

const ANCHOR = Date.UTC(2026, 10, 22);

describe('demo signals', () => {
  const points = generateDemoSignals('kb-answers', ANCHOR);
  const series = (stage: string | null, signal: string) =>
    points
      .filter(p => (p.stage ?? null) === stage && p.signal === signal)
      .sort((a, b) => Number(a.timestamp) - Number(b.timestamp));

  it('is deterministic for an anchor, so a replay adds nothing', () => {
    expect(generateDemoSignals('kb-answers', ANCHOR)).toEqual(points);
  });

  it('tells the incident: ingestion lag 0.5 h → 12 h and accuracy 94% → 71%, availability green', () => {
    const lag = series('kb-sync', 'freshness');
    expect(lag[0].value).toBeLessThan(2_400);
    expect(lag[lag.length - 1].value).toBeGreaterThan(42_000);
    const accuracy = series(null, 'accuracy');
    expect(accuracy[0].value).toBeGreaterThan(0.92);
    expect(accuracy[accuracy.length - 1].value).toBeLessThan(0.73);
    expect(
      Math.min(...series('kb-sync', 'availability').map(p => p.value)),
    ).toBeGreaterThanOrEqual(0.99);
  });

  it('covers every demo pipeline', () => {
    for (const pipeline of DEMO_PIPELINES) {
      expect(generateDemoSignals(pipeline, ANCHOR).length).toBeGreaterThan(0);
    }
  });
});

describe('demo usage', () => {
  it('is valid input for POST /usage, with stable ids', () => {
    const day = generateDemoUsageDay(ANCHOR, 3);
    expect(validateUsageRecords(day)).toEqual({ records: day });
    expect(generateDemoUsageDay(ANCHOR, 3)).toEqual(day);
    expect(new Set(day.map(r => r.id)).size).toBe(day.length);
  });

  it('includes shadow AI and a model nobody can price, and agent assist grows', () => {
    const recent = generateDemoUsageDay(ANCHOR, 1);
    expect(recent.some(r => r.keyAlias === 'dave-personal-key')).toBe(true);
    expect(recent.some(r => r.team === 'growth-experiments')).toBe(true);
    expect(recent.some(r => r.tags?.includes('hackathon-bot'))).toBe(true);
    expect(recent.some(r => r.provider === 'hosted_vllm')).toBe(true);
    const agentCalls = (daysAgo: number) =>
      generateDemoUsageDay(ANCHOR, daysAgo).filter(
        r => r.entityRef === 'component:default/agent-assist',
      ).length;
    expect(agentCalls(1)).toBeGreaterThan(agentCalls(DEMO_USAGE_DAYS) * 3);
  });
});
