import { z } from 'zod';
import { usageEntityRef } from './refs';
import { parseUsageTimestamp } from './timestamp';
import { UsageRecordInput } from './types';

/** One problem with a usage batch, with the field it is about. */
export interface UsageValidationIssue {
  /** Path of the field, e.g. `records[3].inputTokens`. */
  field: string;
  message: string;
}

export type UsageValidationResult =
  | { records: UsageRecordInput[] }
  | { issues: UsageValidationIssue[] };

const MAX_TEXT = 512;

const requiredMessage = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null
    ? 'is required'
    : `must be ${expected}`;

const text = (what: string) =>
  z
    .string({ error: requiredMessage(what) })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` });

const tokens = z
  .number({ error: requiredMessage('a finite number') })
  .int({ error: 'must be a whole number of tokens' })
  .nonnegative({ error: 'must not be negative' });

const nonNegative = z
  .number({ error: requiredMessage('a finite number') })
  .nonnegative({ error: 'must not be negative' });

/** The shape of one `POST /usage` record (nulls are read as absent). */
export const usageRecordInputSchema = z.object({
  id: text('a string'),
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
  provider: text('a string').optional(),
  inputTokens: tokens,
  outputTokens: tokens,
  costUsd: nonNegative.optional(),
  durationMs: nonNegative.optional(),
  status: z
    .union([z.string().trim().max(MAX_TEXT), z.number().int()], {
      error: 'must be a string or a status code',
    })
    .transform(v => String(v))
    .optional(),
  keyAlias: text('a string').optional(),
  tags: z
    .array(text('a string'), { error: 'must be an array of strings' })
    .max(64, { error: 'must have at most 64 tags' })
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

function validateOne(
  value: unknown,
  at: string,
  records: UsageRecordInput[],
  issues: UsageValidationIssue[],
) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ field: at, message: 'must be an object' });
    return;
  }
  const parsed = usageRecordInputSchema.safeParse(withoutNulls(value));
  if (parsed.success) {
    records.push(parsed.data as UsageRecordInput);
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
 */
export function validateUsageRecords(
  input: unknown[],
  options: { path?: string } = {},
): UsageValidationResult {
  const base = options.path ?? 'records';
  const records: UsageRecordInput[] = [];
  const issues: UsageValidationIssue[] = [];
  input.forEach((value, i) =>
    validateOne(value, `${base}[${i}]`, records, issues),
  );
  return issues.length ? { issues } : { records };
}

/** Validates a `POST /usage` JSON body: `{ records: [...] }`. */
export function validateUsageBatch(body: unknown): UsageValidationResult {
  const records =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>).records
      : undefined;
  if (!Array.isArray(records)) {
    return {
      issues: [{ field: 'records', message: 'must be an array of records' }],
    };
  }
  return validateUsageRecords(records);
}

/**
 * Parses an NDJSON `POST /usage` body (one record per line, blank lines
 * skipped) and validates it; a line that is not JSON is named by its number.
 */
export function parseUsageNdjson(body: string): UsageValidationResult {
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
    validateOne(value, at, records, issues);
  });
  return issues.length ? { issues } : { records };
}

/** Formats validation issues as one line per field, for error messages. */
export function formatUsageIssues(issues: UsageValidationIssue[]): string {
  return issues.map(i => `${i.field}: ${i.message}`).join('; ');
}
