import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_MEMBER,
  RELATION_PARENT_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogEntitySummary, OwnershipCatalog } from './types';

/**
 * Normalizes a ref as written in YAML to a full, lowercase ref.
 *
 * @public
 */
export function normalizeRef(
  ref: string,
  defaults: { defaultKind?: string; defaultNamespace?: string } = {},
): string {
  return stringifyEntityRef(
    parseEntityRef(ref, {
      defaultKind: defaults.defaultKind,
      defaultNamespace: defaults.defaultNamespace ?? 'default',
    }),
  ).toLowerCase();
}

/**
 * Like {@link normalizeRef} but returns undefined for a malformed ref.
 *
 * @public
 */
export function tryNormalizeRef(
  ref: string,
  defaults: { defaultKind?: string; defaultNamespace?: string } = {},
): string | undefined {
  try {
    return normalizeRef(ref, defaults);
  } catch {
    return undefined;
  }
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLowerCase());
}

function asStringArray(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

/**
 * Extracts what the ownership analysis needs from a catalog entity.
 *
 * @public
 */
export function summarizeEntity(entity: Entity): CatalogEntitySummary {
  const namespace = entity.metadata.namespace ?? 'default';
  const ref = stringifyEntityRef(entity).toLowerCase();
  const kind = entity.kind.toLowerCase();
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const summary: CatalogEntitySummary = { ref, kind };

  if (typeof spec.owner === 'string') {
    summary.owner = tryNormalizeRef(spec.owner, {
      defaultKind: 'group',
      defaultNamespace: namespace,
    });
  }
  if (kind === 'group') {
    const members = relationTargets(entity, RELATION_HAS_MEMBER);
    summary.memberCount = entity.relations
      ? members.length
      : asStringArray(spec.members).length;
    summary.children = entity.relations
      ? relationTargets(entity, RELATION_PARENT_OF)
      : asStringArray(spec.children).flatMap(
          c =>
            tryNormalizeRef(c, {
              defaultKind: 'group',
              defaultNamespace: namespace,
            }) ?? [],
        );
  }
  summary.dependsOn = entity.relations
    ? relationTargets(entity, RELATION_DEPENDS_ON)
    : asStringArray(spec.dependsOn).flatMap(
        d => tryNormalizeRef(d, { defaultNamespace: namespace }) ?? [],
      );
  if (entity.relations) {
    summary.dependents = relationTargets(entity, RELATION_DEPENDENCY_OF);
  }
  return summary;
}

function addTo(map: Map<string, Set<string>>, key: string, value: string) {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/**
 * An in-memory {@link OwnershipCatalog} over a set of entities.
 *
 * @public
 */
export function buildCatalogIndex(entities: Entity[]): OwnershipCatalog {
  const byRef = new Map<string, CatalogEntitySummary>();
  const dependents = new Map<string, Set<string>>();
  for (const entity of entities) {
    const summary = summarizeEntity(entity);
    byRef.set(summary.ref, summary);
    for (const target of summary.dependsOn ?? []) {
      addTo(dependents, target, summary.ref);
    }
    for (const dependent of summary.dependents ?? []) {
      addTo(dependents, summary.ref, dependent);
    }
  }
  return {
    entity: ref => byRef.get(ref),
    dependentsOf: ref => [...(dependents.get(ref) ?? [])],
  };
}

/**
 * A group and all groups below it, following `children`.
 *
 * @public
 */
export function groupSubtree(
  catalog: OwnershipCatalog,
  groupRef: string,
): Set<string> {
  const seen = new Set<string>();
  const queue = [groupRef];
  while (queue.length) {
    const ref = queue.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    queue.push(...(catalog.entity(ref)?.children ?? []));
  }
  return seen;
}
