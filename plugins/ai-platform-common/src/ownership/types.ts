import { StageType } from '../kind/constants';
import { StageEdge } from '../kind/stageGraph';

/**
 * Stable finding codes of the ownership analysis (public API).
 *
 * @public
 */
export const OWNERSHIP_FINDING_CODES = [
  'unowned-stage',
  'unknown-owner',
  'missing-entity',
  'owner-mismatch',
  'no-e2e-slo',
  'unmonitored-stage',
  'ownerless-team',
  'cross-team-handoff',
] as const;

/** @public */
export type OwnershipFindingCode = (typeof OWNERSHIP_FINDING_CODES)[number];
/** @public */
export type FindingSeverity = 'error' | 'warning' | 'info';

/**
 * The severity of each finding code (the contract).
 *
 * @public
 */
export const FINDING_SEVERITY: Record<OwnershipFindingCode, FindingSeverity> = {
  'unowned-stage': 'error',
  'unknown-owner': 'error',
  'missing-entity': 'error',
  'owner-mismatch': 'warning',
  'no-e2e-slo': 'warning',
  'unmonitored-stage': 'warning',
  'ownerless-team': 'warning',
  'cross-team-handoff': 'info',
};

/** @public */
export interface OwnershipFinding {
  code: OwnershipFindingCode;
  severity: FindingSeverity;
  /** The stage the finding is about, when it is about one. */
  stage?: string;
  message: string;
}

/** @public */
export interface OwnershipStage {
  name: string;
  type: StageType;
  /** The stage's effective owner: the entityRef's owner, else the inline owner. */
  owner: string | null;
  ownerSource: 'entity' | 'inline' | null;
  entityRef: string | null;
}

/**
 * An edge of the ownership graph: stage `to` depends on stage `from`.
 *
 * @public
 */
export type OwnershipEdge = StageEdge;

/** @public */
export interface OwnershipConsumer {
  entityRef: string;
  owner: string | null;
}

/**
 * Response of `GET /pipelines/:namespace/:name/ownership`.
 *
 * @public
 */
export interface PipelineOwnership {
  pipeline: string;
  owner: string;
  stages: OwnershipStage[];
  edges: OwnershipEdge[];
  findings: OwnershipFinding[];
  consumers: OwnershipConsumer[];
}
