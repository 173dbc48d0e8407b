/*
 * Catalog benchmark: the AI Platform routes against the REAL catalog backend
 * (not catalogServiceMock), over HTTP, on SQLite and on PostgreSQL.
 *
 * Per size × database, in its own child process (so peak RSS is its own):
 * a real backend (backend-defaults) with the catalog backend, the AIPipeline
 * processor, the AI Platform backend, notifications and signals (see
 * lib/catalogBackend.ts) starts on a free port; an entity provider writes the
 * synthetic catalog (lib/syntheticCatalog.ts) in one full mutation; the
 * routes are asked once right after the backend started, the catalog API is
 * polled until every entity is stitched (and the processing and stitch queues
 * are empty), the routes are asked once more (first answer on the loaded
 * catalog), then measured warm.
 *
 *   yarn bench catalog
 *   BENCH_CATALOG_SIZES=1000 BENCH_CATALOG_DATABASES=sqlite yarn bench catalog
 *
 * Env: BENCH_CATALOG_SIZES (default 1000,10000), BENCH_CATALOG_DATABASES
 * (default sqlite,postgres), BENCH_ITERATIONS (20), BENCH_WARMUP (3),
 * BENCH_POSTGRES_URL (postgresql://postgres@127.0.0.1:5432),
 * BENCH_CATALOG_PROCESSING_INTERVAL_SECONDS (catalog.processingInterval;
 * unset: the catalog's default of 100-150 s), BENCH_CATALOG_LOAD_TIMEOUT_MINUTES
 * (60), BENCH_CATALOG_AI_PLATFORM_TASKS=1 (let the plugin's watchers run),
 * BENCH_CATALOG_KEEP=1 (keep the other scenarios of the previous results;
 * with BENCH_CATALOG_SIZES=none, only rewrite the table from them),
 * BENCH_CATALOG_NOTE (a note for the results, e.g. a size that did not finish).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Entity } from '@backstage/catalog-model';
import { Measurement, gcAvailable, measure, ms } from './lib/measure';
import { writeResults } from './lib/writeResults';
import { buildSyntheticCatalog } from './lib/syntheticCatalog';
import {
  BenchDatabase,
  CatalogBackend,
  PG_POOL_MAX,
  startCatalogBackend,
} from './lib/catalogBackend';

const SIZES = (process.env.BENCH_CATALOG_SIZES ?? '1000,10000')
  .split(',')
  .map(s => Number(s.trim()))
  .filter(n => Number.isFinite(n) && n > 0);
const DATABASES = (process.env.BENCH_CATALOG_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map(s => s.trim())
  .filter((s): s is BenchDatabase => s === 'sqlite' || s === 'postgres');
const ITERATIONS = Math.max(5, Number(process.env.BENCH_ITERATIONS ?? 20));
const WARMUP = Math.max(0, Number(process.env.BENCH_WARMUP ?? 3));
const PROCESSING_INTERVAL_S = process.env
  .BENCH_CATALOG_PROCESSING_INTERVAL_SECONDS
  ? Number(process.env.BENCH_CATALOG_PROCESSING_INTERVAL_SECONDS)
  : undefined;
const LOAD_TIMEOUT_MS =
  Number(process.env.BENCH_CATALOG_LOAD_TIMEOUT_MINUTES ?? 60) * 60_000;
const AI_PLATFORM_TASKS = process.env.BENCH_CATALOG_AI_PLATFORM_TASKS === '1';
const STAGES_OWNER = 'group:default/team-0-1';
const TARGET_P95_MS = 300;
const TARGET_FIRST_MS = 3000;
const RESULTS_DIR = path.resolve(__dirname, 'results');
const LOAD_BEFORE = os.loadavg()[0];

const ROUTES = [
  { id: 'pipelines', path: '/api/ai-platform/pipelines?limit=50' },
  { id: 'ownership', path: '/api/ai-platform/ownership/report?limit=50' },
  {
    id: 'stages',
    path: `/api/ai-platform/stages?owner=${encodeURIComponent(STAGES_OWNER)}`,
  },
] as const;
type RouteId = (typeof ROUTES)[number]['id'];

interface Answer {
  status: number;
  latencyMs: number;
  /** From backend.start() being called to the answer. */
  sinceStartMs: number;
  bytes: number;
  items?: number;
  totalItems?: number;
  error?: string;
}

