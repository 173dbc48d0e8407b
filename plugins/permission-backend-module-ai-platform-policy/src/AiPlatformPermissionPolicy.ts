import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { aiPlatformPipelineHaltPermission } from '@aiplatform/plugin-ai-platform-common';

/** Permissions that only admin-group members get. */
const GOVERNANCE_PERMISSIONS = new Set([aiPlatformPipelineHaltPermission.name]);

/**
 * Allows everything, except AI Platform governance actions, which need the
 * user to be in one of `aiPlatform.adminGroups` (through the identity's
 * ownership refs, as the sign-in resolver sets them).
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
    if (!GOVERNANCE_PERMISSIONS.has(request.permission.name)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const refs = user?.info.ownershipEntityRefs ?? [];
    return refs.some(ref => this.adminGroups.has(ref.toLowerCase()))
      ? { result: AuthorizeResult.ALLOW }
      : { result: AuthorizeResult.DENY };
  }
}
