import { makeValidator, parseEntityRef } from '@backstage/catalog-model';

const validators = makeValidator();

/**
 * The entity ref in `value` when it is one that can be linked to: an
 * explicit `kind:[namespace/]name` whose parts are valid catalog names, of
 * one of `kinds` (any kind when not given; compared case-insensitively).
 * Undefined for anything else: the backend's own subject (`ai-platform`),
 * a service subject (`ci-ingest`, `plugin:catalog` outside `kinds`), free
 * text, an empty or over-long string. Never throws.
 */
export function linkableEntityRef(
  value: unknown,
  kinds?: readonly string[],
): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > 255) {
    return undefined;
  }
  // A kind is required: a bare name is not a ref, whatever it looks like.
  const colon = value.indexOf(':');
  const slash = value.indexOf('/');
  if (colon <= 0 || (slash !== -1 && slash < colon)) return undefined;
  let ref;
  try {
    ref = parseEntityRef(value);
  } catch {
    return undefined;
  }
  if (
    !validators.isValidKind(ref.kind) ||
    // Refs are case-insensitive; namespaces are stored lowercase.
    !validators.isValidNamespace(ref.namespace.toLocaleLowerCase('en-US')) ||
    !validators.isValidEntityName(ref.name)
  ) {
    return undefined;
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kinds && !kinds.some(k => k.toLocaleLowerCase('en-US') === kind)) {
    return undefined;
  }
  return value;
}

/**
 * Kinds of actor that are links: users. Anything else an actor can be (the
 * backend's own `ai-platform`, a service subject such as `ci-ingest` or
 * `plugin:catalog`) is text.
 */
export const ACTOR_KINDS: readonly string[] = ['user'];

/** Kinds of owner that are links: groups and users. */
export const OWNER_KINDS: readonly string[] = ['group', 'user'];
