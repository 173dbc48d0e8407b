/** Evaluates the PromQL `metrics` declared on AIPipelines; config in config.d.ts. */
import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { PipelineCatalog } from '../../shared/catalog/PipelineCatalog';
import {
  AIPipelineMetricQuery,
  SignalName,
} from '@aiplatform/plugin-ai-platform-common';
import { SignalPoint } from '@aiplatform/plugin-ai-platform-node';
import { SignalSink } from '../SignalStore';

/** The `source` of every point this collector writes. */
export const PROMETHEUS_SOURCE = 'prometheus';

/** Default schedule: every minute, with a timeout below the period. */
export const DEFAULT_PROMETHEUS_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 1 },
    timeout: { seconds: 50 },
  };

const MINUTE_MS = 60_000;
const DEFAULT_QUERY_TIMEOUT_MS = 15_000;
const DEFAULT_CONCURRENCY = 8;
const MAX_ERROR_BODY_CHARS = 300;

/** Outcome of one collection run. */
export interface PrometheusCollectResult {
  /** Queries evaluated (stage-level and pipeline-level). */
  queries: number;
  /** Points written to the sink. */
  points: number;
  /** Queries that failed (HTTP, network, PromQL or unsupported result). */
  errors: number;
}

/** Dependencies of {@link PrometheusCollector}. */
export interface PrometheusCollectorDeps {
  /** The catalog view of AI pipelines. */
  pipelines: PipelineCatalog;
  logger: LoggerService;
  sink: SignalSink;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

export interface PrometheusCollectorOptions extends PrometheusCollectorDeps {
  /** Prometheus server, without `/api/v1`, e.g. `http://prometheus:9090`. */
  baseUrl: string;
  /** Schedule the task should run on; {@link DEFAULT_PROMETHEUS_SCHEDULE} by default. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** Per-query HTTP timeout; 15 s by default. */
  queryTimeoutMs?: number;
  /** Queries in flight at once; 8 by default. */
  concurrency?: number;
}

/** One declared query of one pipeline (stage '' = pipeline level). */
interface QueryTask {
  pipeline: string;
  stage: string;
  signal: SignalName;
  query: string;
}

/** A finite sample as Prometheus returned it. */
interface Sample {
  /** Seconds since the epoch (may be fractional). */
  ts: number;
  value: number;
}

/** A failed query: Prometheus' (or the network's) own message. */
class PrometheusQueryError extends Error {}

/**
 * Evaluates the PromQL queries AIPipelines declare (`spec.metrics` and
 * `spec.stages[].metrics`) as instant queries and writes their values as
 * signal points.
 *
 * Choices:
 * - A `vector` result with several series becomes ONE point whose value is
 *   the mean of the series' finite values (declare an aggregation such as
 *   `max(...)` in the query when the mean is not what you want). An empty
 *   vector means "no data" and yields no point (not an error).
 * - A `scalar` result becomes one point. `matrix` and `string` results are
 *   errors (a range selector such as `x[5m]` must be wrapped in a function).
 * - NaN and ±Inf samples are skipped.
 * - The point's timestamp is the sample's, floored to the minute, so that
 *   re-running within the same minute writes the same keys (the sink is
 *   idempotent on pipeline, stage, signal, ts and source).
 */
export class PrometheusCollector {
  /**
   * Builds the collector from `aiPlatform.prometheus`; returns undefined when
   * `aiPlatform.prometheus.baseUrl` is absent (collector off).
   */
  static fromConfig(
    config: Config,
    deps: PrometheusCollectorDeps,
  ): PrometheusCollector | undefined {
    const prometheus = config.getOptionalConfig('aiPlatform.prometheus');
    const baseUrl = prometheus?.getOptionalString('baseUrl');
    if (!prometheus || !baseUrl) return undefined;
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new Error(
        `Invalid config aiPlatform.prometheus.baseUrl "${baseUrl}": not a URL`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(
        `Invalid config aiPlatform.prometheus.baseUrl "${baseUrl}": must be http or https`,
      );
    }
    const schedule = prometheus.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          prometheus.getConfig('schedule'),
        )
      : DEFAULT_PROMETHEUS_SCHEDULE;
    return new PrometheusCollector({ ...deps, baseUrl, schedule });
  }

  /** The schedule this collector should run on. */
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: PrometheusCollectorOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.schedule = options.schedule ?? DEFAULT_PROMETHEUS_SCHEDULE;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * One run: evaluates every declared query at `now` and writes all points in
   * one batch. A failing query is logged and counted; it does not stop the
   * others. Failing to read the catalog or to write the batch rejects, and so
   * does a run cancelled through `opts.signal` (nothing is written then).
   */
  async collect(
    now: number = Date.now(),
    opts: { signal?: AbortSignal } = {},
  ): Promise<PrometheusCollectResult> {
    const { logger, sink } = this.options;
    const tasks = await this.readQueries();

    // Indexed by task, so the batch follows declaration order whatever the
    // order the responses arrive in.
    const results: Array<SignalPoint | undefined> = [];
    let errors = 0;
    await runPool(
      tasks,
      this.options.concurrency ?? DEFAULT_CONCURRENCY,
      async (task, index) => {
        if (opts.signal?.aborted) return;
        try {
          results[index] = await this.evaluate(task, now, opts.signal);
        } catch (error) {
          errors += 1;
          const message = error instanceof Error ? error.message : `${error}`;
          logger.warn(
            `Prometheus query failed for ${task.pipeline}${
              task.stage ? ` stage ${task.stage}` : ' (pipeline level)'
            }, signal ${task.signal}, query ${JSON.stringify(
              task.query,
            )}: ${message}`,
            {
              pipeline: task.pipeline,
              stage: task.stage,
              signal: task.signal,
              query: task.query,
              error: message,
            },
          );
        }
      },
    );

    // Cancelled (scheduler timeout or shutdown): write nothing of a partial run.
    opts.signal?.throwIfAborted();
    const points = results.filter((p): p is SignalPoint => p !== undefined);
    const batch = dedupe(points, logger);
    if (batch.length > 0) {
      await sink.insertSignals(batch);
    }
    return { queries: tasks.length, points: batch.length, errors };
  }

