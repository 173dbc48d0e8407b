import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ListOptions,
  OwnedStageList,
  OwnedStageSortKey,
  OwnershipReportSortKey,
  PipelineSortKey,
  OwnershipReport,
  PipelineList,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';

/** Ownership of AI pipelines, as the HTTP API serves it. */
export interface OwnershipService {
  /**
   * The AIPipelines the caller can see, with owner, stage count, findings by
   * severity and health: filtered by `query.q`, sorted, then one page.
   * Without `query`, every pipeline (sorted by ref).
   */
  listPipelines(
    credentials: BackstageCredentials,
    query?: ListOptions<PipelineSortKey>,
  ): Promise<PipelineList>;

  /** The ownership graph of one pipeline; NotFoundError when there is none. */
  getPipelineOwnership(
    pipelineRef: string,
    credentials: BackstageCredentials,
  ): Promise<PipelineOwnership>;

  /**
   * Findings across the catalog, optionally for one owner and its
   * sub-groups; paginated like `listPipelines` (every item without `query`).
   */
  getOwnershipReport(
    owner: string | undefined,
    credentials: BackstageCredentials,
    query?: ListOptions<OwnershipReportSortKey>,
  ): Promise<OwnershipReport>;

  /**
   * The stages an owner (Group or User) owns in any pipeline; paginated
   * like `listPipelines` (every item without `query`).
   */
  getOwnedStages(
    owner: string,
    credentials: BackstageCredentials,
    query?: ListOptions<OwnedStageSortKey>,
  ): Promise<OwnedStageList>;
}
