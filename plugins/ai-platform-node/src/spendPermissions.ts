import {
  AI_PLATFORM_TEAM_RESOURCE_TYPE,
  AiPlatformTeamResource,
} from '@aiplatform/plugin-ai-platform-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * The team resource of `ai-platform.spend.read`.
 *
 * @public
 */
export const aiPlatformTeamResourceRef = createPermissionResourceRef<
  AiPlatformTeamResource,
  { anyOf: string[] }
>().with({
  pluginId: 'ai-platform',
  resourceType: AI_PLATFORM_TEAM_RESOURCE_TYPE,
});

/**
 * True for a team that is one of `groupRefs` or below one of them.
 *
 * @public
 */
export const isInSubtreeOf = createPermissionRule({
  name: 'IS_IN_SUBTREE_OF',
  description:
    'Allow a team when it is one of the given groups or a sub-team of one of them',
  resourceRef: aiPlatformTeamResourceRef,
  paramsSchema: z.object({
    groupRefs: z
      .array(z.string())
      .describe('Group entity refs, e.g. the signed-in user ownership refs'),
  }),
  apply: (team, { groupRefs }) => {
    const allowed = new Set(groupRefs.map(g => g.toLowerCase()));
    return [team.ref, ...team.ancestors].some(r =>
      allowed.has(r.toLowerCase()),
    );
  },
  toQuery: ({ groupRefs }) => ({ anyOf: groupRefs }),
});

/**
 * The rules of the team resource.
 *
 * @public
 */
export const aiPlatformTeamRules = { isInSubtreeOf };

const exported = createConditionExports({
  resourceRef: aiPlatformTeamResourceRef,
  rules: aiPlatformTeamRules,
});

/**
 * Conditions for policies, e.g. `aiPlatformTeamConditions.isInSubtreeOf({ groupRefs })`.
 *
 * @public
 */
export const aiPlatformTeamConditions = exported.conditions;

/**
 * Builds a conditional decision on the team resource for a policy.
 *
 * @public
 */
export const createAiPlatformTeamConditionalDecision =
  exported.createConditionalDecision;
