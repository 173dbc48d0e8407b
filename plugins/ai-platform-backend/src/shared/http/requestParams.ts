import { InputError } from '@backstage/errors';
import { normalizeRef } from '@aiplatform/plugin-ai-platform-node';

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const DAY = 86_400_000;
/** Longest dashboard range accepted. */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_DAYS = 30;

/** `aipipeline:<namespace>/<name>` from the path, with a 400 that names the part. */
export function pipelineRefFromPath(params: {
  namespace?: string;
  name?: string;
}): string {
  for (const part of ['namespace', 'name'] as const) {
    const value = params[part];
    if (!value || !NAME_PATTERN.test(value)) {
      throw new InputError(
        `Invalid path parameter ${part}: "${
          value ?? ''
        }" is not an entity ${part}`,
      );
    }
  }
  return `aipipeline:${params.namespace}/${params.name}`.toLowerCase();
}

/** A query parameter a route cannot do without: a 400 that says what to give. */
export function requiredQuery<T>(
  name: string,
  value: T | undefined,
  expected: string,
): T {
  if (value === undefined) {
    throw new InputError(`Missing query parameter ${name}: give ${expected}`);
  }
  return value;
}

/** An owner ref (Group or User) from a query parameter, with a 400 that names it. */
export function ownerFromQuery(
  name: string,
  value: unknown,
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(
      `Invalid query parameter ${name}: expected one entity ref such as group:default/ml-team`,
    );
  }
  let ref: string;
  try {
    ref = normalizeRef(value.trim(), { defaultKind: 'group' });
  } catch (e) {
    throw new InputError(
      `Invalid query parameter ${name}: "${value}" is not an entity ref (${
        (e as Error).message
      })`,
    );
  }
  const kind = ref.split(':')[0];
  if (kind !== 'group' && kind !== 'user') {
    throw new InputError(
      `Invalid query parameter ${name}: "${value}" must be a Group or a User`,
    );
  }
  return ref;
}

function timeFromQuery(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new InputError(
      `Invalid query parameter ${name}: "${String(
        value,
      )}" is not an ISO 8601 timestamp`,
    );
  }
  return ms;
}

/** `from`/`to` of a dashboard; defaults to the last 30 days. */
export function rangeFromQuery(query: { from?: unknown; to?: unknown }): {
  from: number;
  to: number;
} {
  const to = timeFromQuery('to', query.to) ?? Date.now();
  const from =
    timeFromQuery('from', query.from) ?? to - DEFAULT_RANGE_DAYS * DAY;
  if (from >= to) {
    throw new InputError('Invalid query parameter from: must be before to');
  }
  if (to - from > MAX_RANGE_DAYS * DAY) {
    throw new InputError(
      `Invalid query parameter from: the range may span at most ${MAX_RANGE_DAYS} days`,
    );
  }
  return { from, to };
}

/** A positive integer query parameter with a default and a maximum. */
export function limitFromQuery(
  name: string,
  value: unknown,
  defaults: { value: number; max: number },
): number {
  if (value === undefined) return defaults.value;
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > defaults.max) {
    throw new InputError(
      `Invalid query parameter ${name}: expected an integer from 1 to ${defaults.max}`,
    );
  }
  return n;
}

/** An entity ref from a query parameter (any kind), lowercased. */
export function entityRefFromQuery(
  name: string,
  value: unknown,
): string | undefined {
  if (value === undefined) return undefined;
  try {
    if (typeof value !== 'string') throw new Error('expected one value');
    return normalizeRef(value.trim());
  } catch (e) {
    throw new InputError(
      `Invalid query parameter ${name}: "${String(
        value,
      )}" is not an entity ref (${(e as Error).message})`,
    );
  }
}

/** The query of the `/spend` routes, with 400s that name the parameter. */
export function spendQueryFromRequest(query: Record<string, unknown>): {
  from: number;
  to: number;
  groupBy: 'team' | 'service' | 'model' | 'pipeline';
  team?: string;
  includeSubteams: boolean;
} {
  const { from, to } = rangeFromQuery(query);
  const groupBy = query.groupBy ?? 'team';
  if (
    typeof groupBy !== 'string' ||
    !['team', 'service', 'model', 'pipeline'].includes(groupBy)
  ) {
    throw new InputError(
      'Invalid query parameter groupBy: expected team, service, model or pipeline',
    );
  }
  const team = ownerFromQuery('team', query.team);
  if (team && !team.startsWith('group:')) {
    throw new InputError('Invalid query parameter team: must be a Group');
  }
  const sub = query.includeSubteams;
  if (sub !== undefined && sub !== 'true' && sub !== 'false') {
    throw new InputError(
      'Invalid query parameter includeSubteams: expected true or false',
    );
  }
  return {
    from,
    to,
    groupBy: groupBy as 'team' | 'service' | 'model' | 'pipeline',
    team,
    includeSubteams: sub === 'true',
  };
}
