import { InputError } from '@backstage/errors';
import { SpendGroupBy } from '@aiplatform/plugin-ai-platform-common';
import { normalizeRef } from '@aiplatform/plugin-ai-platform-node';

// The OpenAPI spec checks the shape of each parameter before the handler
// runs (name patterns, formats, enums, integer bounds, required ones); what
// is left here is what the spec cannot say: entity refs and their kinds,
// and ranges. The actions for agents read their inputs through the same
// functions: `source` names where a value came from in the 400's message
// (`query parameter` for a route, `input` for an action).

/** Where a parameter came from, for the 400's message. */
export type ParamSource = 'query parameter' | 'input';

const DAY = 86_400_000;
/** Longest dashboard range accepted. */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_RANGE_DAYS = 30;

/** `aipipeline:<namespace>/<name>` of the path (its parts match the spec's pattern). */
export function pipelineRefFromPath(params: {
  namespace: string;
  name: string;
}): string {
  return `aipipeline:${params.namespace}/${params.name}`.toLowerCase();
}

/** An owner ref (Group or User) from a query parameter, with a 400 that names it. */
export function ownerFromQuery(
  name: string,
  value: string | undefined,
  source: ParamSource = 'query parameter',
): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') {
    throw new InputError(
      `Invalid ${source} ${name}: expected one entity ref such as group:default/ml-team`,
    );
  }
  let ref: string;
  try {
    ref = normalizeRef(value.trim(), { defaultKind: 'group' });
  } catch (e) {
    throw new InputError(
      `Invalid ${source} ${name}: "${value}" is not an entity ref (${
        (e as Error).message
      })`,
    );
  }
  const kind = ref.split(':')[0];
  if (kind !== 'group' && kind !== 'user') {
    throw new InputError(
      `Invalid ${source} ${name}: "${value}" must be a Group or a User`,
    );
  }
  return ref;
}

function timeFromQuery(
  name: string,
  value: string | undefined,
  source: ParamSource,
): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new InputError(
      `Invalid ${source} ${name}: "${value}" is not an ISO 8601 timestamp`,
    );
  }
  return ms;
}

/**
 * `from`/`to` of a dashboard; defaults to the last `defaultDays` days
 * (30 unless told).
 */
export function rangeFromQuery(
  query: { from?: string; to?: string },
  options: { defaultDays?: number; source?: ParamSource } = {},
): {
  from: number;
  to: number;
} {
  const source = options.source ?? 'query parameter';
  const defaultDays = options.defaultDays ?? DEFAULT_RANGE_DAYS;
  const to = timeFromQuery('to', query.to, source) ?? Date.now();
  const from =
    timeFromQuery('from', query.from, source) ?? to - defaultDays * DAY;
  if (from >= to) {
    throw new InputError(`Invalid ${source} from: must be before to`);
  }
  if (to - from > MAX_RANGE_DAYS * DAY) {
    throw new InputError(
      `Invalid ${source} from: the range may span at most ${MAX_RANGE_DAYS} days`,
    );
  }
  return { from, to };
}

/** An entity ref from a query parameter (any kind), lowercased. */
export function entityRefFromQuery(
  name: string,
  value: string | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  try {
    return normalizeRef(value.trim());
  } catch (e) {
    throw new InputError(
      `Invalid query parameter ${name}: "${value}" is not an entity ref (${
        (e as Error).message
      })`,
    );
  }
}

/** The query of the `/spend` routes, with 400s that name the parameter. */
export function spendQueryFromRequest(
  query: {
    from?: string;
    to?: string;
    groupBy?: SpendGroupBy;
    team?: string;
    includeSubteams?: boolean;
  },
  source: ParamSource = 'query parameter',
): {
  from: number;
  to: number;
  groupBy: SpendGroupBy;
  team?: string;
  includeSubteams: boolean;
} {
  const { from, to } = rangeFromQuery(query, { source });
  const team = ownerFromQuery('team', query.team, source);
  if (team && !team.startsWith('group:')) {
    throw new InputError(`Invalid ${source} team: must be a Group`);
  }
  return {
    from,
    to,
    // The validator fills in the spec's default; its type does not say so.
    groupBy: query.groupBy ?? 'team',
    team,
    includeSubteams: query.includeSubteams === true,
  };
}