interface ProgressSample {
  atMs: number;
  total: number;
  aipipelines: number;
  components: number;
  unprocessed?: number;
  stitchQueue?: number;
  /** CPU of this process (backend, catalog processing) since the last sample, % of one core. */
  processCpuPercent?: number;
}

interface ScenarioResult {
  id: string;
  /** When the scenario ran, and the 1-minute load average before and after. */
  date: string;
  loadAverage: { before: number; after: number };
  /** Anything about this run the figures do not say. */
  note?: string;
  /** HEAD and the uncommitted files under plugins/ when the scenario started. */
  git?: ReturnType<typeof gitState>;
  database: BenchDatabase;
  pipelines: number;
  entities: Record<string, number>;
  rejectedByValidation: number;
  phasesMs: {
    buildCatalog: number;
    /** backend.start() call to resolve (migrations, plugin inits, listen). */
    backendStart: number;
    /** backend.start() call to the provider's full mutation written. */
    mutationWritten: number;
    /** backend.start() call to every entity visible in the catalog API. */
    allEntitiesVisible: number;
    /** backend.start() call to no unprocessed entity and an empty stitch queue. */
    settled: number;
  };
  firstAfterStart: Record<RouteId, Answer>;
  firstAfterLoad: Record<RouteId, Answer>;
  warm: Record<RouteId, Measurement>;
  /**
   * Per route, over its warm-up and timed runs: answers other than 200 (with
   * the first error), and the CPU the whole process (backend and catalog
   * processing included) used, in % of one core.
   */
  warmRuns?: Record<
    RouteId,
    { non200: number; firstError?: string; processCpuPercent: number }
  >;
  /** The catalog's queues after the warm runs (still 0: nothing new to stitch). */
  queuesAfterWarm?: { unprocessed: number; stitchQueue: number };
  peakRssMb: number;
  progress: ProgressSample[];
  config: Record<string, unknown>;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The synthetic catalog as a provider emits it: without the pre-stitched
 * relations, and without the Components that have no owner (the catalog's
 * Component schema requires spec.owner, so the real catalog rejects them;
 * their stages point at a missing entity instead).
 */
function providerEntities(pipelines: number) {
  const { entities } = buildSyntheticCatalog({ pipelines });
  const accepted: Entity[] = [];
  let rejected = 0;
  for (const entity of entities) {
    if (entity.kind === 'Component' && !(entity.spec as any)?.owner) {
      rejected += 1;
      continue;
    }
    const { relations: _relations, ...raw } = entity;
    accepted.push(raw);
  }
  const counts: Record<string, number> = { total: accepted.length };
  for (const e of accepted) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return { entities: accepted, counts, rejected };
}

async function ask(
  backend: CatalogBackend,
  route: string,
  full = true,
): Promise<Omit<Answer, 'sinceStartMs'> & { body?: any }> {
  const start = performance.now();
  try {
    const res = await fetch(`${backend.baseUrl}${route}`, {
      headers: { authorization: backend.userHeader },
    });
    const text = await res.text();
    const latencyMs = performance.now() - start;
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return {
      status: res.status,
      latencyMs,
      bytes: text.length,
      items: Array.isArray(body?.items) ? body.items.length : undefined,
      totalItems:
        typeof body?.totalItems === 'number' ? body.totalItems : undefined,
      ...(res.status >= 400 ? { error: text.slice(0, 300) } : {}),
      ...(full ? {} : { body }),
    };
  } catch (error) {
    return {
      status: 0,
      latencyMs: performance.now() - start,
      bytes: 0,
      error: String(error),
    };
  }
}

async function firstAnswers(backend: CatalogBackend) {
  const out = {} as Record<RouteId, Answer>;
  for (const route of ROUTES) {
    const answer = await ask(backend, route.path);
    out[route.id] = {
      ...answer,
      latencyMs: round(answer.latencyMs),
      sinceStartMs: round(performance.now() - backend.startCalledAt),
    };
    process.stderr.write(
      `  ${route.id}: ${answer.status} in ${ms(answer.latencyMs)} (${
        answer.totalItems ?? answer.items ?? '?'
      } items)${answer.error ? ` ${answer.error}` : ''}\n`,
    );
  }
  return out;
}

async function catalogCount(backend: CatalogBackend, kind?: string) {
  const filter = kind ? `&filter=kind=${kind}` : '';
  const res = await fetch(
    `${backend.baseUrl}/api/catalog/entities/by-query?limit=1${filter}`,
    { headers: { authorization: backend.userHeader } },
  );
  if (!res.ok) throw new Error(`catalog count: ${res.status}`);
  const body = (await res.json()) as { totalItems: number };
  return body.totalItems;
}

/** Rows still to process, and entities waiting to be stitched. */
async function queues(backend: CatalogBackend) {
  const db = await backend.catalogDb();
  const [{ n: unprocessed }] = await db('refresh_state')
    .whereNull('processed_entity')
    .count({ n: '*' });
  const [{ n: stitchQueue }] = await db('stitch_queue').count({ n: '*' });
  return { unprocessed: Number(unprocessed), stitchQueue: Number(stitchQueue) };
}

async function waitForCatalog(
  backend: CatalogBackend,
  expected: Record<string, number>,
) {
  const progress: ProgressSample[] = [];
  let allVisibleAt: number | undefined;
  let lastLog = 0;
  let lastCount = -Infinity;
  let cpuMark = { cpu: process.cpuUsage(), at: performance.now() };
  let counts = { total: 0, aipipelines: 0, components: 0 };
  for (;;) {
    const now = performance.now();
    if (now - backend.startCalledAt > LOAD_TIMEOUT_MS) {
      throw new Error(
        `Catalog not loaded after ${
          LOAD_TIMEOUT_MS / 60_000
        } min: ${JSON.stringify(
          progress[progress.length - 1],
        )}, expected ${JSON.stringify(expected)}`,
      );
    }
    // Every 5 s while loading (on SQLite these reads share the database file
    // with the catalog's writers, so they are kept rare), every 250 ms once
    // every entity is visible; the catalog API's counts every 5 s, or once
    // the queues are empty.
    const q = await queues(backend).catch(() => undefined);
    const drained =
      q !== undefined && q.unprocessed === 0 && q.stitchQueue === 0;
    if (drained || now - lastCount > 5_000) {
      lastCount = now;
      const [total, aipipelines, components] = await Promise.all([
        catalogCount(backend),
        catalogCount(backend, 'aipipeline'),
        catalogCount(backend, 'component'),
      ]);
      counts = { total, aipipelines, components };
    }
    const sample: ProgressSample = {
      atMs: round(performance.now() - backend.startCalledAt),
      ...counts,
      ...q,
    };
    const visible =
      counts.total >= expected.total &&
      counts.aipipelines >= (expected.AIPipeline ?? 0) &&
      counts.components >= (expected.Component ?? 0);
    if (visible && allVisibleAt === undefined) allVisibleAt = sample.atMs;
    if (now - lastLog > 15_000 || (visible && drained)) {
      const cpu = process.cpuUsage(cpuMark.cpu);
      sample.processCpuPercent = round(
        ((cpu.user + cpu.system) / 1000 / (performance.now() - cpuMark.at)) *
          100,
      );
      cpuMark = { cpu: process.cpuUsage(), at: performance.now() };
      progress.push(sample);
      lastLog = now;
      process.stderr.write(
        `  t=${(sample.atMs / 1000).toFixed(0)} s: ${counts.total}/${
          expected.total
        } entities (${counts.aipipelines} AIPipeline, ${
          counts.components
        } Component), unprocessed ${q?.unprocessed ?? '?'}, stitch queue ${
          q?.stitchQueue ?? '?'
        }, process CPU ${sample.processCpuPercent}%\n`,
      );
    }
    if (visible && drained) {
      return { progress, allVisibleAt: allVisibleAt!, settledAt: sample.atMs };
    }
    await new Promise(resolve => setTimeout(resolve, visible ? 250 : 5000));
  }
}

async function runScenario(database: BenchDatabase, pipelines: number) {
  const id = `${database}-${pipelines}`;
  const date = new Date().toISOString();
  const git = gitState();
  const buildStart = performance.now();
  const { entities, counts, rejected } = providerEntities(pipelines);
  const buildCatalog = performance.now() - buildStart;
  process.stderr.write(
    `catalog ${id}: ${
      counts.total
    } entities (${rejected} ownerless Components left out), built in ${ms(
      buildCatalog,
    )}; starting the backend...\n`,
  );

  const catalogConfig =
    PROCESSING_INTERVAL_S !== undefined
      ? { processingInterval: { seconds: PROCESSING_INTERVAL_S } }
      : {};
  const backend = await startCatalogBackend({
    database,
    entities,
    postgresUrl: process.env.BENCH_POSTGRES_URL,
    catalogConfig,
    aiPlatformTasks: AI_PLATFORM_TASKS,
  });
  try {
    const backendStart = backend.startedAt - backend.startCalledAt;
    process.stderr.write(
      `  backend started in ${ms(backendStart)}; first answers:\n`,
    );
    const firstAfterStart = await firstAnswers(backend);

    const load = await waitForCatalog(backend, counts);
    const mutationWritten =
      (await backend.mutationApplied) - backend.startCalledAt;
    process.stderr.write(
      `  loaded: provider mutation written at ${ms(
        mutationWritten,
      )}, all visible at ${ms(load.allVisibleAt)}, settled at ${ms(
        load.settledAt,
      )}; first answers on the loaded catalog:\n`,
    );
    const firstAfterLoad = await firstAnswers(backend);

    const warm = {} as Record<RouteId, Measurement>;
    const warmRuns = {} as NonNullable<ScenarioResult['warmRuns']>;
    for (const route of ROUTES) {
      let non200 = 0;
      let firstError: string | undefined;
      const cpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      warm[route.id] = await measure(
        async () => {
          const answer = await ask(backend, route.path);
          if (answer.status !== 200) {
            non200 += 1;
            firstError ??= `${answer.status} ${answer.error ?? ''}`.trim();
          }
          return {
            extra: {
              status: answer.status,
              bytes: answer.bytes,
              items: answer.items ?? 0,
            },
          };
        },
        { iterations: ITERATIONS, warmup: WARMUP },
      );
      const cpu = process.cpuUsage(cpuBefore);
      warmRuns[route.id] = {
        non200,
        ...(firstError ? { firstError } : {}),
        processCpuPercent: round(
          ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) *
            100,
        ),
      };
      process.stderr.write(
        `  ${route.id} warm: median ${ms(warm[route.id].medianMs)}, p95 ${ms(
          warm[route.id].p95Ms,
        )}, process CPU ${warmRuns[route.id].processCpuPercent}%${
          non200 ? `, ${non200} non-200 answers: ${firstError}` : ''
        }\n`,
      );
    }
    const queuesAfterWarm = await queues(backend).catch(() => undefined);

    const result: ScenarioResult = {
      id,
      date,
      loadAverage: { before: LOAD_BEFORE, after: os.loadavg()[0] },
      git,
      database,
      pipelines,
      entities: counts,
      rejectedByValidation: rejected,
      phasesMs: {
        buildCatalog: round(buildCatalog),
        backendStart: round(backendStart),
        mutationWritten: round(mutationWritten),
        allEntitiesVisible: load.allVisibleAt,
        settled: load.settledAt,
      },
      firstAfterStart,
      firstAfterLoad,
      warm,
      warmRuns,
      queuesAfterWarm,
      peakRssMb: round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      progress: load.progress,
      config: {
        ...catalogConfig,
        aiPlatformTasks: AI_PLATFORM_TASKS,
        ...(database === 'postgres' ? { pgPoolMaxPerPlugin: PG_POOL_MAX } : {}),
        iterations: ITERATIONS,
        warmup: WARMUP,
      },
    };
    fs.writeFileSync(process.env.BENCH_OUT!, JSON.stringify(result));
  } finally {
    await backend.stop();
  }
}

