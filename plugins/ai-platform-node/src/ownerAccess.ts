import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { tryNormalizeRef } from './ownership/catalogIndex';

/**
 * Config key of the groups whose members may act for every team.
 *
 * @public
 */
export const ADMIN_GROUPS_KEY = 'aiPlatform.adminGroups';

/** How far up the group tree the check looks (a guard against cycles). */
const MAX_ANCESTORS = 100;

/**
 * Which entities a ref may name, and the kind a bare name defaults to.
 *
 * @public
 */
export interface RefKinds {
  kinds: string[];
  defaultKind: string;
  /** How the kinds read in a message, e.g. "a Group or a User". */
  label: string;
  /** The same without articles, e.g. "Group or User". */
  noun: string;
}

const OWNER_KINDS: RefKinds = {
  kinds: ['group', 'user'],
  defaultKind: 'group',
  label: 'a Group or a User',
  noun: 'Group or User',
};

const SYSTEM_KINDS: RefKinds = {
  kinds: ['system'],
  defaultKind: 'system',
  label: 'a System',
  noun: 'System',
};

/**
 * Decides whether the user behind some credentials may act for an owner:
 * use its models, spend its GPU quota and budget, create entities it owns.
 * One implementation for the scaffolder actions and the backend's
 * `GET /scaffolder/options`.
 *
 * @public
 */
export interface OwnerAccessChecker {
  /**
   * The entity an owner ref names: an InputError naming `field` when the ref
   * is malformed, is not a Group or a User, or names nothing in the catalog.
   */
  getOwner(ref: unknown, field?: string): Promise<Entity>;
  /** Like {@link OwnerAccessChecker.getOwner}, for a System. */
  getSystem(ref: unknown, field?: string): Promise<Entity>;
  /**
   * Throws unless the user may act for the owner: an InputError naming
   * `field` for an unknown owner, a NotAllowedError naming the owner for a
   * user who is not a member of it, nor of a group above it, nor of one of
   * `aiPlatform.adminGroups`. A User owner is only that user (or an admin).
   * Other principals (services, anonymous) act for no owner.
   *
   * @returns the normalized owner ref
   */
  assertMayActFor(
    ref: unknown,
    credentials: BackstageCredentials,
    options?: { field?: string },
  ): Promise<string>;
}

function lower(refs: Iterable<string>): Set<string> {
  return new Set([...refs].map(r => r.toLocaleLowerCase('en-US')));
}

function entityRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** Targets of `type` relations plus refs in a spec field, normalized. */
function related(
  entity: Entity,
  type: string,
  specValue: unknown,
  defaultKind: string,
): string[] {
  const fromRelations = (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
  const fromSpec = (Array.isArray(specValue) ? specValue : [specValue]).filter(
    (v): v is string => typeof v === 'string',
  );
  const defaults = {
    defaultKind,
    defaultNamespace: entity.metadata.namespace ?? 'default',
  };
  return [...fromRelations, ...fromSpec].flatMap(
    r => tryNormalizeRef(r, defaults) ?? [],
  );
}

/**
 * Creates the {@link OwnerAccessChecker}. The catalog is read with the
 * plugin's own service credentials, so the decision does not depend on what
 * the user may see. Membership is the union of the user's ownership refs
 * (`coreServices.userInfo`, as the sign-in resolver set them) and the
 * catalog's `memberOf` relations of the User entity; a group's ancestors
 * follow `spec.parent` and `childOf` relations.
 *
 * @public
 */
export function createOwnerAccessChecker(options: {
  catalog: CatalogService;
  auth: AuthService;
  userInfo: UserInfoService;
  config: Config;
}): OwnerAccessChecker {
  const { catalog, auth, userInfo, config } = options;

  const fetch = async (ref: string) =>
    catalog.getEntityByRef(ref, {
      credentials: await auth.getOwnServiceCredentials(),
    });

  async function getEntity(
    ref: unknown,
    field: string,
    kinds: RefKinds,
  ): Promise<Entity> {
    if (typeof ref !== 'string' || ref.trim() === '') {
      throw new InputError(
        `Missing ${field}: give ${kinds.label} entity ref such as ${kinds.defaultKind}:default/name`,
      );
    }
    const normalized = tryNormalizeRef(ref.trim(), {
      defaultKind: kinds.defaultKind,
    });
    if (!normalized) {
      throw new InputError(
        `Invalid ${field} ${JSON.stringify(ref)}: not an entity ref`,
      );
    }
    if (!kinds.kinds.includes(normalized.split(':')[0])) {
      throw new InputError(
        `Invalid ${field} '${normalized}': must be ${kinds.label}`,
      );
    }
    const entity = await fetch(normalized);
    if (!entity || !kinds.kinds.includes(entity.kind.toLowerCase())) {
      throw new InputError(
        `Unknown ${field} '${normalized}': there is no such ${kinds.noun} in the catalog`,
      );
    }
    return entity;
  }

  /** The group and every group above it. */
  async function groupAndAncestors(group: Entity): Promise<Set<string>> {
    const seen = new Set<string>([entityRef(group)]);
    let frontier = [group];
    while (frontier.length && seen.size < MAX_ANCESTORS) {
      const next: Entity[] = [];
      for (const g of frontier) {
        for (const parent of related(
          g,
          RELATION_CHILD_OF,
          g.spec?.parent,
          'group',
        )) {
          if (seen.has(parent)) continue;
          seen.add(parent);
          const entity = await fetch(parent);
          if (entity) next.push(entity);
        }
      }
      frontier = next;
    }
    return seen;
  }

  /** The groups the user belongs to, directly, and the user ref. */
  async function memberships(credentials: BackstageCredentials) {
    const info = await userInfo.getUserInfo(credentials);
    const userRef = info.userEntityRef.toLocaleLowerCase('en-US');
    const groups = lower(info.ownershipEntityRefs);
    const user = await fetch(userRef);
    if (user) {
      for (const g of related(
        user,
        RELATION_MEMBER_OF,
        user.spec?.memberOf,
        'group',
      )) {
        groups.add(g);
      }
    }
    groups.delete(userRef);
    return { userRef, groups };
  }

  return {
    getOwner: (ref, field = 'owner') => getEntity(ref, field, OWNER_KINDS),
    getSystem: (ref, field = 'system') => getEntity(ref, field, SYSTEM_KINDS),

    async assertMayActFor(ref, credentials, { field = 'owner' } = {}) {
      const owner = await getEntity(ref, field, OWNER_KINDS);
      const ownerRef = entityRef(owner);
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          `Only a signed-in user may act for ${field} '${ownerRef}'`,
        );
      }
      const { userRef, groups } = await memberships(credentials);
      const admins = lower(
        config.getOptionalStringArray(ADMIN_GROUPS_KEY) ?? [],
      );
      if ([...groups].some(g => admins.has(g))) {
        return ownerRef;
      }
      if (owner.kind.toLowerCase() === 'user') {
        if (ownerRef === userRef) return ownerRef;
        throw new NotAllowedError(
          `${userRef} may not act for ${field} '${ownerRef}': a User owner is only that user`,
        );
      }
      const chain = await groupAndAncestors(owner);
      if ([...chain].some(g => groups.has(g))) {
        return ownerRef;
      }
      throw new NotAllowedError(
        `${userRef} may not act for ${field} '${ownerRef}': not a member of it or of a group above it`,
      );
    },
  };
}
