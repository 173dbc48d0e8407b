import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  aiPlatformPipelineHaltPermission,
  aiPlatformSpendReadPermission,
} from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformPermissionPolicy } from './AiPlatformPermissionPolicy';

function user(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    credentials: {} as any,
    token: 'token',
  } as PolicyQueryUser;
}

describe('AiPlatformPermissionPolicy', () => {
  const policy = AiPlatformPermissionPolicy.fromConfig(
    new ConfigReader({
      aiPlatform: { adminGroups: ['group:default/Platform-Team'] },
    }),
  );
  const halt = { permission: aiPlatformPipelineHaltPermission };

  it('lets members of an admin group halt pipelines (refs compared case-insensitively)', async () => {
    await expect(
      policy.handle(
        halt,
        user(['user:default/alice', 'group:default/platform-team']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies halting to everyone else, and without a user', async () => {
    await expect(
      policy.handle(halt, user(['user:development/guest'])),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(policy.handle(halt)).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('allows every other permission', async () => {
    const other = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    await expect(
      policy.handle({ permission: other }, user(['user:development/guest'])),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets admins read all spend and others the subtrees of their groups', async () => {
    const read = { permission: aiPlatformSpendReadPermission };
    await expect(
      policy.handle(
        read,
        user(['user:default/alice', 'group:default/platform-team']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle(
        read,
        user(['user:default/frank', 'group:default/data-team']),
      ),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'ai-platform',
      resourceType: 'ai-platform-team',
      conditions: {
        rule: 'IS_IN_SUBTREE_OF',
        resourceType: 'ai-platform-team',
        params: {
          groupRefs: ['user:default/frank', 'group:default/data-team'],
        },
      },
    });
  });

  it('denies halting to everybody when no admin group is configured', async () => {
    const none = AiPlatformPermissionPolicy.fromConfig(new ConfigReader({}));
    await expect(
      none.handle(
        halt,
        user(['user:default/alice', 'group:default/platform-team']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});
