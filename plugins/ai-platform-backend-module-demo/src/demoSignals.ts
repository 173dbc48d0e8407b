import { seededRandom } from './random';
import { SignalName } from '@aiplatform/plugin-ai-platform-common';
import { SignalPointInput } from '@aiplatform/plugin-ai-platform-node';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** One demo point every 10 minutes. */
export const DEMO_STEP_MS = 10 * MINUTE;
export const DEMO_DAYS = 30;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
/** 0 before `start` days ago, rising linearly to 1 at `end` days ago. */
const ramp = (daysAgo: number, start: number, end: number) =>
  clamp01((start - daysAgo) / (start - end));

interface SeriesSpec {
  pipeline: string;
  stage?: string;
  signal: SignalName;
  /** Value at `daysAgo` before the anchor, given a noise source in [-1, 1]. */
  value: (daysAgo: number, noise: number) => number;
}

/**
 * The demo story. `kb-answers`: from 3 days ago the knowledge-base sync lags
 * (0.5 h → 12 h), the embedding cache goes stale, and end-to-end accuracy
 * falls from 94% to 71%, while every stage's availability stays green.
 * `support-answers` is fed by the same sync: its stage SLOs stay green and,
 * with no end-to-end SLO, nothing flags the same accuracy drop.
 * `product-search`, `ticket-triage-agent` and `fraud-scoring` are healthy.
 */
const SERIES: SeriesSpec[] = [
  // kb-answers: the incident
  {
    pipeline: 'kb-answers',
    stage: 'kb-sync',
    signal: 'freshness',
    value: (d, n) => 1800 + 300 * n + (43200 - 1800) * ramp(d, 3, 1.5),
  },
  {
    pipeline: 'kb-answers',
    stage: 'kb-sync',
    signal: 'availability',
    value: (_d, n) => 0.998 + 0.0015 * n,
  },
  {
    pipeline: 'kb-answers',
    stage: 'embeddings',
    signal: 'freshness',
    value: (d, n) => 3600 + 600 * n + (45000 - 3600) * ramp(d, 2.8, 1.3),
  },
  {
    pipeline: 'kb-answers',
    stage: 'embedding-cache',
    signal: 'freshness',
    value: (d, n) => 7200 + 900 * n + (108000 - 7200) * ramp(d, 2.5, 1),
  },
  {
    pipeline: 'kb-answers',
    stage: 'embedding-cache',
    signal: 'availability',
    value: (_d, n) => 0.999 + 0.0008 * n,
  },
  {
    pipeline: 'kb-answers',
    stage: 'retrieval',
    signal: 'latency',
    value: (_d, n) => 0.3 + 0.05 * n,
  },
  {
    pipeline: 'kb-answers',
    stage: 'retrieval',
    signal: 'availability',
    value: (_d, n) => 0.999 + 0.0008 * n,
  },
  {
    pipeline: 'kb-answers',
    stage: 'generation',
    signal: 'latency',
    value: (_d, n) => 1.2 + 0.2 * n,
  },
  {
    pipeline: 'kb-answers',
    stage: 'generation',
    signal: 'cost',
    value: (_d, n) => 0.5 + 0.1 * n,
  },
  {
    pipeline: 'kb-answers',
    signal: 'accuracy',
    value: (d, n) => 0.94 + 0.008 * n - 0.23 * ramp(d, 2.5, 1),
  },
  {
    pipeline: 'kb-answers',
    signal: 'quality',
    value: (d, n) => 0.9 + 0.01 * n - 0.15 * ramp(d, 2.5, 1),
  },
  // support-answers: same upstream, stage SLOs green, no end-to-end SLO
  {
    pipeline: 'support-answers',
    stage: 'ticket-ingest',
    signal: 'freshness',
    value: (_d, n) => 2400 + 400 * n,
  },
  {
    pipeline: 'support-answers',
    stage: 'ticket-ingest',
    signal: 'availability',
    value: (_d, n) => 0.998 + 0.0015 * n,
  },
  {
    pipeline: 'support-answers',
    stage: 'kb-ingest',
    signal: 'freshness',
    value: (d, n) => 1800 + 300 * n + (43200 - 1800) * ramp(d, 3, 1.5),
  },
  {
    pipeline: 'support-answers',
    stage: 'embeddings',
    signal: 'freshness',
    value: (d, n) => 3600 + 600 * n + (45000 - 3600) * ramp(d, 2.8, 1.3),
  },
  {
    pipeline: 'support-answers',
    stage: 'retrieval',
    signal: 'latency',
    value: (_d, n) => 0.32 + 0.05 * n,
  },
  {
    pipeline: 'support-answers',
    stage: 'gateway',
    signal: 'availability',
    value: (_d, n) => 0.9995 + 0.0004 * n,
  },
  {
    pipeline: 'support-answers',
    signal: 'accuracy',
    value: (d, n) => 0.93 + 0.008 * n - 0.22 * ramp(d, 2.5, 1),
  },
  // product-search: healthy
  {
    pipeline: 'product-search',
    stage: 'catalog-feed',
    signal: 'freshness',
    value: (_d, n) => 900 + 300 * n,
  },
  {
    pipeline: 'product-search',
    stage: 'product-embeddings',
    signal: 'freshness',
    value: (_d, n) => 1500 + 300 * n,
  },
  {
    pipeline: 'product-search',
    stage: 'search-serving',
    signal: 'latency',
    value: (_d, n) => 0.12 + 0.02 * n,
  },
  {
    pipeline: 'product-search',
    signal: 'quality',
    value: (_d, n) => 0.9 + 0.015 * n,
  },
  {
    pipeline: 'product-search',
    signal: 'freshness',
    value: (_d, n) => 1200 + 300 * n,
  },
  {
    pipeline: 'product-search',
    signal: 'cost',
    value: (_d, n) => 0.3 + 0.05 * n,
  },
  // ticket-triage-agent and fraud-scoring: healthy
  {
    pipeline: 'ticket-triage-agent',
    signal: 'accuracy',
    value: (_d, n) => 0.955 + 0.01 * n,
  },
  {
    pipeline: 'ticket-triage-agent',
    signal: 'latency',
    value: (_d, n) => 1.1 + 0.2 * n,
  },
  {
    pipeline: 'fraud-scoring',
    signal: 'accuracy',
    value: (_d, n) => 0.93 + 0.01 * n,
  },
  {
    pipeline: 'fraud-scoring',
    stage: 'transactions',
    signal: 'freshness',
    value: (_d, n) => 600 + 120 * n,
  },
];

/** The demo pipelines that get signals. */
export const DEMO_PIPELINES = [...new Set(SERIES.map(s => s.pipeline))];

/**
 * Points for one demo pipeline: every 10 minutes over the 30 days before
 * `anchor` (epoch ms, aligned to 10 minutes). Deterministic for an anchor.
 */
export function generateDemoSignals(
  pipeline: string,
  anchor: number,
): SignalPointInput[] {
  const points: SignalPointInput[] = [];
  SERIES.filter(s => s.pipeline === pipeline).forEach((series, index) => {
    const next = seededRandom(index * 7919 + pipeline.length);
    for (let ts = anchor - DEMO_DAYS * DAY; ts <= anchor; ts += DEMO_STEP_MS) {
      const daysAgo = (anchor - ts) / DAY;
      const value = series.value(daysAgo, next() * 2 - 1);
      points.push({
        pipeline: `aipipeline:default/${pipeline}`,
        stage: series.stage ?? null,
        signal: series.signal,
        value: Math.max(0, Number(value.toFixed(6))),
        timestamp: ts,
        source: 'demo',
      });
    }
  });
  return points;
}
