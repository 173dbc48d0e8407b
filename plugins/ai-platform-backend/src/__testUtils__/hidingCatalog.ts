import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

function principalRef(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as { userEntityRef?: string };
  return principal.userEntityRef;
}

/**
 * An in-memory catalog in which the entities `hidden` names (refs, lowercase)
 * do not exist for the user `userRef`, as if the catalog's permission policy
 * denied that user `catalog.entity.read` on them; everyone else sees all.
 */
export function hidingCatalog(options: {
  entities: Entity[];
  userRef: string;
  hidden: string[];
}): CatalogService {
  const inner = catalogServiceMock({ entities: options.entities });
  const hidden = new Set(options.hidden);
  const visible = (e: Entity | undefined, c: BackstageCredentials) =>
    e !== undefined &&
    !(
      principalRef(c) === options.userRef &&
      hidden.has(stringifyEntityRef(e).toLowerCase())
    );
  const overrides: Partial<CatalogService> = {
    async *streamEntities(request, { credentials }) {
      for await (const page of inner.streamEntities(request, { credentials })) {
        yield page.filter(e => visible(e, credentials));
      }
    },
    async getEntityByRef(ref, { credentials }) {
      const entity = await inner.getEntityByRef(ref, { credentials });
      return visible(entity, credentials) ? entity : undefined;
    },
    async getEntitiesByRefs(request, { credentials }) {
      const answer = await inner.getEntitiesByRefs(request, { credentials });
      return {
        items: answer.items.map(e => (visible(e, credentials) ? e : undefined)),
      };
    },
  };
  // The in-memory catalog is a class instance: keep its other methods bound.
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof CatalogService];
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The permission decisions that go with {@link hidingCatalog}: for `userRef`
 * the catalog's read permission is conditional (the catalog filters what
 * they see), for everyone else allowed outright; everything else allowed.
 */
export function hidingPermissions(userRef: string): PermissionsService {
  const allow = { result: AuthorizeResult.ALLOW } as const;
  return {
    async authorize(requests) {
      return requests.map(() => allow);
    },
    async authorizeConditional(requests, { credentials }) {
      return requests.map(r =>
        principalRef(credentials) === userRef &&
        r.permission.name === 'catalog.entity.read'
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_KIND',
                resourceType: 'catalog-entity',
                params: { kinds: ['not-hidden'] },
              },
            }
          : allow,
      );
    },
  };
}
