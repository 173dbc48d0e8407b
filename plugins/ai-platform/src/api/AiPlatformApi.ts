import { createApiRef } from '@backstage/core-plugin-api';
import {
  OwnedStageList,
  OwnershipReport,
  PipelineList,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';

/** Client of the AI Platform backend. */
export interface AiPlatformApi {
  listPipelines(): Promise<PipelineList>;
  getPipelineOwnership(
    namespace: string,
    name: string,
  ): Promise<PipelineOwnership>;
  getOwnershipReport(owner?: string): Promise<OwnershipReport>;
  getOwnedStages(owner: string): Promise<OwnedStageList>;
}

/** @public */
export const aiPlatformApiRef = createApiRef<AiPlatformApi>({
  id: 'plugin.ai-platform.service',
});
