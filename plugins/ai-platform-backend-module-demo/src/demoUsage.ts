import { seededRandom } from './random';
import { UsageRecordInput } from '@aiplatform/plugin-ai-platform-node';

const DAY = 86_400_000;
export const DEMO_USAGE_DAYS = 90;

interface UsageSource {
  /** How the gateway names the caller. */
  caller: Pick<UsageRecordInput, 'entityRef' | 'team' | 'keyAlias' | 'tags'>;
  model: string;
  provider: string;
  /** Calls a day, `daysAgo` days before the anchor. */
  callsPerDay: (daysAgo: number) => number;
  inputTokens: number;
  outputTokens: number;
}

const svc = (name: string) => ({ entityRef: `component:default/${name}` });

/**
 * The demo gateway traffic: services of several teams on several models,
 * support-eng's agent assist growing fast (over its budget this month), a
 * self-hosted model nobody can price, and shadow AI: a personal key, a team
 * id that is not in the catalog, a hackathon bot tag.
 */
const SOURCES: UsageSource[] = [
  {
    caller: svc('answer-generator'),
    model: 'gpt-4o',
    provider: 'openai',
    callsPerDay: () => 140,
    inputTokens: 12_000,
    outputTokens: 600,
  },
  {
    caller: svc('answer-generator'),
    model: 'gpt-4o-mini',
    provider: 'openai',
    callsPerDay: () => 400,
    inputTokens: 6_000,
    outputTokens: 400,
  },
  {
    caller: svc('support-embedder'),
    model: 'text-embedding-3-small',
    provider: 'openai',
    callsPerDay: () => 300,
    inputTokens: 50_000,
    outputTokens: 0,
  },
  {
    caller: svc('support-retriever'),
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    callsPerDay: () => 30,
    inputTokens: 8_000,
    outputTokens: 500,
  },
  {
    caller: svc('agent-assist'),
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    callsPerDay: d => Math.round(40 + (90 - d) * 2.2),
    inputTokens: 9_000,
    outputTokens: 900,
  },
  {
    caller: svc('search-api'),
    model: 'gemini-2.5-flash',
    provider: 'google',
    callsPerDay: () => 600,
    inputTokens: 3_000,
    outputTokens: 300,
  },
  {
    caller: svc('product-embedder'),
    model: 'text-embedding-3-small',
    provider: 'openai',
    callsPerDay: () => 200,
    inputTokens: 40_000,
    outputTokens: 0,
  },
  {
    caller: svc('ticket-ingest'),
    model: 'gpt-4o-mini',
    provider: 'openai',
    callsPerDay: () => 120,
    inputTokens: 4_000,
    outputTokens: 300,
  },
  {
    caller: svc('fraud-model'),
    model: 'llama-3.1-8b-instruct',
    provider: 'hosted_vllm',
    callsPerDay: () => 200,
    inputTokens: 1_500,
    outputTokens: 50,
  },
  // shadow AI
  {
    caller: { keyAlias: 'dave-personal-key' },
    model: 'gpt-4o',
    provider: 'openai',
    callsPerDay: d => (d < 40 ? 35 : 0),
    inputTokens: 6_000,
    outputTokens: 800,
  },
  {
    caller: { team: 'growth-experiments' },
    model: 'claude-sonnet-4',
    provider: 'anthropic',
    callsPerDay: () => 25,
    inputTokens: 5_000,
    outputTokens: 700,
  },
  {
    caller: { tags: ['hackathon-bot'] },
    model: 'gemini-2.5-flash',
    provider: 'google',
    callsPerDay: d => (d < 10 ? 150 : 0),
    inputTokens: 2_000,
    outputTokens: 400,
  },
];

/**
 * Gateway records for one demo day, `daysAgo` days before `anchor` (epoch
 * ms at a UTC midnight). Deterministic: replaying a day yields the same ids.
 */
export function generateDemoUsageDay(
  anchor: number,
  daysAgo: number,
): UsageRecordInput[] {
  const dayStart = anchor - daysAgo * DAY;
  const next = seededRandom(daysAgo * 104_729 + 17);
  const records: UsageRecordInput[] = [];
  SOURCES.forEach((source, s) => {
    const calls = source.callsPerDay(daysAgo);
    for (let i = 0; i < calls; i++) {
      const jitter = 0.6 + next() * 0.8;
      records.push({
        id: `demo-${daysAgo}-${s}-${i}`,
        timestamp: new Date(dayStart + Math.floor(next() * DAY)).toISOString(),
        ...source.caller,
        model: source.model,
        provider: source.provider,
        inputTokens: Math.round(source.inputTokens * jitter),
        outputTokens: Math.round(source.outputTokens * jitter),
        durationMs: Math.round(400 + next() * 2000),
        status: next() < 0.995 ? 'success' : 'failure',
      });
    }
  });
  return records;
}
