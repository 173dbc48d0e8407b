import { entityRefFromTag, explicitEntityRef, usageEntityRef } from './refs';
import { parseUsageTimestamp } from './timestamp';
import { UsageRecordInput } from './types';
import {
  UsageTimeWindow,
  UsageValidationIssue,
  UsageValidationResult,
  validateUsageRecords,
} from './usageSchema';

/**
 * One row of LiteLLM's `SpendLogs` table as its spend-log API serves it
 * (`GET /spend/logs/v2`). Only the columns the mapping reads are typed.
 *
 * @public
 */
export interface LiteLLMSpendLog {
  request_id?: string | null;
  call_type?: string | null;
  api_key?: string | null;
  /** Not a SpendLogs column, but some exports carry the key alias here. */
  api_key_alias?: string | null;
  spend?: number | null;
  total_tokens?: number | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  startTime?: string | number | null;
  endTime?: string | number | null;
  request_duration_ms?: number | null;
  model?: string | null;
  model_group?: string | null;
  custom_llm_provider?: string | null;
  user?: string | null;
  /** JSON object, or a JSON string of one. */
  metadata?: Record<string, unknown> | string | null;
  /** `"True"`/`"False"` in the table; a boolean in some exports. */
  cache_hit?: string | boolean | null;
  /** JSON array of strings, or a JSON string of one. */
  request_tags?: string[] | string | null;
  team_id?: string | null;
  organization_id?: string | null;
  end_user?: string | null;
  session_id?: string | null;
  status?: string | null;
  [column: string]: unknown;
}

/**
 * A page of `GET /spend/logs/v2`.
 *
 * @public
 */
export interface LiteLLMSpendLogPage {
  data: LiteLLMSpendLog[];
  total?: number;
  page?: number;
  page_size?: number;
  total_pages?: number;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      return asObject(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asStrings(value: unknown): string[] {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!trimmed) return [];
    try {
      return asStrings(JSON.parse(trimmed));
    } catch {
      // A single tag written as a bare string.
      return [trimmed];
    }
  }
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && !!v.trim())
    : [];
}

function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** Numbers as LiteLLM exports write them (Prisma decimals may be strings). */
function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() && Number.isFinite(+value)) {
    return Number(value);
  }
  return undefined;
}

/**
 * A numeric column: its number, `fallback` when the row holds none (null or
 * absent), or else the value as it came, for validation to refuse and name
 * (`prompt_tokens: "many"` is not 0 tokens).
 */
function numericColumn<T>(value: unknown, fallback: T): number | T | unknown {
  if (value === undefined || value === null) return fallback;
  return num(value) ?? value;
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^true$/i.test(value));
}

/** Where a client may put `backstage_entity` in LiteLLM metadata. */
function metadataEntity(metadata: Record<string, unknown>): string | undefined {
  for (const holder of [
    metadata,
    asObject(metadata.spend_logs_metadata),
    asObject(metadata.requester_metadata),
  ]) {
    // A field that exists to name the entity: the kind may be left out.
    const ref = usageEntityRef(holder?.backstage_entity);
    if (ref) return ref;
  }
  return undefined;
}

/**
 * The entity of a LiteLLM call, in order: a `backstage:<ref>` request tag;
 * the key alias (a top-level `api_key_alias`, else LiteLLM's
 * `metadata.user_api_key_alias`) when it is an entity ref, as the
 * gateway-route scaffolder names keys; then metadata: `backstage_entity`
 * (top-level, under `spend_logs_metadata` or `requester_metadata`; the kind
 * defaults to component) and a `backstage:<ref>` in `metadata.tags`.
 */
function resolveEntity(
  requestTags: string[],
  keyAlias: string | undefined,
  metadata: Record<string, unknown>,
): string | undefined {
  for (const tag of requestTags) {
    const ref = entityRefFromTag(tag);
    if (ref) return ref;
  }
  const aliasRef = explicitEntityRef(keyAlias);
  if (aliasRef) return aliasRef;
  const fromMetadata = metadataEntity(metadata);
  if (fromMetadata) return fromMetadata;
  for (const tag of asStrings(metadata.tags)) {
    const ref = entityRefFromTag(tag);
    if (ref) return ref;
  }
  return undefined;
}

/** Tags LiteLLM adds on its own, which name no service. */
function isNoiseTag(tag: string): boolean {
  return /^user-agent:/i.test(tag);
}

function durationMs(row: LiteLLMSpendLog): number | undefined {
  const direct = numericColumn(row.request_duration_ms, undefined);
  if (direct !== undefined) return direct as number;
  const start = parseUsageTimestamp(row.startTime);
  const end = parseUsageTimestamp(row.endTime);
  return start !== undefined && end !== undefined && end >= start
    ? end - start
    : undefined;
}

/**
 * The LiteLLM cost, or undefined when LiteLLM did not know it: it logs a
 * spend of 0 for a model missing from its cost map, which must not read as
 * free. A 0 is kept when it is real: a cache hit, or no tokens.
 */
function gatewayCost(
  row: LiteLLMSpendLog,
  inputTokens: number,
  outputTokens: number,
): number | undefined {
  if (row.spend === undefined || row.spend === null) return undefined;
  const spend = num(row.spend);
  // Not a number: passed on for validation to refuse.
  if (spend === undefined) return row.spend as unknown as number;
  if (spend === 0 && !isTrue(row.cache_hit)) {
    return inputTokens + outputTokens > 0 ? undefined : 0;
  }
  return spend;
}

