import { FindingCounts } from '../ownership/report';

/** Overall health of a pipeline. */
export type PipelineHealth =
  | 'healthy'
  | 'degraded'
  | 'failing'
  | 'halted'
  | 'unknown';

/** One item of `GET /pipelines`. */
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

/** Response of `GET /pipelines`. */
export interface PipelineList {
  items: PipelineSummary[];
}

/** One stage a group owns, for the Group page. */
export interface OwnedStage {
  pipeline: string;
  pipelineTitle?: string;
  stage: string;
  type: string;
  ownerSource: 'entity' | 'inline';
  entityRef: string | null;
}

/** Response of `GET /groups/:namespace/:name/stages`. */
export interface OwnedStageList {
  items: OwnedStage[];
}
