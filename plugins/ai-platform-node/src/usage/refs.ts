import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The tag prefix that names a catalog entity: `backstage:component:default/answers`.
 *
 * @public
 */
export const BACKSTAGE_TAG_PREFIX = 'backstage:';

/**
 * Remembers a pure function of a string for the last 10,000 strings it saw
 * (then starts over): ingestion reads the same few hundred refs in every
 * record, and parsing one is the costliest check of a record.
 */
function memoized(
  fn: (text: string) => string | undefined,
): (text: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return text => {
    if (cache.has(text)) return cache.get(text);
    const result = fn(text);
    if (cache.size >= 10_000) cache.clear();
    cache.set(text, result);
    return result;
  };
}

function isRefPart(part: string): boolean {
  return /^[a-z0-9]([\w.-]*[a-z0-9])?$/i.test(part);
}

const explicitRef = memoized(value => {
  const text = value.trim();
  if (!/^[a-z0-9][\w.-]*:/i.test(text)) return undefined;
  try {
    const ref = parseEntityRef(text, { defaultNamespace: 'default' });
    // parseEntityRef accepts some odd shapes; only keep well-formed names.
    if (![ref.kind, ref.namespace, ref.name].every(isRefPart)) return undefined;
    return stringifyEntityRef(ref).toLowerCase();
  } catch {
    return undefined;
  }
});

const usageRef = memoized(value => {
  const text = value.trim();
  try {
    const ref = parseEntityRef(text, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    if (![ref.kind, ref.namespace, ref.name].every(isRefPart)) return undefined;
    return stringifyEntityRef(ref).toLowerCase();
  } catch {
    return undefined;
  }
});

/**
 * Reads a string that must itself say its kind (`component:answers`,
 * `component:default/answers`) as a full, lowercase entity ref; undefined
 * for anything else. Used for key aliases and tags, where a bare name such as
 * `prod-key` is an alias, not a ref.
 *
 * @public
 */
export function explicitEntityRef(value: unknown): string | undefined {
  return typeof value === 'string' ? explicitRef(value) : undefined;
}

/**
 * The entity ref of `POST /usage`'s `entityRef` field: the kind defaults to
 * `component` and the namespace to `default`, so `answers` is
 * `component:default/answers`. Undefined when it is not a ref.
 *
 * @public
 */
export function usageEntityRef(value: unknown): string | undefined {
  return typeof value === 'string' ? usageRef(value) : undefined;
}

/**
 * The entity ref a `backstage:<ref>` tag names, if it is one.
 *
 * @public
 */
export function entityRefFromTag(tag: unknown): string | undefined {
  if (typeof tag !== 'string') return undefined;
  const text = tag.trim();
  if (
    text.slice(0, BACKSTAGE_TAG_PREFIX.length).toLowerCase() !== 'backstage:'
  ) {
    return undefined;
  }
  return explicitEntityRef(text.slice(BACKSTAGE_TAG_PREFIX.length));
}

/**
 * Every entity a record names, in order of precedence and without repeats:
 * its `entityRef`, then `backstage:<ref>` tags, then a key alias that is
 * itself an entity ref.
 *
 * @public
 */
export function usageEntityRefCandidates(record: {
  entityRef?: string | null;
  tags?: readonly string[] | null;
  keyAlias?: string | null;
}): string[] {
  const refs = [
    record.entityRef ? usageEntityRef(record.entityRef) : undefined,
    ...(record.tags ?? []).map(entityRefFromTag),
    explicitEntityRef(record.keyAlias),
  ];
  return [...new Set(refs.filter((r): r is string => !!r))];
}

/**
 * The first entity a record names (see {@link usageEntityRefCandidates}), or null.
 *
 * @public
 */
export function resolveUsageEntityRef(record: {
  entityRef?: string | null;
  tags?: readonly string[] | null;
  keyAlias?: string | null;
}): string | null {
  return usageEntityRefCandidates(record)[0] ?? null;
}