/**
 * Maps one LiteLLM `SpendLogs` row to a usage record: `request_id` → id,
 * `startTime` → timestamp (ISO or `YYYY-MM-DD HH:MM:SS`, UTC),
 * `model_group` (else `model`) → model, `custom_llm_provider` → provider,
 * `prompt_tokens`/`completion_tokens` → tokens (null read as 0, the
 * column default), `spend` → costUsd,
 * `request_duration_ms` (else endTime − startTime) → durationMs,
 * `team_id` (else `metadata.user_api_key_team_id`) → team, `status`;
 * request tags and `metadata.tags` → tags; key alias from a top-level
 * `api_key_alias`, else `metadata.user_api_key_alias`. The entity comes
 * from the first of: a `backstage:<ref>` request tag, a key alias that is an
 * entity ref, then metadata (see `resolveEntity`).
 *
 * The result is not validated: run {@link parseLiteLLMBody} (or
 * `validateUsageRecords`) on rows from outside.
 *
 * @public
 */
export function fromLiteLLMSpendLog(row: LiteLLMSpendLog): UsageRecordInput {
  const metadata = asObject(row.metadata) ?? {};
  const requestTags = asStrings(row.request_tags);
  // Validated like any record's tags: too many, or one too long, refuses the
  // row rather than being cut.
  const tags = [...new Set([...requestTags, ...asStrings(metadata.tags)])]
    .map(t => t.trim())
    .filter(t => !isNoiseTag(t));
  const keyAlias = str(row.api_key_alias) ?? str(metadata.user_api_key_alias);
  // LiteLLM's token columns default to 0; old or failed rows may hold null.
  // Anything else that is not a number is passed on for validation to refuse.
  const inputTokens = numericColumn(row.prompt_tokens, 0) as number;
  const outputTokens = numericColumn(row.completion_tokens, 0) as number;
  const start = parseUsageTimestamp(row.startTime);
  const timestamp =
    start !== undefined
      ? new Date(start).toISOString()
      : // Left as it came, for validation to name.
        (row.startTime as string);

  const record: UsageRecordInput = {
    id: row.request_id as string,
    timestamp,
    model: (str(row.model_group) ?? str(row.model)) as string,
    inputTokens,
    outputTokens,
  };
  const entityRef = resolveEntity(requestTags, keyAlias, metadata);
  const team = str(row.team_id) ?? str(metadata.user_api_key_team_id);
  const provider = str(row.custom_llm_provider);
  const costUsd = gatewayCost(row, inputTokens, outputTokens);
  const duration = durationMs(row);
  const status = str(row.status);
  if (entityRef) record.entityRef = entityRef;
  if (team) record.team = team;
  if (provider) record.provider = provider;
  if (costUsd !== undefined) record.costUsd = costUsd;
  if (duration !== undefined) record.durationMs = duration;
  if (status) record.status = status;
  if (keyAlias) record.keyAlias = keyAlias;
  if (tags.length) record.tags = tags;
  return record;
}

/** Usage record fields → the LiteLLM columns they come from, for messages. */
const LITELLM_COLUMN: Record<string, string> = {
  id: 'request_id',
  timestamp: 'startTime',
  model: 'model_group',
  provider: 'custom_llm_provider',
  inputTokens: 'prompt_tokens',
  outputTokens: 'completion_tokens',
  costUsd: 'spend',
  durationMs: 'request_duration_ms',
  team: 'team_id',
  status: 'status',
  keyAlias: 'metadata.user_api_key_alias',
  tags: 'request_tags',
  entityRef: 'metadata.backstage_entity',
};

function isPage(body: unknown): body is LiteLLMSpendLogPage {
  return (
    !!body &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    Array.isArray((body as Record<string, unknown>).data)
  );
}

/**
 * Reads a `POST /usage/litellm` body: a bare array of `SpendLogs` rows or a
 * `/spend/logs/v2` page (`{ data, total, page, page_size, total_pages }`).
 * Maps every row and validates the result; issues name the LiteLLM column
 * (`data[3].prompt_tokens`, or `[3].prompt_tokens` for a bare array).
 *
 * @public
 */
export function parseLiteLLMBody(
  body: unknown,
  options: { window?: UsageTimeWindow } = {},
): UsageValidationResult {
  let rows: unknown[];
  let base: string;
  if (Array.isArray(body)) {
    rows = body;
    base = '';
  } else if (isPage(body)) {
    rows = body.data;
    base = 'data';
  } else {
    return {
      issues: [
        {
          field: '(body)',
          message:
            'must be an array of LiteLLM SpendLogs rows or a /spend/logs/v2 page { data: [...] }',
        },
      ],
    };
  }
  const issues: UsageValidationIssue[] = [];
  const mapped: unknown[] = rows.map((row, i) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      issues.push({ field: `${base}[${i}]`, message: 'must be an object' });
      return undefined;
    }
    return fromLiteLLMSpendLog(row as LiteLLMSpendLog);
  });
  const result = validateUsageRecords(mapped, {
    path: base,
    window: options.window,
  });
  if ('issues' in result) {
    for (const issue of result.issues) {
      const m = /^(.*?\[\d+\])(?:\.(\w+)(.*))?$/.exec(issue.field);
      if (!m) {
        issues.push(issue);
        continue;
      }
      const [, at, field, rest = ''] = m;
      if (!field) {
        // Already reported above (not an object).
        if (issues.some(i => i.field === at)) continue;
        issues.push(issue);
        continue;
      }
      issues.push({
        field: `${at}.${LITELLM_COLUMN[field] ?? field}${rest}`,
        message: issue.message,
      });
    }
  }
  if (!issues.length && 'records' in result) return result;
  // Row by row, in the order of the body.
  const rowOf = (field: string) => Number(/\[(\d+)\]/.exec(field)?.[1] ?? -1);
  return { issues: issues.sort((a, b) => rowOf(a.field) - rowOf(b.field)) };
}
