/** Pulls LiteLLM spend logs page by page from a stored cursor; config in config.d.ts. */
import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  LiteLLMSpendLog,
  parseLiteLLMBody,
  toUsageRecord,
  UsageRecord,
  UsageRecordInput,
  UsageTimeWindow,
  UsageValidationIssue,
} from '@aiplatform/plugin-ai-platform-node';
import { CursorStore, UsageSink } from '../UsageStore';
import { readIngestionSettings } from '../../shared/ingestion/ingestionConfig';

/** Default schedule: every 5 minutes, with a timeout below the period. */
export const DEFAULT_LITELLM_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 4 },
  };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Rows a page asks for: the largest `/spend/logs/v2` accepts. */
export const DEFAULT_LITELLM_PAGE_SIZE = 1000;
/**
 * The page-size cap of LiteLLM proxies older than the change that raised it
 * to 1000 (they answer 422 above it); the collector falls back to it.
 */
export const LEGACY_LITELLM_PAGE_SIZE = 100;
/** How far each run re-reads behind the cursor, for late-written rows. */
export const DEFAULT_LITELLM_LOOKBACK_MS = 2 * HOUR_MS;
/** How far the first run reaches back. */
export const DEFAULT_LITELLM_INITIAL_LOOKBACK_MS = 24 * HOUR_MS;

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PAGES = 10_000;
const MAX_ERROR_BODY_CHARS = 300;
/** Rejection reasons quoted in the log line of a run. */
const MAX_LOGGED_REASONS = 5;

/** Outcome of one collection run. */
export interface LiteLLMCollectResult {
  /** Pages read from `/spend/logs/v2`. */
  pages: number;
  /** Rows those pages held. */
  rows: number;
  /** Records the sink stored as new (a re-read row is not counted again). */
  inserted: number;
  /** Rows skipped because they are not valid usage records. */
  rejected: number;
}

/** Dependencies of {@link LiteLLMCollector}. */
export interface LiteLLMCollectorDeps {
  sink: UsageSink;
  cursors: CursorStore;
  logger: LoggerService;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

export interface LiteLLMCollectorOptions extends LiteLLMCollectorDeps {
  /** The LiteLLM proxy, e.g. `http://litellm:4000`. */
  baseUrl: string;
  /** Key allowed to read spend logs; no auth headers when absent. */
  apiKey?: string;
  /** Rows per page, 1 to 1000; {@link DEFAULT_LITELLM_PAGE_SIZE} by default. */
  pageSize?: number;
  /** Re-read overlap behind the cursor; 2 h by default. */
  lookbackMs?: number;
  /** Reach of the first run (no cursor yet); 1 day by default. */
  initialLookbackMs?: number;
  /** Per-request HTTP timeout; 30 s by default. */
  requestTimeoutMs?: number;
  /** A run reading more pages than this fails (runaway pagination); 10 000 by default. */
  maxPages?: number;
  /** Schedule the task should run on; {@link DEFAULT_LITELLM_SCHEDULE} by default. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /**
   * Raw usage retention; older rows are skipped (their replay could not be
   * recognised once their raw row is gone); 90 days by default.
   */
  rawRetentionMs?: number;
  /** How far ahead of now a row may be; 5 minutes by default. */
  clockSkewMs?: number;
}

/**
 * A failed `/spend/logs/v2` request: HTTP error, network error or a body that
 * is not a spend-log page. The run stops and the cursor stays.
 */
export class LiteLLMRequestError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'LiteLLMRequestError';
  }
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the only form `/spend/logs/v2` parses. */
export function formatLiteLLMDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** What one page contributes once mapped. */
interface MappedPage {
  records: UsageRecord[];
  rejected: Array<{ requestId: string; reasons: string }>;
}

/**
 * Pulls LiteLLM's spend logs (one row per LLM call) from the proxy's
 * `GET /spend/logs/v2` and writes them as usage records.
 *
 * Each run reads `[cursor − lookback, now]` (the first run
 * `[now − initialLookback, now]`), page by page, and writes each page as one
 * batch. The cursor (key `litellm:<baseUrl>`) is the newest `startTime` of the
 * rows stored so far, and moves only once every page of the run was read and
 * written. The overlap re-reads rows LiteLLM wrote late (it buffers spend logs
 * and writes them in batches, and a slow call is logged at its end with the
 * `startTime` of its start); re-reading is safe because the sink is
 * idempotent on the record id (LiteLLM's `request_id`).
 *
 * Pagination follows LiteLLM: `page` from 1, `page_size` rows, newest first;
 * it stops at `total_pages` or at an empty page. Newer proxies cap the
 * advertised `total` at 10 000 rows and say so with `total_is_capped`; then
 * `total_pages` is not the end, and the collector reads on until a short or
 * empty page. A proxy that refuses `page_size` above 100 (older LiteLLM, 422)
 * is asked again with 100.
 */
