/*
 * Load for concurrency tests: pools of usage records and signal points cut
 * into overlapping, shuffled batches, what the stores must end up holding,
 * and a runner that keeps N clients busy.
 */
import { UsageRecordInput } from '@aiplatform/plugin-ai-platform-node';
import { DAY, HOUR, seededRandom } from './usageFixtures';

/** A `POST /signals` point. */
export interface SignalInput {
  pipeline: string;
  stage?: string;
  signal: 'latency' | 'accuracy';
  value: number;
  timestamp: number;
  source: string;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Cuts `items` into `batches` batches that together hold every item: item i
 * goes to batch i mod `batches`, and each batch also takes `extra` items
 * drawn from the whole pool (records other batches carry too), the whole
 * batch shuffled, so concurrent batches overlap in different orders.
 */
export function overlappingBatches<T>(
  items: T[],
  options: { batches: number; extra: number; seed: number },
): T[][] {
  const random = seededRandom(options.seed);
  const batches: T[][] = Array.from({ length: options.batches }, () => []);
  items.forEach((item, i) => batches[i % options.batches].push(item));
  for (const batch of batches) {
    for (let k = 0; k < options.extra; k++) {
      batch.push(items[Math.floor(random() * items.length)]);
    }
    shuffle(batch, random);
  }
  return batches;
}

/** Entities of `spendOrgFixture` that usage names. */
const USAGE_ENTITIES = [
  'component:default/answers',
  'component:default/embedder',
  'component:default/platform-gw',
  'component:default/storefront',
  'component:default/crm-bot',
];
const USAGE_MODELS = [
  ['gpt-4o', 'openai'],
  ['claude-sonnet-4', 'anthropic'],
  ['gemini-2.5-flash', 'google'],
] as const;

/**
 * `count` distinct, valid usage records in the 30 hours before `now`, each
 * naming a catalog entity. Costs are multiples of 1/64 USD, so any sum of
 * them is exact in floating point whatever the order of addition, and in
 * the 6 decimals /spend rounds to.
 */
export function usagePool(
  count: number,
  now: number,
  seed: number,
): UsageRecordInput[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const [model, provider] = USAGE_MODELS[i % USAGE_MODELS.length];
    return {
      id: `replica-load-${seed}-${i}`,
      timestamp: new Date(
        now - HOUR - Math.floor(random() * 29 * HOUR),
      ).toISOString(),
      entityRef: USAGE_ENTITIES[Math.floor(random() * USAGE_ENTITIES.length)],
      model,
      provider,
      inputTokens: 1 + Math.floor(random() * 2000),
      outputTokens: 1 + Math.floor(random() * 500),
      costUsd: (1 + Math.floor(random() * 128)) / 64,
      durationMs: 100 + Math.floor(random() * 2000),
      status: 'success',
    };
  });
}

export interface SpendTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** What `/spend?groupBy=model` must report for the records, per model. */
export function spendByModel(
  records: UsageRecordInput[],
): Map<string, SpendTotals> {
  const byModel = new Map<string, SpendTotals>();
  for (const r of records) {
    const t = byModel.get(r.model) ?? {
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    };
    t.requests += 1;
    t.inputTokens += r.inputTokens;
    t.outputTokens += r.outputTokens;
    t.costUsd += r.costUsd ?? 0;
    byModel.set(r.model, t);
  }
  return byModel;
}

/**
 * Signal points of `pipeline`: for each stage (and the pipeline itself,
 * stage absent) and each of latency and accuracy, `perSeries` points 45 s
 * apart over the UTC midnight that began yesterday, so the series share
 * hourly buckets on both sides of a day boundary. Values are multiples of
 * 1/8 (latency, seconds) and 1/256 (accuracy): exact sums in any order.
 */
export function signalPool(options: {
  pipeline: string;
  stages: string[];
  perSeries: number;
  now: number;
  seed: number;
}): SignalInput[] {
  const random = seededRandom(options.seed);
  const midnight = Math.floor(options.now / DAY) * DAY - DAY;
  const start = midnight - Math.floor((options.perSeries * 45_000) / 2);
  const points: SignalInput[] = [];
  for (const stage of [...options.stages, undefined]) {
    for (const signal of ['latency', 'accuracy'] as const) {
      for (let j = 0; j < options.perSeries; j++) {
        points.push({
          pipeline: options.pipeline,
          ...(stage ? { stage } : {}),
          signal,
          value:
            signal === 'latency'
              ? Math.floor(random() * 80) / 8
              : Math.floor(random() * 257) / 256,
          timestamp: start + j * 45_000,
          source: 'replica-load',
        });
      }
    }
  }
  return points;
}

/**
 * Batches that share buckets but no points: each series of `points` cut
 * into `parts` batches of every `parts`-th point (so each batch spans every
 * hour of its series), in time order as a collector sends them.
 */
export function interleavedSeriesBatches(
  points: SignalInput[],
  parts: number,
): SignalInput[][] {
  const bySeries = new Map<string, SignalInput[]>();
  for (const p of points) {
    const key = `${p.stage ?? ''}|${p.signal}`;
    const series = bySeries.get(key) ?? [];
    series.push(p);
    bySeries.set(key, series);
  }
  const batches: SignalInput[][] = [];
  for (const series of bySeries.values()) {
    series.sort((a, b) => a.timestamp - b.timestamp);
    for (let part = 0; part < parts; part++) {
      batches.push(series.filter((_, j) => j % parts === part));
    }
  }
  return batches;
}

export interface BucketTotals {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * What the rollups must hold for the points: `stage|signal|resolution|bucket`
 * (stage empty for pipeline-level points, bucket in epoch ms) to totals.
 */
export function expectedRollups(
  points: SignalInput[],
): Map<string, BucketTotals> {
  const buckets = new Map<string, BucketTotals>();
  for (const p of points) {
    for (const [resolution, size] of [
      ['hour', HOUR],
      ['day', DAY],
    ] as const) {
      const bucket = Math.floor(p.timestamp / size) * size;
      const key = `${p.stage ?? ''}|${p.signal}|${resolution}|${bucket}`;
      const b = buckets.get(key);
      if (!b) {
        buckets.set(key, {
          count: 1,
          sum: p.value,
          min: p.value,
          max: p.value,
        });
      } else {
        b.count += 1;
        b.sum += p.value;
        b.min = Math.min(b.min, p.value);
        b.max = Math.max(b.max, p.value);
      }
    }
  }
  return buckets;
}

/** Runs the tasks on `clients` concurrent workers; results in task order. */
export async function runConcurrently<T>(
  clients: number,
  tasks: Array<() => Promise<T>>,
): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}
