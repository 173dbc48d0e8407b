/*
 * Timing and memory helpers for the benchmarks in bench/. No test framework:
 * a benchmark is a script that measures and writes results; it asserts
 * nothing about time.
 */
import { performance } from 'node:perf_hooks';

const MB = 1024 * 1024;

export interface Measurement {
  iterations: number;
  warmup: number;
  samplesMs: number[];
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
  /** Peak resident set size of the process so far (process.resourceUsage().maxRSS). */
  peakRssMb: number;
  /** Largest heapUsed seen right after an iteration, before any GC. */
  heapUsedMaxMb: number;
  /** heapUsed after a full GC before the first iteration (fixture and catalog live). */
  heapBaselineMb: number;
  /** Extra per-iteration figures reported by the measured function, by median. */
  extra: Record<string, number>;
}

/** Percentile by nearest rank (p95 of 5-19 samples is the slowest one). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (n: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

function collectGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export function gcAvailable(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

/**
 * Runs `fn` `warmup` times, then `iterations` times, timing each run. `fn`
 * may return numbers in `extra` (e.g. a breakdown); their medians are kept.
 * A full GC runs before each timed iteration (when --expose-gc, unless
 * `gcBetweenRuns: false`) so one iteration's garbage is not collected during
 * the next.
 */
export async function measure(
  fn: () => Promise<{ extra?: Record<string, number>; keep?: unknown } | void>,
  options: {
    iterations: number;
    warmup: number;
    /** Full GC before each timed run (default true; off for sub-ms work). */
    gcBetweenRuns?: boolean;
  },
): Promise<Measurement> {
  for (let i = 0; i < options.warmup; i++) await fn();
  collectGarbage();
  const heapBaseline = process.memoryUsage().heapUsed;

  const samples: number[] = [];
  const extras: Record<string, number[]> = {};
  let heapUsedMax = 0;
  for (let i = 0; i < options.iterations; i++) {
    if (options.gcBetweenRuns !== false) collectGarbage();
    const start = performance.now();
    const result = await fn();
    const elapsed = performance.now() - start;
    // Sampled while the result is still referenced.
    heapUsedMax = Math.max(heapUsedMax, process.memoryUsage().heapUsed);
    samples.push(elapsed);
    for (const [k, v] of Object.entries((result && result.extra) ?? {})) {
      (extras[k] ??= []).push(v);
    }
  }

  const sorted = [...samples].sort((a, b) => a - b);
  const extra: Record<string, number> = {};
  for (const [k, values] of Object.entries(extras)) {
    extra[k] = round(
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      ),
    );
  }
  return {
    iterations: options.iterations,
    warmup: options.warmup,
    samplesMs: samples.map(s => round(s, 3)),
    medianMs: round(percentile(sorted, 50), 3),
    p95Ms: round(percentile(sorted, 95), 3),
    minMs: round(sorted[0], 3),
    maxMs: round(sorted[sorted.length - 1], 3),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length, 3),
    peakRssMb: round((process.resourceUsage().maxRSS * 1024) / MB, 1),
    heapUsedMaxMb: round(heapUsedMax / MB, 1),
    heapBaselineMb: round(heapBaseline / MB, 1),
    extra,
  };
}

/** Milliseconds as a short human string. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n < 1) return `${n.toFixed(3)} ms`;
  if (n < 100) return `${n.toFixed(2)} ms`;
  return `${Math.round(n).toLocaleString('en-US')} ms`;
}
