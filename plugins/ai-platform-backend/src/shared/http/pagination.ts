import { ListOptions, PageInfo } from '@aiplatform/plugin-ai-platform-common';

/** Default `limit` of the paginated list routes. */
export const DEFAULT_PAGE_LIMIT = 100;
/** Largest `limit` the paginated list routes accept (the spec says so too). */
export const MAX_PAGE_LIMIT = 500;
/** Longest `q` the paginated list routes accept (the spec says so too). */
export const MAX_QUERY_LENGTH = 200;

/**
 * What a caller asks of a paginated list: a page (`limit`, `offset`), a
 * case-insensitive substring filter `q`, and a sort key (`-key` descends).
 */
export type ListQuery<K extends string> = ListOptions<K>;

/** How a list is filtered and sorted: one entry per sort key. */
export interface ListSpec<T, K extends string> {
  /** The texts `q` is matched against (case-insensitive substring). */
  text: (item: T) => Array<string | undefined | null>;
  /** Comparable value of each sort key. */
  keys: Record<K, (item: T) => string | number>;
  /** The sort key without `sort`. */
  defaultSort: K;
  /** Breaks ties so that the order is stable across pages. */
  tieBreaker: (item: T) => string;
}

/** One page of a list, with the count after filtering. */
export interface Page<T> extends PageInfo {
  items: T[];
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  if (x < y) return -1;
  if (x > y) return 1;
  return 0;
}

/**
 * Filters `items` by `query.q`, sorts them by `query.sort` (ties by the
 * tie breaker, ascending), then cuts the page. Without a query (the
 * service's own callers) every item is returned, and `limit` is their count.
 * Bounds are checked by the OpenAPI spec before this runs; this clamps
 * them anyway so that an internal caller cannot ask for a negative page.
 */
export function paginate<T, K extends string>(
  items: readonly T[],
  spec: ListSpec<T, K>,
  query?: ListQuery<K>,
): Page<T> {
  const needle = query?.q?.trim().toLowerCase();
  const filtered = needle
    ? items.filter(item =>
        spec
          .text(item)
          .some(t => typeof t === 'string' && t.toLowerCase().includes(needle)),
      )
    : [...items];

  const sort = query?.sort ?? spec.defaultSort;
  const descending = sort.startsWith('-');
  const key = (descending ? sort.slice(1) : sort) as K;
  const value = spec.keys[key] ?? spec.keys[spec.defaultSort];
  filtered.sort((a, b) => {
    const byKey = compare(value(a), value(b));
    if (byKey !== 0) return descending ? -byKey : byKey;
    return compare(spec.tieBreaker(a), spec.tieBreaker(b));
  });

  const totalItems = filtered.length;
  if (!query) {
    return { items: filtered, totalItems, limit: totalItems, offset: 0 };
  }
  const limit = Math.min(
    Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE_LIMIT), 1),
    MAX_PAGE_LIMIT,
  );
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  return {
    items: filtered.slice(offset, offset + limit),
    totalItems,
    limit,
    offset,
  };
}

/**
 * The list query of a request whose parameters the spec has checked; always
 * a query (so the route paginates, with the defaults when none is given).
 */
export function listQuery<K extends string>(query: {
  limit?: number;
  offset?: number;
  q?: string;
  sort?: K | `-${K}`;
}): ListQuery<K> {
  return {
    limit: query.limit ?? DEFAULT_PAGE_LIMIT,
    offset: query.offset ?? 0,
    q: query.q,
    sort: query.sort,
  };
}