function gitState() {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: path.resolve(__dirname, '..') })
      .stdout?.toString()
      .trim() ?? '';
  return {
    // BENCH_GIT_HEAD: the commit when run from an export of it (git archive).
    head: process.env.BENCH_GIT_HEAD ?? git('rev-parse', 'HEAD'),
    uncommittedUnderPlugins: git('status', '--porcelain', '--', 'plugins')
      .split('\n')
      .filter(Boolean),
  };
}

const s = (n: number) => `${(n / 1000).toFixed(1)} s`;

function toMarkdown(results: ScenarioResult[], meta: Record<string, any>) {
  const lines = [
    '# Catalog benchmark (real catalog backend, over HTTP)',
    '',
    `Written ${meta.date} · Node ${meta.node} · ${meta.cpu} (${
      meta.cpus
    } CPUs) · ${meta.platform} · load average ${meta.loadAverage.before.toFixed(
      1,
    )} before, ${meta.loadAverage.after.toFixed(
      1,
    )} after (each scenario's own date and load are in the loading table)`,
    '',
    'A real backend (backend-defaults: HTTP server, database, discovery, scheduler; permissions disabled, so allow-all; mock auth with a user token) ' +
      'with the real catalog backend and the AIPipeline processor, the AI Platform backend, and the notifications and signals backends. ' +
      'The synthetic catalog is written by an entity provider in one full mutation; the routes are called over HTTP. ' +
      `Stages route: \`/stages?owner=${STAGES_OWNER}\`. ` +
      `${
        meta.aiPlatformTasks
          ? "The AI Platform plugin's scheduled tasks run as configured."
          : "The AI Platform plugin's scheduled tasks (watchers, halt enforcement) do not run on their own, except the catalog view's refresh (every 30 s, as in the plugin); all other plugins have the real scheduler."
      } ` +
      'catalog.processingInterval: the catalog default (100–150 s) unless the table says otherwise.',
    '',
    `Code: ${meta.git.head.slice(0, 12)}${
      meta.git.uncommittedUnderPlugins.length
        ? ` plus uncommitted changes under plugins/ (${meta.git.uncommittedUnderPlugins.length} files, listed in catalog.json)`
        : ''
    }.`,
    '',
    ...(meta.note ? [`**Note:** ${meta.note}`, ''] : []),
    '## Loading',
    '',
    '| Database | Pipelines | Entities | Backend start | Mutation written | All entities visible | Settled (queues empty) | Peak RSS | processingInterval | Ran at (load avg before/after) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...results.map(
      r =>
        `| ${r.database} | ${r.pipelines.toLocaleString(
          'en-US',
        )} | ${r.entities.total.toLocaleString('en-US')} | ${s(
          r.phasesMs.backendStart,
        )} | ${s(r.phasesMs.mutationWritten)} | ${s(
          r.phasesMs.allEntitiesVisible,
        )} | ${s(r.phasesMs.settled)} | ${r.peakRssMb} MB | ${
          (r.config.processingInterval as { seconds?: number } | undefined)
            ?.seconds !== undefined
            ? `${
                (r.config.processingInterval as { seconds: number }).seconds
              } s`
            : 'default'
        } | ${r.date.slice(0, 16).replace('T', ' ')} (${(
          r.loadAverage?.before ?? NaN
        ).toFixed(1)}/${(r.loadAverage?.after ?? NaN).toFixed(1)}) |`,
    ),
    '',
    'Times are from `backend.start()` being called.',
    ...results
      .filter(r => r.note)
      .map(r => `\n- ${r.database} ${r.pipelines}: ${r.note}`),
    '',
    '## Routes',
    '',
    `Target: p95 < ${TARGET_P95_MS} ms and first answer < ${
      TARGET_FIRST_MS / 1000
    } s.`,
    '',
    '| Database | Pipelines | Route | First after start: latency (status, items) | First on loaded catalog: latency | …since start | Median | p95 | Max | Non-200 (of warm-up + runs) | Process CPU during runs | Target |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of results) {
    for (const route of ROUTES) {
      const a = r.firstAfterStart[route.id];
      const b = r.firstAfterLoad[route.id];
      const w = r.warm[route.id];
      const met = w.p95Ms < TARGET_P95_MS && b.latencyMs < TARGET_FIRST_MS;
      lines.push(
        `| ${r.database} | ${r.pipelines.toLocaleString('en-US')} | \`${
          route.path
        }\` | ${ms(a.latencyMs)} (${a.status}, ${
          a.totalItems ?? a.items ?? '–'
        }) | ${ms(b.latencyMs)} | ${s(b.sinceStartMs)} | ${ms(
          w.medianMs,
        )} | ${ms(w.p95Ms)} | ${ms(w.maxMs)} | ${
          r.warmRuns?.[route.id]?.non200 ?? '–'
        } | ${
          r.warmRuns ? `${r.warmRuns[route.id].processCpuPercent}%` : '–'
        } | ${met ? 'met' : 'NOT met'} |`,
      );
    }
  }
  lines.push(
    '',
    `Warm figures: ${
      results[0]?.warm.pipelines.warmup ?? WARMUP
    } warm-up runs, then ${
      results[0]?.warm.pipelines.iterations ?? ITERATIONS
    } timed runs, one at a time, a full GC of the benchmark process before each (the backend is in the same process). ` +
      'p95 by nearest rank. "First after start" is asked right after `backend.start()` resolved, while the catalog is still loading ' +
      '(its items show what the catalog held then); "first on loaded catalog" is the first call after every entity was stitched. ' +
      'Each size × database runs in its own process; peak RSS includes the backend, the catalog processing and the synthetic catalog.',
    '',
  );
  return lines.join('\n');
}

