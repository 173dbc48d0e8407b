import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  aiPlatformPipelineHaltPermission,
  aiPlatformSpendReadPermission,
} from '@aiplatform/plugin-ai-platform-common';
import {
  aiPlatformTeamConditions,
  createAiPlatformTeamConditionalDecision,
} from '@aiplatform/plugin-ai-platform-node';

/** Permissions that only admin-group members get. */
const GOVERNANCE_PERMISSIONS = new Set([aiPlatformPipelineHaltPermission.name]);

/**
 * Allows everything, except:
 * - AI Platform governance actions, which need the user to be in one of
 *   `aiPlatform.adminGroups` (through the identity's ownership refs, as the
 *   sign-in resolver sets them);
 * - reading inference spend: admins see everything, everyone else the
 *   subtrees of the groups they belong to (`IS_IN_SUBTREE_OF`).
 *
 * @public
 */
export class AiPlatformPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config): AiPlatformPermissionPolicy {
    return new AiPlatformPermissionPolicy(
      config.getOptionalStringArray('aiPlatform.adminGroups') ?? [],
    );
  }

  private readonly adminGroups: Set<string>;

  constructor(adminGroups: string[]) {
    this.adminGroups = new Set(adminGroups.map(g => g.toLowerCase()));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const refs = user?.info.ownershipEntityRefs ?? [];
    const isAdmin = refs.some(ref => this.adminGroups.has(ref.toLowerCase()));
    if (isPermission(request.permission, aiPlatformSpendReadPermission)) {
      if (isAdmin) return { result: AuthorizeResult.ALLOW };
      return createAiPlatformTeamConditionalDecision(
        request.permission,
        aiPlatformTeamConditions.isInSubtreeOf({ groupRefs: refs }),
      );
    }
    if (GOVERNANCE_PERMISSIONS.has(request.permission.name)) {
      return isAdmin
        ? { result: AuthorizeResult.ALLOW }
        : { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
