import {
  parseUsageTimestamp,
  USAGE_LIMITS,
  usageEntityRef,
  usageEntityRefCandidates,
  UsageRecordInput,
  UsageTimeWindow,
  UsageValidationIssue,
  validateUsageRecords,
} from '@aiplatform/plugin-ai-platform-node';

/**
 * Control characters or a lone surrogate: what `textProblem` refuses
 * besides length (any match sends the record to the full validator).
 */
const SUSPECT =
  // eslint-disable-next-line no-control-regex -- matching them is the point
  /[\u0000-\u001f\u007f-\u009f\uD800-\uDFFF]/;

/**
 * Text that certainly passes the schema's `text()` as it is (trimmed),
 * or undefined for anything the full validator must look at.
 */
function plainText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // UTF-16 units bound code points from above: within max units, it fits.
  if (text.length === 0 || text.length > max || SUSPECT.test(text)) {
    return undefined;
  }
  return text;
}

/** An optional text field: absent (undefined or null), fine, or not plain. */
function optionalText(value: unknown, max: number): string | null | false {
  if (value === undefined || value === null) return null;
  return plainText(value, max) ?? false;
}

function count(value: unknown, max: number, integer: boolean): boolean {
  return (
    typeof value === 'number' &&
    (integer ? Number.isInteger(value) : Number.isFinite(value)) &&
    value >= 0 &&
    value <= max
  );
}

function optionalCount(value: unknown, max: number): boolean {
  return value === undefined || value === null || count(value, max, false);
}

/**
 * The common, valid record, checked by hand: what `usageRecordInputSchema`
 * and the record checks of `validateUsageRecords` accept, in the form they
 * return it (strings trimmed, nulls dropped, unknown fields left out, a
 * numeric status as text). Undefined for anything less plain, which the
 * full validator then decides, so messages are exactly its own.
 */
export function plainUsageRecord(
  value: any,
  window: UsageTimeWindow | undefined,
): UsageRecordInput | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  const id = plainText(value.id, USAGE_LIMITS.idLength);
  const model = plainText(value.model, USAGE_LIMITS.textLength);
  if (id === undefined || model === undefined) return undefined;
  const timestamp = value.timestamp;
  if (typeof timestamp !== 'number' && typeof timestamp !== 'string')
    return undefined;
  const ts = parseUsageTimestamp(timestamp);
  if (ts === undefined) return undefined;
  if (window && (ts < window.from || ts > window.to)) return undefined;
  const { inputTokens, outputTokens, costUsd, durationMs } = value;
  if (
    !count(inputTokens, USAGE_LIMITS.maxTokens, true) ||
    !count(outputTokens, USAGE_LIMITS.maxTokens, true) ||
    !optionalCount(costUsd, USAGE_LIMITS.maxCostUsd) ||
    !optionalCount(durationMs, USAGE_LIMITS.maxDurationMs)
  ) {
    return undefined;
  }
  const entityRef = optionalText(value.entityRef, USAGE_LIMITS.textLength);
  const team = optionalText(value.team, USAGE_LIMITS.textLength);
  const provider = optionalText(value.provider, USAGE_LIMITS.providerLength);
  const keyAlias = optionalText(value.keyAlias, USAGE_LIMITS.textLength);
  if (
    entityRef === false ||
    team === false ||
    provider === false ||
    keyAlias === false ||
    (entityRef !== null && usageEntityRef(entityRef) === undefined)
  ) {
    return undefined;
  }
  let status: string | null | false = null;
  if (typeof value.status === 'number') {
    status =
      Number.isInteger(value.status) &&
      value.status >= 0 &&
      value.status <= 999 &&
      String(value.status);
  } else {
    status = optionalText(value.status, USAGE_LIMITS.statusLength);
  }
  if (status === false) return undefined;
  let tags: string[] | undefined;
  if (value.tags !== undefined && value.tags !== null) {
    if (!Array.isArray(value.tags) || value.tags.length > USAGE_LIMITS.maxTags)
      return undefined;
    tags = [];
    for (const tag of value.tags) {
      const text = plainText(tag, USAGE_LIMITS.textLength);
      if (text === undefined) return undefined;
      tags.push(text);
    }
  }
  const record: UsageRecordInput = {
    id,
    timestamp,
    model,
    inputTokens,
    outputTokens,
  };
  if (entityRef !== null) record.entityRef = entityRef;
  if (team !== null) record.team = team;
  if (provider !== null) record.provider = provider;
  if (costUsd !== undefined && costUsd !== null) record.costUsd = costUsd;
  if (durationMs !== undefined && durationMs !== null) {
    record.durationMs = durationMs;
  }
  if (status !== null) record.status = status;
  if (keyAlias !== null) record.keyAlias = keyAlias;
  if (tags) record.tags = tags;
  if (
    (tags || keyAlias !== null) &&
    usageEntityRefCandidates(record).join('\n').length >
      USAGE_LIMITS.entityRefsLength
  ) {
    return undefined;
  }
  return record;
}

/**
 * Validates one parsed usage record at `records[index]` for the streaming
 * path: the plain, valid record by hand (the hot path), anything else by
 * `validateUsageRecords` itself, so a refused record gets exactly the
 * issues (fields and messages) the JSON path reports.
 */
export function validateUsageRecordFast(
  value: unknown,
  index: number,
  window: UsageTimeWindow | undefined,
): { record: UsageRecordInput } | { issues: UsageValidationIssue[] } {
  const record = plainUsageRecord(value, window);
  if (record) return { record };
  const result = validateUsageRecords([value], { window });
  if ('records' in result) return { record: result.records[0] };
  const from = 'records[0]';
  const to = `records[${index}]`;
  return {
    issues: result.issues.map(issue => ({
      field: to + issue.field.slice(from.length),
      message: issue.message,
    })),
  };
}
