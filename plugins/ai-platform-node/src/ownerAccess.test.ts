import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createOwnerAccessChecker } from './ownerAccess';

function group(name: string, parent?: string, relations = false): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    // Some groups name their parent only in spec, some only in relations.
    spec: {
      type: 'team',
      children: [],
      ...(!relations && parent && { parent }),
    },
    ...(relations &&
      parent && {
        relations: [{ type: 'childOf', targetRef: `group:default/${parent}` }],
      }),
  };
}

function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
    relations: memberOf.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
  };
}

// acme
// └── engineering
//     ├── ml-team
//     │   └── ml-research
//     ├── data-team
//     └── platform-team (admins)
const ENTITIES: Entity[] = [
  group('acme'),
  group('engineering', 'acme', true),
  group('ml-team', 'engineering'),
  group('ml-research', 'ml-team', true),
  group('data-team', 'engineering'),
  group('platform-team', 'engineering'),
  // A broken org chart must not loop.
  group('loop-a', 'loop-b'),
  group('loop-b', 'loop-a'),
  user('frank', ['data-team']),
  user('erin', ['engineering']),
  user('alice', ['platform-team']),
  // Ivan is in no group in the catalog; his sign-in gives him acme.
  user('ivan', []),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'support', namespace: 'default' },
    spec: { owner: 'ml-team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'api', namespace: 'default' },
    spec: { owner: 'ml-team', type: 'service', lifecycle: 'production' },
  },
];

/** Ownership refs as a sign-in resolver would set them. */
const SIGN_IN_REFS: Record<string, string[]> = {
  'user:default/ivan': ['user:default/ivan', 'Group:default/ACME'],
};

const userInfo: UserInfoService = {
  async getUserInfo(credentials: BackstageCredentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: SIGN_IN_REFS[ref] ?? [ref],
    };
  },
};

describe('createOwnerAccessChecker', () => {
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const checker = createOwnerAccessChecker({
    catalog,
    auth: mockServices.auth(),
    userInfo,
    config: new ConfigReader({
      aiPlatform: { adminGroups: ['group:default/Platform-Team'] },
    }),
  });
  const as = (name: string) => mockCredentials.user(`user:default/${name}`);

  it('lets a member act for the group, in any spelling of its ref', async () => {
    await expect(
      checker.assertMayActFor('group:default/data-team', as('frank')),
    ).resolves.toBe('group:default/data-team');
    await expect(
      checker.assertMayActFor('Data-Team', as('frank')),
    ).resolves.toBe('group:default/data-team');
  });

  it('lets a member of an ancestor group act for the groups below it', async () => {
    for (const owner of [
      'ml-team',
      'ml-research',
      'data-team',
      'engineering',
    ]) {
      await expect(checker.assertMayActFor(owner, as('erin'))).resolves.toBe(
        `group:default/${owner}`,
      );
    }
    // ...but not for the group above.
    await expect(checker.assertMayActFor('acme', as('erin'))).rejects.toThrow(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
  });

  it('uses the ownership refs of the sign-in as memberships', async () => {
    await expect(
      checker.assertMayActFor('ml-research', as('ivan')),
    ).resolves.toBe('group:default/ml-research');
  });

  it('lets an admin act for every group and every user', async () => {
    await expect(checker.assertMayActFor('acme', as('alice'))).resolves.toBe(
      'group:default/acme',
    );
    await expect(
      checker.assertMayActFor('user:default/frank', as('alice')),
    ).resolves.toBe('user:default/frank');
  });

  it('refuses a non-member with a NotAllowedError naming the owner and the field', async () => {
    const refusal = checker.assertMayActFor('ml-team', as('frank'), {
      field: 'generationOwner',
    });
    await expect(refusal).rejects.toThrow(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
    await expect(refusal).rejects.toThrow(
      "user:default/frank may not act for generationOwner 'group:default/ml-team': not a member of it or of a group above it",
    );
    // A cycle in the org chart ends the search.
    await expect(
      checker.assertMayActFor('loop-a', as('frank')),
    ).rejects.toThrow(/may not act for owner 'group:default\/loop-a'/);
  });

  it('refuses an unknown owner, or one that is not a Group or User, with an InputError naming the field', async () => {
    for (const [ref, message] of [
      ['group:default/nope', /^Unknown owner 'group:default\/nope'/],
      ['user:default/nobody', /^Unknown owner 'user:default\/nobody'/],
      [
        'component:default/api',
        /^Invalid owner 'component:default\/api': must be a Group or a User/,
      ],
      ['group:default/', /^Invalid owner/],
      ['', /^Missing owner/],
      [undefined, /^Missing owner/],
      [42, /^Missing owner/],
    ] as const) {
      await expect(checker.assertMayActFor(ref, as('alice'))).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(message),
        }),
      );
    }
  });

  it('lets a User owner be acted for only by that user', async () => {
    await expect(
      checker.assertMayActFor('user:default/frank', as('frank')),
    ).resolves.toBe('user:default/frank');
    await expect(
      checker.assertMayActFor('user:default/frank', as('ivan')),
    ).rejects.toThrow(/a User owner is only that user/);
  });

  it('refuses services and anonymous callers', async () => {
    for (const credentials of [
      mockCredentials.service(),
      mockCredentials.none(),
    ]) {
      await expect(
        checker.assertMayActFor('data-team', credentials),
      ).rejects.toThrow(
        /Only a signed-in user may act for owner 'group:default\/data-team'/,
      );
    }
  });

  it('reads the catalog with its own service credentials', async () => {
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    await checker.assertMayActFor('ml-team', as('erin'));
    expect(spy).toHaveBeenCalled();
    for (const [, { credentials }] of spy.mock.calls as any[]) {
      expect(credentials.principal.type).toBe('service');
    }
    spy.mockRestore();
  });

  it('looks up systems and owners that need only exist', async () => {
    await expect(checker.getSystem('support')).resolves.toMatchObject({
      kind: 'System',
    });
    await expect(checker.getSystem('system:default/nope')).rejects.toThrow(
      "Unknown system 'system:default/nope': there is no such System in the catalog",
    );
    await expect(
      checker.getSystem('group:default/ml-team', 'spec.system'),
    ).rejects.toThrow(
      "Invalid spec.system 'group:default/ml-team': must be a System",
    );
    await expect(
      checker.getOwner('ml-team', 'ingestionOwner'),
    ).resolves.toMatchObject({ kind: 'Group' });
    await expect(
      checker.getOwner('ghost-team', 'ingestionOwner'),
    ).rejects.toThrow(/^Unknown ingestionOwner 'group:default\/ghost-team'/);
  });
});
