import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Halt or resume an AI pipeline.
 *
 * @public
 */
export const aiPlatformPipelineHaltPermission = createPermission({
  name: 'ai-platform.pipeline.halt',
  attributes: { action: 'update' },
});



/**
 * The resource type of spend permissions: a team (group) of the org chart.
 *
 * @public
 */
export const AI_PLATFORM_TEAM_RESOURCE_TYPE = 'ai-platform-team';

/**
 * Read inference spend. A resource permission on teams: a policy may allow
 * it outright (e.g. for an admin group) or conditionally, with the
 * `IS_IN_SUBTREE_OF` rule, so members of a group see that group's subtree.
 *
 * @public
 */
export const aiPlatformSpendReadPermission = createPermission({
  name: 'ai-platform.spend.read',
  attributes: { action: 'read' },
  resourceType: AI_PLATFORM_TEAM_RESOURCE_TYPE,
});

/**
 * A team as spend permissions see it: its ref and the groups above it.
 *
 * @public
 */
export interface AiPlatformTeamResource {
  ref: string;
  /** The groups above it, nearest first. */
  ancestors: string[];
}

/**
 * Pseudo-team that unattributed usage (shadow AI) belongs to: the top of the org chart.
 *
 * @public
 */
export const UNATTRIBUTED_TEAM = 'unattributed';

/**
 * Every permission of the AI Platform plugins.
 *
 * @public
 */
export const aiPlatformPermissions = [
  aiPlatformPipelineHaltPermission,
  aiPlatformSpendReadPermission,
];
