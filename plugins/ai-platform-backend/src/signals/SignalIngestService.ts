import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AIPipelineEntityV1alpha1,
  SIGNAL_NAMES,
} from '@aiplatform/plugin-ai-platform-common';
import {
  boundedNumberProblem,
  SignalIngestResult,
  SignalPoint,
  textProblem,
  tryNormalizeRef,
} from '@aiplatform/plugin-ai-platform-node';
import { z } from 'zod';
import { SignalSink } from './SignalStore';
import {
  asPipeline,
  getEntitiesByRefs,
} from '../shared/catalog/catalogPipelines';
import { PipelineCatalog } from '../shared/catalog/PipelineCatalog';

/** The most points one request may carry. */
export const MAX_SIGNALS_PER_BATCH = 100_000;
/** The most OpenLineage events one request may carry. */
export const MAX_EVENTS_PER_BATCH = 10_000;
/** The largest signal value accepted (either sign): sums stay finite. */
export const MAX_SIGNAL_VALUE = 1e15;
const MAX_ISSUES_REPORTED = 10;
const DAY = 86_400_000;

/** Text that fits its column (refused, never cut) and holds no control characters. */
const boundedText = (max: number) =>
  z
    .string('must be a string')
    .min(1, 'must not be empty')
    .check(ctx => {
      const problem = textProblem(ctx.value, max);
      if (problem) {
        ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
      }
    });

const timestampSchema = z.union(
  [
    z.number().refine(Number.isFinite, 'must be a finite number of epoch ms'),
    boundedText(64),
  ],
  'must be an ISO 8601 timestamp or epoch milliseconds',
);

const pointSchema = z.object({
  // Column sizes of ai_signal_points.
  pipeline: boundedText(255),
  stage: boundedText(128).nullable().optional(),
  signal: z.enum(SIGNAL_NAMES),
  value: z.number('must be a finite number').check(ctx => {
    const problem = boundedNumberProblem(Math.abs(ctx.value), MAX_SIGNAL_VALUE);
    if (problem) {
      ctx.issues.push({
        code: 'custom',
        message:
          problem === 'must be a finite number'
            ? problem
            : `must be between -${MAX_SIGNAL_VALUE} and ${MAX_SIGNAL_VALUE}`,
        input: ctx.value,
      });
    }
  }),
  timestamp: timestampSchema,
  source: boundedText(64).optional(),
});

const batchSchema = z.object({
  signals: z
    .array(z.unknown())
    .min(1, 'must hold at least one point')
    .max(
      MAX_SIGNALS_PER_BATCH,
      `must hold at most ${MAX_SIGNALS_PER_BATCH} points`,
    ),
});

/** `lastUpdated` of a dataset facet: a timestamp when present. */
const lastUpdatedFacet = z
  .object({ lastUpdated: boundedText(64).optional() })
  .optional();

const datasetSchema = z.object({
  namespace: boundedText(1024),
  name: boundedText(1024),
  facets: z
    .object({
      dataQualityMetrics: lastUpdatedFacet,
      lifecycleStateChange: lastUpdatedFacet,
    })
    .optional(),
});