async function main() {
  const results: ScenarioResult[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-bench-out-'));
  const failures: string[] = [];
  try {
    for (const pipelines of SIZES) {
      for (const database of DATABASES) {
        const id = `${database}-${pipelines}`;
        const out = path.join(tmp, `${id}.json`);
        const start = Date.now();
        const child = spawnSync(
          process.execPath,
          [...process.execArgv, __filename],
          {
            env: {
              ...process.env,
              BENCH_SCENARIO: id,
              BENCH_DATABASE: database,
              BENCH_SIZE: String(pipelines),
              BENCH_OUT: out,
            },
            stdio: 'inherit',
          },
        );
        process.stderr.write(
          `catalog ${id}: ${child.status === 0 ? 'done' : 'FAILED'} in ${(
            (Date.now() - start) /
            1000
          ).toFixed(0)} s\n`,
        );
        if (child.status !== 0) {
          failures.push(id);
          continue;
        }
        results.push(JSON.parse(fs.readFileSync(out, 'utf8')));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (!results.length && SIZES.length) {
    throw new Error(`Every scenario failed: ${failures}`);
  }
  // BENCH_CATALOG_KEEP=1: keep the previous file's other scenarios (each
  // carries its own date), e.g. to add a size run on its own.
  const previous = path.join(RESULTS_DIR, 'catalog.json');
  if (process.env.BENCH_CATALOG_KEEP === '1' && fs.existsSync(previous)) {
    const before = JSON.parse(fs.readFileSync(previous, 'utf8'));
    const kept = (before.scenarios as ScenarioResult[])
      .filter(old => !results.some(r => r.id === old.id))
      // Files written before scenarios carried their own date: the file's.
      .map(old => ({
        ...old,
        date: old.date ?? before.date,
        loadAverage: old.loadAverage ?? before.loadAverage,
      }));
    results.unshift(...kept);
  }
  if (!results.length) throw new Error('No scenario ran and none kept');
  results.sort(
    (a, b) => a.pipelines - b.pipelines || a.database.localeCompare(b.database),
  );

  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    loadAverage: { before: LOAD_BEFORE, after: os.loadavg()[0] },
    gc: gcAvailable(),
    sizes: SIZES,
    databases: DATABASES,
    processingIntervalSeconds: PROCESSING_INTERVAL_S,
    aiPlatformTasks: AI_PLATFORM_TASKS,
    target: { p95Ms: TARGET_P95_MS, firstAnswerMs: TARGET_FIRST_MS },
    failed: failures,
    /** BENCH_CATALOG_NOTE: what this file's figures do not say (e.g. a size that did not finish). */
    note: process.env.BENCH_CATALOG_NOTE,
    /** The code measured: HEAD, and files under plugins/ changed on top of it when the run ended. */
    git: gitState(),
  };
  const json = { benchmark: 'catalog', ...meta, scenarios: results };
  const written = writeResults(
    RESULTS_DIR,
    'catalog',
    json,
    toMarkdown(results, meta),
  );
  process.stdout.write(`${written.markdown}\n`);
  process.stdout.write(
    `Wrote ${path.relative(
      process.cwd(),
      written.jsonFile,
    )} and ${path.relative(process.cwd(), written.markdownFile)}\n`,
  );
  if (failures.length) {
    throw new Error(`Failed scenarios: ${failures.join(', ')}`);
  }
}

(process.env.BENCH_SCENARIO
  ? runScenario(
      process.env.BENCH_DATABASE as BenchDatabase,
      Number(process.env.BENCH_SIZE),
    )
  : main()
)
  .then(() => {
    // The backend's handles (pools, timers) may outlive stop().
    if (process.env.BENCH_SCENARIO) process.exit(process.exitCode ?? 0);
  })
  .catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
