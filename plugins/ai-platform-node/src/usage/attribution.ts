import { UnattributedKey } from '@aiplatform/plugin-ai-platform-common';
import { tryNormalizeRef } from '../ownership/catalogIndex';
import { OwnershipCatalog } from '../ownership/types';
import { entityRefFromTag, usageEntityRefCandidates } from './refs';

/**
 * Group ref → the refs of the groups that list it as a child.
 *
 * @public
 */
export type GroupParents = ReadonlyMap<string, readonly string[]>;

/**
 * Builds the child → parents map of the org chart once, from the `children`
 * of the given groups' catalog summaries (the catalog index has no list of
 * groups, hence `groupRefs`). A group normally has one parent; the map keeps
 * every parent that lists it.
 *
 * @public
 */
export function buildGroupParents(
  catalog: OwnershipCatalog,
  groupRefs: Iterable<string>,
): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const raw of groupRefs) {
    const ref = tryNormalizeRef(raw, { defaultKind: 'group' });
    const summary = ref ? catalog.entity(ref) : undefined;
    if (!ref || !summary) continue;
    for (const child of summary.children ?? []) {
      const list = parents.get(child);
      if (!list) parents.set(child, [ref]);
      else if (!list.includes(ref)) list.push(ref);
    }
  }
  return parents;
}

/**
 * The groups above a group, nearest first; safe against cycles.
 *
 * @public
 */
export function groupAncestors(
  parents: GroupParents,
  groupRef: string,
): string[] {
  const seen = new Set([groupRef]);
  const result: string[] = [];
  let level = [groupRef];
  while (level.length) {
    const next: string[] = [];
    for (const ref of level) {
      for (const parent of parents.get(ref) ?? []) {
        if (seen.has(parent)) continue;
        seen.add(parent);
        result.push(parent);
        next.push(parent);
      }
    }
    level = next;
  }
  return result;
}

/**
 * Who a usage record is charged to.
 *
 * @public
 */
export interface UsageAttribution {
  /** The catalog entity the record names (known to the catalog), else null. */
  entityRef: string | null;
  /** The owning group (or user) of the entity, or the Group the team names. */
  owner: string | null;
  /** `owner` and every group above it, nearest first: the spend rollup. */
  teams: string[];
  /**
   * AIPipelines the usage serves: the entity itself when it is one, else the
   * pipelines that depend on it (one of their stage entities).
   */
  pipelines: string[];
  /** How it was attributed; null = unattributed. */
  via: 'entity' | 'team' | null;
}

/**
 * What {@link attributeUsage} reads of a record (input or stored form).
 *
 * @public
 */
export interface AttributableUsage {
  entityRef?: string | null;
  team?: string | null;
  keyAlias?: string | null;
  tags?: readonly string[] | null;
}

/**
 * The catalog Group a gateway team id names, if any: a group ref
 * (`group:default/ml-team`, `default/ml-team`) or a bare group name in the
 * default namespace (`ml-team`), matched case-insensitively. LiteLLM team
 * ids are UUIDs unless set on `POST /team/new`; the gateway-route scaffolder
 * sets them to the owning group's name so this join works.
 *
 * @public
 */
export function teamGroupRef(
  team: string | null | undefined,
  catalog: OwnershipCatalog,
): string | undefined {
  if (!team?.trim()) return undefined;
  const ref = tryNormalizeRef(team.trim(), { defaultKind: 'group' });
  if (!ref) return undefined;
  return catalog.entity(ref)?.kind === 'group' ? ref : undefined;
}

const UNATTRIBUTED: UsageAttribution = {
  entityRef: null,
  owner: null,
  teams: [],
  pipelines: [],
  via: null,
};

/**
 * Attributes one usage record through the catalog:
 * 1. the first entity the record names that the catalog knows (its
 *    `entityRef`, a `backstage:<ref>` tag, a key alias that is a ref) →
 *    its owner (a Group entity owns itself) → the groups above;
 * 2. else, when `team` names a catalog Group, that group directly
 *    (`entityRef` null, `owner` = the group): gateway teams set up per
 *    Backstage group are charged to it even without a service;
 * 3. else unattributed (all null/empty); name it with {@link unattributedKey}.
 * An `entityRef` the catalog does not know never attributes: the record is
 * shadow AI until the entity is registered.
 *
 * @public
 */
export function attributeUsage(
  record: AttributableUsage,
  catalog: OwnershipCatalog,
  parents: GroupParents,
): UsageAttribution {
  const rollup = (owner: string) => [owner, ...groupAncestors(parents, owner)];
  for (const ref of usageEntityRefCandidates(record)) {
    const summary = catalog.entity(ref);
    if (!summary) continue;
    const owner = summary.kind === 'group' ? ref : summary.owner ?? null;
    return {
      entityRef: ref,
      owner,
      teams: owner ? rollup(owner) : [],
      pipelines:
        summary.kind === 'aipipeline'
          ? [ref]
          : catalog
              .dependentsOf(ref)
              .filter(d => d.startsWith('aipipeline:'))
              .sort(),
      via: 'entity',
    };
  }
  const group = teamGroupRef(record.team, catalog);
  if (group) {
    return {
      entityRef: null,
      owner: group,
      teams: rollup(group),
      pipelines: [],
      via: 'team',
    };
  }
  return { ...UNATTRIBUTED, teams: [], pipelines: [] };
}

/**
 * Attributes records against one catalog snapshot, building the org chart once.
 *
 * @public
 */
export function createUsageAttributor(
  catalog: OwnershipCatalog,
  groupRefs: Iterable<string>,
): (record: AttributableUsage) => UsageAttribution {
  const parents = buildGroupParents(catalog, groupRefs);
  return record => attributeUsage(record, catalog, parents);
}

/** Tags LiteLLM adds on its own, which name nothing. */
function isNoiseTag(tag: string): boolean {
  return /^user-agent:/i.test(tag);
}

/**
 * Names usage that no entity or group claims, so shadow AI can be chased:
 * the key alias, else the gateway team id, else a tag (a `backstage:` tag
 * first, it names the missing entity), else `unknown` (keyed by the unknown
 * `entityRef` when there is one, so it still says what to register).
 *
 * @public
 */
export function unattributedKey(record: AttributableUsage): UnattributedKey {
  if (record.keyAlias?.trim()) {
    return { key: record.keyAlias.trim(), keyType: 'key-alias' };
  }
  if (record.team?.trim()) {
    return { key: record.team.trim(), keyType: 'team' };
  }
  const tags = (record.tags ?? []).map(t => t.trim()).filter(t => t);
  const tag =
    tags.find(t => entityRefFromTag(t)) ?? tags.find(t => !isNoiseTag(t));
  if (tag) return { key: tag, keyType: 'tag' };
  return { key: record.entityRef?.trim() || 'unknown', keyType: 'unknown' };
}
