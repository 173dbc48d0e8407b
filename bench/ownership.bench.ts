/*
 * Ownership benchmark: the pure part of the ownership report over a
 * synthetic catalog of 10,000 AIPipelines × 6 stages, the validation of
 * every pipeline, and the ownership graph of one 200-stage pipeline. The
 * routes end to end, against the real catalog backend, are in
 * catalog.bench.ts (an end-to-end figure over catalogServiceMock measured
 * the mock, so it is gone).
 *
 * Each scenario runs in its own child process, so that its peak RSS is its
 * own. Writes bench/results/ownership.{json,md} and prints the table.
 *
 *   yarn bench ownership
 *   BENCH_PIPELINES=2000 BENCH_ITERATIONS=5 yarn bench ownership   (quicker)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Entity } from '@backstage/catalog-model';
import {
  layoutDag,
  validateAIPipelineEntity,
} from '@aiplatform/plugin-ai-platform-common';
import {
  analyzePipeline,
  buildCatalogIndex,
  buildOwnershipReport,
  normalizeRef,
} from '@aiplatform/plugin-ai-platform-node';
import { Measurement, gcAvailable, measure, ms } from './lib/measure';
import { writeResults } from './lib/writeResults';
import {
  buildLargePipeline,
  buildSyntheticCatalog,
} from './lib/syntheticCatalog';

const PIPELINES = Number(process.env.BENCH_PIPELINES ?? 10_000);
const ITERATIONS = Math.max(5, Number(process.env.BENCH_ITERATIONS ?? 7));
const GRAPH_STAGES = 200;
const REPORT_TARGET_MS = 2000;
const NOW = Date.UTC(2025, 0, 1);
const RESULTS_DIR = path.resolve(__dirname, 'results');
const LOAD_BEFORE = os.loadavg()[0];

interface ScenarioResult extends Measurement {
  id: string;
  title: string;
  notes: string;
}

const scenarios: Record<
  string,
  { title: string; notes: string; run: () => Promise<Measurement> }
> = {
  'report-pure': {
    title: `Ownership report, pure part (${PIPELINES.toLocaleString(
      'en-US',
    )} pipelines)`,
    notes:
      'buildCatalogIndex(groups + users + stage entities) + analyzePipeline for every pipeline (no consumers, as the report) + buildOwnershipReport. ' +
      'No catalog, no validation.',
    async run() {
      const { pipelines, others } = buildSyntheticCatalog({
        pipelines: PIPELINES,
      });
      // What the service indexes: every Group and User, and the stage entities.
      const stageRefs = new Set<string>();
      for (const p of pipelines) {
        for (const s of p.spec.stages) {
          if (s.entityRef)
            stageRefs.add(
              normalizeRef(s.entityRef, { defaultKind: 'component' }),
            );
        }
      }
      const indexed: Entity[] = others.filter(
        e =>
          e.kind === 'Group' ||
          e.kind === 'User' ||
          stageRefs.has(
            `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
          ),
      );
      return measure(
        async () => {
          const catalog = buildCatalogIndex(indexed);
          const report = buildOwnershipReport(
            pipelines.map(p =>
              analyzePipeline(p, catalog, {
                includeConsumers: false,
                now: NOW,
              }),
            ),
          );
          return {
            keep: report,
            extra: {
              indexedEntities: indexed.length,
              items: report.items.length,
              findings: report.items.reduce((n, i) => n + i.findings.length, 0),
            },
          };
        },
        { iterations: ITERATIONS, warmup: 1 },
      );
    },
  },

  validate: {
    title: `Validation of every pipeline (${PIPELINES.toLocaleString(
      'en-US',
    )} pipelines)`,
    notes:
      'validateAIPipelineEntity (zod + rules) for every pipeline, as the service does on each read; part of the end-to-end figure.',
    async run() {
      const { pipelines } = buildSyntheticCatalog({ pipelines: PIPELINES });
      return measure(
        async () => {
          let valid = 0;
          for (const p of pipelines)
            if (validateAIPipelineEntity(p).valid) valid += 1;
          return { extra: { valid } };
        },
        { iterations: ITERATIONS, warmup: 1 },
      );
    },
  },

  'graph-200': {
    title: `Ownership graph of one ${GRAPH_STAGES}-stage pipeline`,
    notes:
      'analyzePipeline (with consumers) + layoutDag of its stages and edges, over a prebuilt catalog index. ' +
      '10 warm-up runs, then 200 timed runs without forced GC between them (millisecond-scale work).',
    async run() {
      const { pipeline, entities } = buildLargePipeline(GRAPH_STAGES);
      const catalog = buildCatalogIndex(entities);
      return measure(
        async () => {
          const start = performance.now();
          const graph = analyzePipeline(pipeline, catalog, { now: NOW });
          const analyzed = performance.now();
          const layout = layoutDag(
            graph.stages.map(s => s.name),
            graph.edges,
          );
          const laidOut = performance.now();
          return {
            keep: layout,
            extra: {
              analyzeMs: analyzed - start,
              layoutMs: laidOut - analyzed,
              stages: graph.stages.length,
              edges: graph.edges.length,
              findings: graph.findings.length,
              layers: layout.layers,
              width: layout.width,
            },
          };
        },
        { iterations: 200, warmup: 10, gcBetweenRuns: false },
      );
    },
  },
};

async function runScenario(id: string) {
  const scenario = scenarios[id];
  if (!scenario) throw new Error(`Unknown scenario ${id}`);
  const result: ScenarioResult = {
    id,
    title: scenario.title,
    notes: scenario.notes,
    ...(await scenario.run()),
  };
  fs.writeFileSync(process.env.BENCH_OUT!, JSON.stringify(result));
}

function toMarkdown(
  results: ScenarioResult[],
  meta: {
    date: string;
    node: string;
    cpu: string;
    cpus: number;
    platform: string;
    loadAverage: { before: number; after: number };
    gc: boolean;
    catalog: Record<string, number>;
  },
) {
  const lines = [
    '# Ownership benchmark',
    '',
    `${meta.date} · Node ${meta.node} · ${meta.cpu} (${meta.cpus} CPUs) · ${
      meta.platform
    } · load average ${meta.loadAverage.before.toFixed(
      1,
    )} before, ${meta.loadAverage.after.toFixed(1)} after`,
    '',
    `Synthetic catalog: ${Object.entries(meta.catalog)
      .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
      .join(', ')}.`,
    '',
    '| Scenario | Runs | Median | p95 | Min | Max | Peak RSS | Heap used (max after a run) | Heap baseline |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      r =>
        `| ${r.title} | ${r.iterations} | ${ms(r.medianMs)} | ${ms(
          r.p95Ms,
        )} | ${ms(r.minMs)} | ${ms(r.maxMs)} | ${r.peakRssMb} MB | ${
          r.heapUsedMaxMb
        } MB | ${r.heapBaselineMb} MB |`,
    ),
    '',
  ];
  lines.push('Per scenario (medians of the per-run figures):', '');
  for (const r of results) {
    lines.push(
      `- **${r.id}** — ${r.notes} ${Object.entries(r.extra)
        .map(([k, v]) => `${k}=${v.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
  }
  lines.push(
    '',
    'p95 is by nearest rank: with fewer than 20 runs it is the slowest run. ' +
      'Each scenario runs in its own process; peak RSS includes building the synthetic catalog (and, end to end, the mock catalog holding it). ' +
      `Heap figures ${
        meta.gc
          ? 'are taken with --expose-gc (a full GC before each timed run, except in graph-200)'
          : 'are without --expose-gc'
      }.`,
    '',
  );
  return lines.join('\n');
}

async function main() {
  const selected = Object.keys(scenarios).filter(
    id =>
      !process.env.BENCH_SCENARIOS ||
      process.env.BENCH_SCENARIOS.split(',').includes(id),
  );
  const results: ScenarioResult[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ownership-bench-'));
  try {
    for (const id of selected) {
      process.stderr.write(`ownership: running ${id}...\n`);
      const out = path.join(tmp, `${id}.json`);
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, __filename],
        {
          env: { ...process.env, BENCH_SCENARIO: id, BENCH_OUT: out },
          stdio: 'inherit',
        },
      );
      if (child.status !== 0) {
        throw new Error(
          `Scenario ${id} failed (exit ${child.status ?? child.signal})`,
        );
      }
      results.push(JSON.parse(fs.readFileSync(out, 'utf8')));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    /** 1-minute load average before and after: other work on the machine skews figures. */
    loadAverage: { before: LOAD_BEFORE, after: os.loadavg()[0] },
    gc: gcAvailable(),
    pipelines: PIPELINES,
    stagesPerPipeline: 6,
    catalog: buildSyntheticCatalog({ pipelines: PIPELINES }).counts,
    target: { reportMedianMs: REPORT_TARGET_MS },
  };
  const json = { benchmark: 'ownership', ...meta, scenarios: results };
  const markdown = toMarkdown(results, meta);

  const written = writeResults(RESULTS_DIR, 'ownership', json, markdown);
  process.stdout.write(`${written.json}\n${written.markdown}\n`);
  process.stdout.write(
    `Wrote ${path.relative(
      process.cwd(),
      written.jsonFile,
    )} and ${path.relative(process.cwd(), written.markdownFile)}\n`,
  );
}

(process.env.BENCH_SCENARIO
  ? runScenario(process.env.BENCH_SCENARIO)
  : main()
).catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