export class LiteLLMCollector {
  /**
   * Builds the collector from `aiPlatform.litellm`; returns undefined when
   * `aiPlatform.litellm.baseUrl` is absent (collector off).
   */
  static fromConfig(
    config: Config,
    deps: LiteLLMCollectorDeps,
  ): LiteLLMCollector | undefined {
    const litellm = config.getOptionalConfig('aiPlatform.litellm');
    const baseUrl = litellm?.getOptionalString('baseUrl');
    if (!litellm || !baseUrl) return undefined;
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new Error(
        `Invalid config aiPlatform.litellm.baseUrl "${baseUrl}": not a URL`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(
        `Invalid config aiPlatform.litellm.baseUrl "${baseUrl}": must be http or https`,
      );
    }
    const apiKey = litellm.getOptionalString('apiKey');
    if (!apiKey) {
      deps.logger.warn(
        'LiteLLM collector: aiPlatform.litellm.apiKey is not set; spend logs are requested without a key, which only a proxy without auth accepts',
      );
    }
    const schedule = litellm.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          litellm.getConfig('schedule'),
        )
      : DEFAULT_LITELLM_SCHEDULE;
    const { rawRetentionMs, clockSkewMs } = readIngestionSettings(config);
    return new LiteLLMCollector({
      ...deps,
      baseUrl,
      apiKey,
      schedule,
      rawRetentionMs,
      clockSkewMs,
    });
  }

  /** The schedule this collector should run on. */
  readonly schedule: SchedulerServiceTaskScheduleDefinition;
  /** The cursor key: `litellm:<baseUrl>`. */
  readonly cursorKey: string;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly lookbackMs: number;
  private readonly initialLookbackMs: number;
  /** Lowered to 100 for the life of the collector if the proxy refuses more. */
  private pageSize: number;

  constructor(private readonly options: LiteLLMCollectorOptions) {
    this.baseUrl = options.baseUrl.trim().replace(/\/+$/, '');
    this.cursorKey = `litellm:${this.baseUrl}`;
    this.schedule = options.schedule ?? DEFAULT_LITELLM_SCHEDULE;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.pageSize = options.pageSize ?? DEFAULT_LITELLM_PAGE_SIZE;
    if (
      !Number.isInteger(this.pageSize) ||
      this.pageSize < 1 ||
      this.pageSize > DEFAULT_LITELLM_PAGE_SIZE
    ) {
      throw new Error(
        `LiteLLM collector: pageSize must be a whole number from 1 to ${DEFAULT_LITELLM_PAGE_SIZE}, got ${options.pageSize}`,
      );
    }
    this.lookbackMs = nonNegative(
      'lookbackMs',
      options.lookbackMs ?? DEFAULT_LITELLM_LOOKBACK_MS,
    );
    this.initialLookbackMs = nonNegative(
      'initialLookbackMs',
      options.initialLookbackMs ?? DEFAULT_LITELLM_INITIAL_LOOKBACK_MS,
    );
  }

  /**
   * One run (see the class comment). Invalid rows are skipped and counted.
   * An HTTP error, a network error, a malformed page, a failed write or a
   * run cancelled through `opts.signal` rejects, after logging, and leaves
   * the cursor where it was; pages written before the failure stay written
   * (the next run reads them again and the sink ignores them).
   */
  async collect(
    now: number = Date.now(),
    opts: { signal?: AbortSignal } = {},
  ): Promise<LiteLLMCollectResult> {
    const { logger, sink, cursors } = this.options;
    const cursor = await this.readCursor();
    const from =
      cursor === undefined
        ? now - this.initialLookbackMs
        : Math.min(cursor, now) - this.lookbackMs;
    const window = {
      start_date: formatLiteLLMDate(from),
      end_date: formatLiteLLMDate(now),
    };

    const result: LiteLLMCollectResult = {
      pages: 0,
      rows: 0,
      inserted: 0,
      rejected: 0,
    };
    const reasons: string[] = [];
    // Rows shift between pages when LiteLLM writes into the window during
    // the run (offset pagination, newest first): skip a row seen already.
    const seen = new Set<string>();
    let newest = cursor;
    const maxPages = this.options.maxPages ?? DEFAULT_MAX_PAGES;

    try {
      for (let page = 1; ; page++) {
        opts.signal?.throwIfAborted();
        if (page > maxPages) {
          throw new LiteLLMRequestError(
            `more than ${maxPages} pages for ${window.start_date} to ${window.end_date}; stopping (is the proxy ignoring "page"?)`,
          );
        }
        const body = await this.readPage(window, page, opts.signal);
        result.pages += 1;
        result.rows += body.data.length;

        const mapped = mapPage(body.data, {
          from: now - (this.options.rawRetentionMs ?? 90 * 86_400_000),
          to: now + (this.options.clockSkewMs ?? 300_000),
        });
        result.rejected += mapped.rejected.length;
        for (const r of mapped.rejected) {
          if (reasons.length < MAX_LOGGED_REASONS) {
            reasons.push(`${r.requestId}: ${r.reasons}`);
          }
        }
        const batch = mapped.records.filter(r => {
          if (seen.has(r.id)) return false;
          seen.add(r.id);
          return true;
        });
        if (batch.length > 0) {
          opts.signal?.throwIfAborted();
          const { inserted } = await sink.insertUsage(batch);
          result.inserted += inserted;
          for (const r of batch) {
            if (newest === undefined || r.ts > newest) newest = r.ts;
          }
        }

        if (isLastPage(body, page, this.pageSize)) break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(
        `LiteLLM collector: run failed after ${result.pages} page(s) of ${
          this.baseUrl
        }/spend/logs/v2 (${window.start_date} to ${
          window.end_date
        } UTC); cursor left at ${
          cursor === undefined ? '(none)' : new Date(cursor).toISOString()
        }: ${message}`,
        {
          baseUrl: this.baseUrl,
          pages: result.pages,
          rows: result.rows,
          inserted: result.inserted,
          error: message,
        },
      );
      throw error;
    }

    if (result.rejected > 0) {
      // A gateway page is not a client's batch: nobody is there to fix a bad
      // row and resend it, and refusing the page would stall the whole feed
      // (every later row, every later run) on one row. So the row is
      // skipped, counted and named here; the run goes on. (Unlike an HTTP
      // error or a malformed page, which say nothing about the rows and stop
      // the run.) A bad row inside the overlap is named again by the runs
      // that re-read it.
      logger.warn(
        `LiteLLM collector: skipped ${
          result.rejected
        } invalid spend-log row(s) of ${
          result.rows
        }; first reasons: ${reasons.join('; ')}`,
        { baseUrl: this.baseUrl, rejected: result.rejected },
      );
    }
    if (newest !== undefined && newest !== cursor) {
      await cursors.setCursor(this.cursorKey, new Date(newest).toISOString());
    }
    return result;
  }

  /** The stored high-water mark in epoch ms; undefined when absent or unreadable. */
  private async readCursor(): Promise<number | undefined> {
    const value = await this.options.cursors.getCursor(this.cursorKey);
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) {
      this.options.logger.warn(
        `LiteLLM collector: ignoring unreadable cursor ${JSON.stringify(
          value,
        )} for ${this.cursorKey}; reading the initial lookback instead`,
      );
      return undefined;
    }
    return ms;
  }

  /**
   * One `GET /spend/logs/v2` page. A 422 about `page_size` on the first page
   * (a proxy that still caps pages at 100) is retried once at 100 rows, and
   * the collector keeps 100 from then on.
   */
  private async readPage(
    window: { start_date: string; end_date: string },
    page: number,
    signal: AbortSignal | undefined,
  ): Promise<SpendLogPage> {
    try {
      return await this.request(window, page, signal);
    } catch (error) {
      if (
        page === 1 &&
        error instanceof LiteLLMRequestError &&
        error.status === 422 &&
        /page_size/.test(error.message) &&
        this.pageSize > LEGACY_LITELLM_PAGE_SIZE
      ) {
        this.options.logger.warn(
          `LiteLLM collector: ${this.baseUrl} refuses page_size=${this.pageSize} (LiteLLM before the 1000-row cap); using ${LEGACY_LITELLM_PAGE_SIZE} from now on`,
        );
        this.pageSize = LEGACY_LITELLM_PAGE_SIZE;
        return await this.request(window, page, signal);
      }
      throw error;
    }
  }

  private async request(
    window: { start_date: string; end_date: string },
    page: number,
    signal: AbortSignal | undefined,
  ): Promise<SpendLogPage> {
    const params = new URLSearchParams({
      ...window,
      page: String(page),
      page_size: String(this.pageSize),
    });
    const url = `${this.baseUrl}/spend/logs/v2?${params}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.apiKey) {
      headers['x-litellm-api-key'] = this.options.apiKey;
      headers.Authorization = `Bearer ${this.options.apiKey}`;
    }
    const timeout = AbortSignal.timeout(
      this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    );
    const where = `GET ${this.baseUrl}/spend/logs/v2 page ${page}`;
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        headers,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      signal?.throwIfAborted();
      const cause = (error as { cause?: { message?: string } })?.cause?.message;
      const message = error instanceof Error ? error.message : `${error}`;
      throw new LiteLLMRequestError(
        `${where} failed: ${message}${cause ? ` (${cause})` : ''}`,
      );
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const detail = errorDetail(body) ?? text.trim();
      const hint =
        response.status === 401 || response.status === 403
          ? ' (LiteLLM refused the key: check aiPlatform.litellm.apiKey; reading spend logs takes the master key or an admin key)'
          : '';
      throw new LiteLLMRequestError(
        `${where}: HTTP ${response.status} ${
          response.statusText
        }${hint}: ${detail.slice(0, MAX_ERROR_BODY_CHARS)}`,
        response.status,
      );
    }
    if (!isSpendLogPage(body)) {
      throw new LiteLLMRequestError(
        `${where}: malformed page, expected { data: [...], total_pages, ... }: ${text
          .slice(0, MAX_ERROR_BODY_CHARS)
          .trim()}`,
        response.status,
      );
    }
    return body;
  }
}

/** A `/spend/logs/v2` page as the collector reads it. */
interface SpendLogPage {
  data: unknown[];
  total?: unknown;
  page?: unknown;
  page_size?: unknown;
  total_pages?: unknown;
  total_is_capped?: unknown;
}

function isSpendLogPage(body: unknown): body is SpendLogPage {
  return (
    !!body &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    Array.isArray((body as SpendLogPage).data)
  );
}

/**
 * Whether `page` was the last: an empty page always is; otherwise
 * `total_pages` says so, unless LiteLLM capped the count (`total_is_capped`)
 * or sent none, when a page shorter than its size is the end.
 */
function isLastPage(
  body: SpendLogPage,
  page: number,
  requestedSize: number,
): boolean {
  if (body.data.length === 0) return true;
  const totalPages = body.total_pages;
  if (
    body.total_is_capped !== true &&
    typeof totalPages === 'number' &&
    Number.isFinite(totalPages)
  ) {
    return page >= totalPages;
  }
  const size =
    typeof body.page_size === 'number' && body.page_size > 0
      ? body.page_size
      : requestedSize;
  return body.data.length < size;
}

/**
 * Maps and validates a page. The whole page is validated at once; when some
 * rows fail, each row is validated alone so that only the bad ones go
 * (skipped, not fatal: see the warning in `collect`).
 */
function mapPage(rows: unknown[], window: UsageTimeWindow): MappedPage {
  const whole = parseLiteLLMBody(rows, { window });
  if ('records' in whole) {
    return toRecords(whole.records, rows);
  }
  const out: MappedPage = { records: [], rejected: [] };
  rows.forEach(row => {
    const one = parseLiteLLMBody([row], { window });
    if ('records' in one) {
      const mapped = toRecords(one.records, [row]);
      out.records.push(...mapped.records);
      out.rejected.push(...mapped.rejected);
    } else {
      out.rejected.push({
        requestId: requestIdOf(row),
        reasons: formatIssues(one.issues),
      });
    }
  });
  return out;
}

function toRecords(inputs: UsageRecordInput[], rows: unknown[]): MappedPage {
  const out: MappedPage = { records: [], rejected: [] };
  inputs.forEach((input, i) => {
    try {
      out.records.push(toUsageRecord(input));
    } catch (error) {
      out.rejected.push({
        requestId: requestIdOf(rows[i]),
        reasons: error instanceof Error ? error.message : String(error),
      });
    }
  });
  return out;
}

function requestIdOf(row: unknown): string {
  const id =
    row && typeof row === 'object'
      ? (row as LiteLLMSpendLog).request_id
      : undefined;
  return typeof id === 'string' && id.trim()
    ? `request_id ${id.trim().slice(0, 100)}`
    : '(row without request_id)';
}

/** `prompt_tokens must not be negative, model_group is required`. */
function formatIssues(issues: UsageValidationIssue[]): string {
  return issues
    .map(i => `${i.field.replace(/^\[\d+\]\.?/, '') || 'row'} ${i.message}`)
    .join(', ');
}

/** LiteLLM's error message: `{ error: { message } }` or FastAPI's `{ detail }`. */
function errorDetail(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { error, detail } = body as { error?: unknown; detail?: unknown };
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  if (typeof error === 'string') return error;
  if (typeof detail === 'string') return detail;
  if (detail !== undefined) return JSON.stringify(detail);
  return undefined;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(
      `LiteLLM collector: ${name} must be a non-negative number of milliseconds, got ${value}`,
    );
  }
  return value;
}
