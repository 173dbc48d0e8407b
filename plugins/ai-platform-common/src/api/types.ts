import { FindingCounts } from '../ownership/report';

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
 * Response of `GET /pipelines`.
 *
 * @public
 */
export interface PipelineList {
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
 * Response of `GET /groups/:namespace/:name/stages`.
 *
 * @public
 */
export interface OwnedStageList {
  items: OwnedStage[];
}
