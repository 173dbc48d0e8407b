import { mockServices } from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  UserInfoService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  OwnerAccessChecker,
  createOwnerAccessChecker,
} from '@aiplatform/plugin-ai-platform-node';

/**
 * The demo org chart (as in examples/org.yaml), by parent:
 * acme > engineering > platform-team, ml-platform, ml-team, data-team,
 * search-team, web; acme > customer-operations > support-eng.
 */
const PARENTS: Record<string, string | undefined> = {
  acme: undefined,
  engineering: 'acme',
  'customer-operations': 'acme',
  'platform-team': 'engineering',
  'ml-platform': 'engineering',
  'ml-team': 'engineering',
  'data-team': 'engineering',
  'search-team': 'engineering',
  web: 'engineering',
  'support-eng': 'customer-operations',
};

/**
 * The users: Ivan (in acme, the root, so every team, as in the demo), Frank
 * (data-team only), Alice (platform-team, an admin group) and the default
 * user of Backstage's mock credentials, in acme like Ivan.
 */
export const USERS: Record<string, string[]> = {
  ivan: ['acme'],
  frank: ['data-team'],
  alice: ['platform-team'],
  mock: ['acme'],
};

/** `aiPlatform.adminGroups` of the tests. */
export const ADMIN_GROUPS = ['group:default/platform-team'];

/** Groups with `spec.parent` and `childOf` relations, users with `memberOf`. */
export function orgEntities(): Entity[] {
  const groups: Entity[] = Object.entries(PARENTS).map(([name, parent]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], ...(parent && { parent }) },
    relations: parent
      ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
      : [],
  }));
  const users: Entity[] = Object.entries(USERS).map(([name, memberOf]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
    relations: memberOf.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  }));
  const system: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'customer-support', namespace: 'default' },
    spec: { owner: 'ml-platform' },
  };
  return [...groups, ...users, system];
}

/**
 * The user info a sign-in resolver gives: Ivan's ownership refs name acme,
 * as in the demo; the others only themselves (their groups come from the
 * catalog's memberOf relations).
 */
export function testUserInfo(): UserInfoService {
  return {
    async getUserInfo(credentials: BackstageCredentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs:
          ref === 'user:default/ivan' ? [ref, 'group:default/acme'] : [ref],
      };
    },
  };
}

/** {@link testUserInfo} as the backend's user info service. */
export function testUserInfoFactory() {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => testUserInfo(),
  });
}

/** The real owner-access checker over a fake catalog with `entities`. */
export function testAccessChecker(
  entities: Entity[] = orgEntities(),
): OwnerAccessChecker {
  return createOwnerAccessChecker({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    userInfo: testUserInfo(),
    config: new ConfigReader({ aiPlatform: { adminGroups: ADMIN_GROUPS } }),
  });
}