const runEventSchema = z.object({
  eventType: z.enum(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']),
  eventTime: boundedText(64),
  run: z.object({ runId: boundedText(255) }),
  job: z.object({ namespace: boundedText(1024), name: boundedText(1024) }),
  inputs: z
    .array(datasetSchema)
    .max(1000, 'must hold at most 1000 datasets')
    .optional(),
  outputs: z
    .array(datasetSchema)
    .max(1000, 'must hold at most 1000 datasets')
    .optional(),
});

/** The last instant a JavaScript Date can hold (+275760-09-13). */
const MAX_TIMESTAMP_MS = 8.64e15;

/**
 * Epoch ms of an ISO 8601 string or epoch-ms number; undefined unless whole
 * milliseconds from 1970 to the end of the Date range: the store keeps `ts`
 * as a bigint (PostgreSQL rejects fractions and overflows) and buckets it by
 * integer division, which assumes it is not negative.
 */
function parseTimestamp(value: string | number): number | undefined {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isInteger(ms) && ms >= 0 && ms <= MAX_TIMESTAMP_MS
    ? ms
    : undefined;
}

/** `outputs[0].name`, or `[1].eventType` for the second event of an array. */
function eventIssuePath(prefix: string, path: ReadonlyArray<PropertyKey>) {
  const rest = path
    .map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('');
  return `${prefix}${rest}`.replace(/^\./, '') || 'event';
}

function fail(issues: string[], what: string): never {
  const shown = issues.slice(0, MAX_ISSUES_REPORTED).join('; ');
  const more =
    issues.length > MAX_ISSUES_REPORTED
      ? ` (and ${issues.length - MAX_ISSUES_REPORTED} more)`
      : '';
  throw new InputError(`Invalid ${what}, nothing was written: ${shown}${more}`);
}

/** Response of `POST /openlineage`. */
export interface OpenLineageIngestResult extends SignalIngestResult {
  /** Stages whose freshness the events refreshed. */
  matched: number;
}

/**
 * Validates pushed signals against the catalog and writes them through the
 * store's batch path: all or nothing, idempotent.
 */
export class SignalIngestService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      /** The catalog view of AI pipelines. */
      pipelines: PipelineCatalog;
      sink: SignalSink;
      /** The oldest point accepted, as an age (default 400 days). */
      maxAgeMs?: number;
      /** How far ahead of now a timestamp may be (default 5 minutes). */
      clockSkewMs?: number;
      /** The clock (tests pin it). */
      now?: () => number;
    },
  ) {}

  /**
   * Why a timestamp is outside the window ingestion accepts, or undefined:
   * from `maxAgeMs` ago to the clock skew ahead.
   */
  private outsideWindow(ts: number): string | undefined {
    const now = (this.options.now ?? Date.now)();
    const from = now - (this.options.maxAgeMs ?? 400 * DAY);
    const to = now + (this.options.clockSkewMs ?? 300_000);
    if (ts < from) {
      return `is older than ${new Date(
        from,
      ).toISOString()} (aiPlatform.signals.maxAgeDays)`;
    }
    if (ts > to) {
      return `is in the future (later than ${new Date(to).toISOString()})`;
    }
    return undefined;
  }

  async ingestSignals(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<SignalIngestResult> {
    const batch = batchSchema.safeParse(body);
    if (!batch.success) {
      fail(
        batch.error.issues.map(
          i => `${i.path.join('.') || 'body'}: ${i.message}`,
        ),
        'signal batch',
      );
    }
    const issues: string[] = [];
    const parsed: Array<z.infer<typeof pointSchema> & { ts: number }> = [];
    batch.data.signals.forEach((raw, index) => {
      const result = pointSchema.safeParse(raw);
      if (!result.success) {
        for (const issue of result.error.issues) {
          issues.push(
            `signals[${index}]${issue.path
              .map(p => `.${String(p)}`)
              .join('')}: ${issue.message}`,
          );
        }
        return;
      }
      const ts = parseTimestamp(result.data.timestamp);
      if (ts === undefined) {
        issues.push(
          `signals[${index}].timestamp: "${result.data.timestamp}" is not an ISO 8601 timestamp or epoch milliseconds (whole, from 1970 on)`,
        );
        return;
      }
      const outside = this.outsideWindow(ts);
      if (outside) {
        issues.push(`signals[${index}].timestamp: ${outside}`);
        return;
      }
      parsed.push({ ...result.data, ts });
    });
    if (issues.length) fail(issues, 'signal batch');

    const refs = new Map<number, string>();
    const normalized = new Map<string, string | undefined>();
    parsed.forEach((p, index) => {
      if (!normalized.has(p.pipeline)) {
        normalized.set(
          p.pipeline,
          tryNormalizeRef(p.pipeline, { defaultKind: 'aipipeline' }),
        );
      }
      const ref = normalized.get(p.pipeline);
      if (!ref || !ref.startsWith('aipipeline:')) {
        issues.push(
          `signals[${index}].pipeline: "${p.pipeline}" is not an AIPipeline ref`,
        );
      } else {
        refs.set(index, ref);
      }
    });
    if (issues.length) fail(issues, 'signal batch');

    const pipelines = await this.fetchPipelines(
      [...new Set(refs.values())],
      credentials,
    );
    const points: SignalPoint[] = [];
    parsed.forEach((p, index) => {
      const ref = refs.get(index)!;
      const pipeline = pipelines.get(ref);
      if (!pipeline) {
        issues.push(`signals[${index}].pipeline: unknown pipeline ${ref}`);
        return;
      }
      if (p.stage && !pipeline.spec.stages.some(s => s.name === p.stage)) {
        issues.push(
          `signals[${index}].stage: pipeline ${ref} has no stage "${p.stage}"`,
        );
        return;
      }
      points.push({
        pipeline: ref,
        stage: p.stage ?? '',
        signal: p.signal,
        value: p.value,
        ts: p.ts,
        source: p.source ?? 'push',
      });
    });
    if (issues.length) fail(issues, 'signal batch');

    const { inserted } = await this.options.sink.insertSignals(points);
    return { received: points.length, inserted };
  }

  /**
   * OpenLineage RunEvents (one, or an array): a COMPLETE run whose output
   * dataset a stage declares in `outputs` is a freshness point of that stage.
   */
  async ingestOpenLineage(body: unknown): Promise<OpenLineageIngestResult> {
    const raw = Array.isArray(body) ? body : [body];
    const issues: string[] = [];
    if (raw.length === 0 || raw.length > MAX_EVENTS_PER_BATCH) {
      fail(
        [`(body): must hold 1 to ${MAX_EVENTS_PER_BATCH} events`],
        'OpenLineage events',
      );
    }
    const events: z.infer<typeof runEventSchema>[] = [];
    raw.forEach((item, index) => {
      const prefix = Array.isArray(body) ? `[${index}]` : '';
      const result = runEventSchema.safeParse(item);
      if (!result.success) {
        for (const issue of result.error.issues) {
          issues.push(
            `${eventIssuePath(prefix, issue.path)}: ${issue.message}`,
          );
        }
      } else {
        const problem = this.eventTimeProblem(result.data);
        if (problem) {
          issues.push(
            `${eventIssuePath(prefix, problem.path)}: ${problem.message}`,
          );
        } else {
          events.push(result.data);
        }
      }
    });
    if (issues.length) fail(issues, 'OpenLineage event');

    const complete = events.filter(e => e.eventType === 'COMPLETE');
    if (complete.length === 0) {
      return { received: events.length, inserted: 0, matched: 0 };
    }
    const producers = await this.datasetProducers();
    const points: SignalPoint[] = [];
    for (const event of complete) {
      const at = Date.parse(event.eventTime);
      for (const output of event.outputs ?? []) {
        const stages = producers.get(`${output.namespace}\u0000${output.name}`);
        if (!stages) continue;
        const lastUpdated =
          output.facets?.dataQualityMetrics?.lastUpdated ??
          output.facets?.lifecycleStateChange?.lastUpdated;
        const updatedAt =
          typeof lastUpdated === 'string' ? Date.parse(lastUpdated) : NaN;
        const lagSeconds = Number.isFinite(updatedAt)
          ? Math.max(0, (at - updatedAt) / 1000)
          : 0;
        for (const { pipeline, stage } of stages) {
          points.push({
            pipeline,
            stage,
            signal: 'freshness',
            value: lagSeconds,
            ts: at,
            source: 'openlineage',
          });
        }
      }
    }
    const { inserted } = await this.options.sink.insertSignals(points);
    return { received: events.length, inserted, matched: points.length };
  }

  /** An event time outside the window, or a facet's lastUpdated that is no time. */
  private eventTimeProblem(
    event: z.infer<typeof runEventSchema>,
  ): { path: PropertyKey[]; message: string } | undefined {
    const at = parseTimestamp(event.eventTime);
    if (at === undefined) {
      return {
        path: ['eventTime'],
        message: `"${event.eventTime}" is not an ISO 8601 timestamp`,
      };
    }
    const outside = this.outsideWindow(at);
    if (outside) return { path: ['eventTime'], message: outside };
    for (const [i, output] of (event.outputs ?? []).entries()) {
      for (const facet of [
        'dataQualityMetrics',
        'lifecycleStateChange',
      ] as const) {
        const lastUpdated = output.facets?.[facet]?.lastUpdated;
        if (
          lastUpdated !== undefined &&
          parseTimestamp(lastUpdated) === undefined
        ) {
          return {
            path: ['outputs', i, 'facets', facet, 'lastUpdated'],
            message: `"${lastUpdated}" is not an ISO 8601 timestamp`,
          };
        }
      }
    }
    return undefined;
  }

  /**
   * The named pipelines: from the catalog view, and from the catalog (with
   * the caller's credentials) for the ones the view does not hold yet (a
   * pipeline registered since its last refresh).
   */
  private async fetchPipelines(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, AIPipelineEntityV1alpha1>> {
    const snapshot = await this.options.pipelines.snapshot();
    const found = new Map<string, AIPipelineEntityV1alpha1>();
    const missing: string[] = [];
    for (const ref of refs) {
      const held = snapshot.pipeline(ref);
      if (held) found.set(ref, held.entity);
      else missing.push(ref);
    }
    const entities = await getEntitiesByRefs(
      this.options.catalog,
      missing,
      undefined,
      credentials,
    );
    for (const entity of entities) {
      const pipeline = asPipeline(entity);
      if (pipeline) {
        found.set(stringifyEntityRef(pipeline).toLowerCase(), pipeline);
      }
    }
    return found;
  }

  /** dataset (namespace + name) → the stages that declare it as an output. */
  private async datasetProducers() {
    const producers = new Map<
      string,
      Array<{ pipeline: string; stage: string }>
    >();
    const { pipelines } = await this.options.pipelines.snapshot();
    for (const { ref, entity: pipeline } of pipelines) {
      for (const stage of pipeline.spec.stages) {
        for (const output of stage.outputs ?? []) {
          const key = `${output.namespace}\u0000${output.name}`;
          const list = producers.get(key) ?? [];
          list.push({ pipeline: ref, stage: stage.name });
          producers.set(key, list);
        }
      }
    }
    return producers;
  }
}
