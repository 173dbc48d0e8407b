import { z } from 'zod';
import { boundedNumberProblem, textProblem } from '../validation/boundedText';
import { usageEntityRef, usageEntityRefCandidates } from './refs';
import { parseUsageTimestamp } from './timestamp';
import { UsageRecordInput } from './types';

/**
 * One problem with a usage batch, with the field it is about.
 *
 * @public
 */
export interface UsageValidationIssue {
  /** Path of the field, e.g. `records[3].inputTokens`. */
  field: string;
  message: string;
}

/** @public */
export type UsageValidationResult =
  | { records: UsageRecordInput[] }
  | { issues: UsageValidationIssue[] };

/**
 * The bounds of one usage record. Text bounds are the sizes of the columns
 * that keep it (refused beyond, never cut). Token counts and costs are
 * bounded per record so that no sum overflows: a rollup row is a 64-bit
 * integer (9.2e18), which a billion-token record fills only after 9.2
 * billion of them in one hour for one key; a single LLM call today uses at
 * most a few million tokens.
 *
 * @public
 */
export const USAGE_LIMITS = {
  idLength: 255,
  textLength: 255,
  providerLength: 128,
  statusLength: 32,
  maxTags: 64,
  /** The entity refs a record names, joined by newlines (one column). */
  entityRefsLength: 1024,
  maxTokens: 1_000_000_000,
  maxCostUsd: 1_000_000,
  /** A 32-bit integer column: 24.8 days. */
  maxDurationMs: 2_147_483_647,
} as const;

/**
 * The instants a record's timestamp may fall in: from the start of raw
 * retention (an older record could not be recognised as a replay once its
 * raw row is gone, so it would be counted again) to a little clock skew
 * ahead of now.
 *
 * @public
 */
export interface UsageTimeWindow {
  from: number;
  to: number;
}

/**
 * Options of the usage validators.
 *
 * @public
 */
export interface UsageValidationOptions {
  /** Path of the records in messages; default `records`. */
  path?: string;
  /** Refuse timestamps outside it (the service always passes one). */
  window?: UsageTimeWindow;
}

const requiredMessage = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null
    ? 'is required'
    : `must be ${expected}`;

const text = (what: string, max: number = USAGE_LIMITS.textLength) =>
  z
    .string({ error: requiredMessage(what) })
    .trim()
    .min(1, { error: 'must not be empty' })
    .check(ctx => {
      const problem = textProblem(ctx.value, max);
      if (problem)
        ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });

const bounded = (
  max: number,
  options: { integer?: boolean; unit?: string } = {},
) =>
  z.number({ error: requiredMessage('a finite number') }).check(ctx => {
    const problem = boundedNumberProblem(ctx.value, max, options);
    if (problem) {
      ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    }
  });

const tokens = bounded(USAGE_LIMITS.maxTokens, {
  integer: true,
  unit: 'tokens',
});

/**
 * The shape of one `POST /usage` record (nulls are read as absent).
 *
 * @public
 */
export const usageRecordInputSchema = z.object({
  id: text('a string', USAGE_LIMITS.idLength),
  timestamp: z
    .union([z.string(), z.number()], {
      error: requiredMessage('an ISO 8601 date-time or epoch milliseconds'),
    })
    .refine(v => parseUsageTimestamp(v) !== undefined, {
      error:
        'must be an ISO 8601 date-time or epoch milliseconds, from 2000 on',
    }),
  entityRef: text('a string')
    .refine(v => usageEntityRef(v) !== undefined, {
      error: 'must be an entity ref such as component:default/my-service',
    })
    .optional(),
  team: text('a string').optional(),
  model: text('a string'),
  provider: text('a string', USAGE_LIMITS.providerLength).optional(),
  inputTokens: tokens,
  outputTokens: tokens,
  costUsd: bounded(USAGE_LIMITS.maxCostUsd).optional(),
  durationMs: bounded(USAGE_LIMITS.maxDurationMs).optional(),
  status: z
    .union([z.string(), z.number().int().min(0).max(999)], {
      error: 'must be a string or a status code',
    })
    .transform(v => String(v))
    .pipe(text('a string', USAGE_LIMITS.statusLength))
    .optional(),
  keyAlias: text('a string').optional(),
  tags: z
    .array(text('a string'), { error: 'must be an array of strings' })
    .max(USAGE_LIMITS.maxTags, {
      error: `must have at most ${USAGE_LIMITS.maxTags} tags`,
    })
    .optional(),
});

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === 'number') return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, '');
}

