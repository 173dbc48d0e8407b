import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  OwnedStageList,
  OwnershipReport,
  PipelineList,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';

/** Ownership of AI pipelines, as the HTTP API serves it. */
export interface OwnershipService {
  /** Every AIPipeline with owner, stage count, findings by severity and health. */
  listPipelines(credentials: BackstageCredentials): Promise<PipelineList>;

  /** The ownership graph of one pipeline; NotFoundError when there is none. */
  getPipelineOwnership(
    pipelineRef: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineOwnership>;

  /** Findings across the catalog, optionally for one owner and its sub-groups. */
  getOwnershipReport(
    owner: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<OwnershipReport>;

  /** The stages an owner (Group or User) owns in any pipeline. */
  getOwnedStages(
    owner: string,
    credentials: BackstageCredentials,
  ): Promise<OwnedStageList>;
}
