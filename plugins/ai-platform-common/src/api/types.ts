import { FindingCounts } from '../ownership/report';
import { PageInfo } from './pagination';

/**
 * Overall health of a pipeline.
 *
 * @public
 */
export type PipelineHealth =
  | 'healthy'
  | 'degraded'
  | 'failing'
  | 'halted'
  | 'unknown';

/**
 * One item of `GET /pipelines`.
 *
 * @public
 */
export interface PipelineSummary {
  /** Full entity ref of the pipeline. */
  pipeline: string;
  title?: string;
  type: string;
  lifecycle: string;
  owner: string;
  system?: string;
  stageCount: number;
  findings: FindingCounts;
  health: PipelineHealth;
}

/**
 * Response of `GET /pipelines`: one page of the pipelines the caller can see.
 *
 * @public
 */
export interface PipelineList extends PageInfo {
  items: PipelineSummary[];
}

/**
 * One stage a group owns, for the Group page.
 *
 * @public
 */
export interface OwnedStage {
  pipeline: string;
  pipelineTitle?: string;
  stage: string;
  type: string;
  ownerSource: 'entity' | 'inline';
  entityRef: string | null;
}

/**
 * Response of `GET /stages`: one page of the stages an owner owns.
 *
 * @public
 */
export interface OwnedStageList extends PageInfo {
  items: OwnedStage[];
}
