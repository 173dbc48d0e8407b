import { createPermission } from '@backstage/plugin-permission-common';

/** Halt or resume an AI pipeline. */
export const aiPlatformPipelineHaltPermission = createPermission({
  name: 'ai-platform.pipeline.halt',
  attributes: { action: 'update' },
});

/** Every permission of the AI Platform plugins. */
export const aiPlatformPermissions = [aiPlatformPipelineHaltPermission];