/** Drops null-valued fields, so that senders may write `"team": null`. */
function withoutNulls(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== null,
    ),
  );
}

/** Checks of a parsed record that need more than its fields' own schemas. */
function recordProblems(
  record: UsageRecordInput,
  window: UsageTimeWindow | undefined,
): UsageValidationIssue[] {
  const issues: UsageValidationIssue[] = [];
  if (window) {
    const ts = parseUsageTimestamp(record.timestamp)!;
    if (ts < window.from) {
      issues.push({
        field: 'timestamp',
        message: `is older than raw usage retention (${new Date(
          window.from,
        ).toISOString()}): a replay of it could no longer be recognised`,
      });
    } else if (ts > window.to) {
      issues.push({
        field: 'timestamp',
        message: `is in the future (later than ${new Date(
          window.to,
        ).toISOString()})`,
      });
    }
  }
  if (record.tags || record.keyAlias || record.entityRef) {
    const refs = usageEntityRefCandidates(record).join('\n');
    if (refs.length > USAGE_LIMITS.entityRefsLength) {
      issues.push({
        field: record.tags ? 'tags' : 'entityRef',
        message: `names entities whose refs total more than ${USAGE_LIMITS.entityRefsLength} characters`,
      });
    }
  }
  return issues;
}

function validateOne(
  value: unknown,
  at: string,
  window: UsageTimeWindow | undefined,
  records: UsageRecordInput[],
  issues: UsageValidationIssue[],
) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ field: at, message: 'must be an object' });
    return;
  }
  const parsed = usageRecordInputSchema.safeParse(withoutNulls(value));
  if (parsed.success) {
    const record = parsed.data as UsageRecordInput;
    const problems = recordProblems(record, window);
    if (problems.length === 0) {
      records.push(record);
      return;
    }
    for (const p of problems) {
      issues.push({ field: `${at}.${p.field}`, message: p.message });
    }
    return;
  }
  for (const issue of parsed.error.issues) {
    const path = formatPath(issue.path);
    issues.push({ field: path ? `${at}.${path}` : at, message: issue.message });
  }
}

/**
 * Validates usage records one by one, reporting every problem with its field
 * (`records[3].inputTokens`); the batch is accepted only when all are valid.
 * Strings are trimmed and nulls read as absent.
 *
 * @public
 */
export function validateUsageRecords(
  input: unknown[],
  options: UsageValidationOptions = {},
): UsageValidationResult {
  const base = options.path ?? 'records';
  const records: UsageRecordInput[] = [];
  const issues: UsageValidationIssue[] = [];
  input.forEach((value, i) =>
    validateOne(value, `${base}[${i}]`, options.window, records, issues),
  );
  return issues.length ? { issues } : { records };
}

/**
 * Validates a `POST /usage` JSON body: `{ records: [...] }`.
 *
 * @public
 */
export function validateUsageBatch(
  body: unknown,
  options: UsageValidationOptions = {},
): UsageValidationResult {
  const records =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>).records
      : undefined;
  if (!Array.isArray(records)) {
    return {
      issues: [{ field: 'records', message: 'must be an array of records' }],
    };
  }
  return validateUsageRecords(records, options);
}

/**
 * Parses an NDJSON `POST /usage` body (one record per line, blank lines
 * skipped) and validates it; a line that is not JSON is named by its number.
 *
 * @public
 */
export function parseUsageNdjson(
  body: string,
  options: UsageValidationOptions = {},
): UsageValidationResult {
  const records: UsageRecordInput[] = [];
  const issues: UsageValidationIssue[] = [];
  let index = 0;
  body.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const at = `records[${index++}]`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      issues.push({ field: at, message: `line ${i + 1} is not valid JSON` });
      return;
    }
    validateOne(value, at, options.window, records, issues);
  });
  return issues.length ? { issues } : { records };
}

/**
 * Formats validation issues as one line per field, for error messages.
 *
 * @public
 */
export function formatUsageIssues(issues: UsageValidationIssue[]): string {
  return issues.map(i => `${i.field}: ${i.message}`).join('; ');
}