  /** Every declared query of every valid AIPipeline of the catalog view. */
  private async readQueries(): Promise<QueryTask[]> {
    const tasks: QueryTask[] = [];
    const { pipelines } = await this.options.pipelines.snapshot();
    for (const { ref: pipeline, entity } of pipelines) {
      const add = (stage: string, metrics?: AIPipelineMetricQuery[]) => {
        for (const { signal, query } of metrics ?? []) {
          tasks.push({ pipeline, stage, signal, query });
        }
      };
      for (const stage of entity.spec.stages) {
        add(stage.name, stage.metrics);
      }
      add('', entity.spec.metrics);
    }
    return tasks;
  }

  /** Runs one instant query; the point it yields, or undefined without data. */
  private async evaluate(
    task: QueryTask,
    now: number,
    signal: AbortSignal | undefined,
  ): Promise<SignalPoint | undefined> {
    const samples = await this.query(task.query, now, signal);
    const finite = samples.filter(s => Number.isFinite(s.value));
    if (finite.length === 0) {
      this.options.logger.debug(
        `Prometheus query for ${task.pipeline} ${task.stage || '(pipeline)'} ${
          task.signal
        } returned no finite sample`,
      );
      return undefined;
    }
    const value = finite.reduce((sum, s) => sum + s.value, 0) / finite.length;
    const ts = Math.max(...finite.map(s => s.ts));
    return {
      pipeline: task.pipeline,
      stage: task.stage,
      signal: task.signal,
      value,
      ts: Math.floor((ts * 1000) / MINUTE_MS) * MINUTE_MS,
      source: PROMETHEUS_SOURCE,
    };
  }

  /** `GET /api/v1/query`; the samples of a vector or scalar result. */
  private async query(
    query: string,
    now: number,
    signal: AbortSignal | undefined,
  ): Promise<Sample[]> {
    const params = new URLSearchParams({
      query,
      time: (now / 1000).toString(),
    });
    const url = `${this.baseUrl}/api/v1/query?${params}`;
    const timeout = AbortSignal.timeout(
      this.options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    );
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        headers: { Accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      const cause = (error as { cause?: { message?: string } })?.cause?.message;
      const message = error instanceof Error ? error.message : `${error}`;
      throw new PrometheusQueryError(
        `request to ${this.baseUrl} failed: ${message}${
          cause ? ` (${cause})` : ''
        }`,
      );
    }

    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body?.status === 'error') {
      throw new PrometheusQueryError(
        `HTTP ${response.status}${
          body.errorType ? `, ${body.errorType}` : ''
        }: ${body.error ?? 'unknown error'}`,
      );
    }
    if (!response.ok || body?.status !== 'success') {
      throw new PrometheusQueryError(
        `HTTP ${response.status} ${response.statusText}: ${text
          .slice(0, MAX_ERROR_BODY_CHARS)
          .trim()}`,
      );
    }

    const { resultType, result } = body.data ?? {};
    switch (resultType) {
      case 'vector':
        if (!Array.isArray(result)) break;
        return result.map((series: { value?: unknown }) =>
          toSample(series?.value),
        );
      case 'scalar':
        return [toSample(result)];
      case 'matrix':
      case 'string':
        throw new PrometheusQueryError(
          `unsupported result type "${resultType}": the query must return an instant vector or a scalar`,
        );
      default:
        break;
    }
    throw new PrometheusQueryError(
      `malformed response: ${text.slice(0, MAX_ERROR_BODY_CHARS)}`,
    );
  }
}

/** `[ <unix seconds>, "<value>" ]` → sample; Prometheus writes NaN/±Inf as strings. */
function toSample(pair: unknown): Sample {
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new PrometheusQueryError(
      `malformed sample ${JSON.stringify(pair)}`.slice(0, MAX_ERROR_BODY_CHARS),
    );
  }
  const ts = Number(pair[0]);
  if (!Number.isFinite(ts)) {
    throw new PrometheusQueryError(
      `malformed sample timestamp ${JSON.stringify(pair[0])}`,
    );
  }
  // Number('NaN') and Number('+Inf') are NaN, Number('-Inf') too: filtered later.
  return { ts, value: Number(pair[1]) };
}

/**
 * Keeps the first point of each key: two queries declaring the same signal
 * for the same stage would otherwise collide in one batch.
 */
function dedupe(points: SignalPoint[], logger: LoggerService): SignalPoint[] {
  const seen = new Set<string>();
  const out: SignalPoint[] = [];
  for (const p of points) {
    const key = [p.pipeline, p.stage, p.signal, p.ts, p.source].join('\0');
    if (seen.has(key)) {
      logger.warn(
        `Prometheus collector: several queries give ${p.pipeline} ${
          p.stage || '(pipeline)'
        } ${p.signal}; keeping the first`,
      );
      continue;
    }
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Runs `fn` over `items` with at most `size` in flight. */
async function runPool<T>(
  items: T[],
  size: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker),
  );
}
