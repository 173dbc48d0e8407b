/**
 * The apiVersion of the AIPipeline kind.
 *
 * @public
 */
export const AI_PIPELINE_API_VERSION = 'ai-platform.io/v1alpha1';

/**
 * The kind name.
 *
 * @public
 */
export const AI_PIPELINE_KIND = 'AIPipeline';

/**
 * Pipeline types (`spec.type`).
 *
 * @public
 */
export const PIPELINE_TYPES = [
  'rag',
  'inference',
  'agent',
  'training',
  'batch-scoring',
  'other',
] as const;

/**
 * Stage types (`spec.stages[].type`).
 *
 * @public
 */
export const STAGE_TYPES = [
  'data-ingestion',
  'feature-pipeline',
  'embedding',
  'vector-index',
  'cache',
  'training',
  'model',
  'retrieval',
  'serving',
  'gateway-route',
  'evaluation',
  'other',
] as const;

/**
 * Stage types whose output goes stale: they must report freshness.
 *
 * @public
 */
export const FRESHNESS_STAGE_TYPES: ReadonlyArray<StageType> = [
  'data-ingestion',
  'feature-pipeline',
  'embedding',
  'vector-index',
  'cache',
];

/**
 * Signals a pipeline or stage reports, and SLOs are set on.
 *
 * @public
 */
export const SIGNAL_NAMES = [
  'freshness',
  'accuracy',
  'quality',
  'latency',
  'availability',
  'cost',
] as const;

/** @public */
export const SLO_OPERATORS = ['<=', '<', '>=', '>'] as const;

/** @public */
export type PipelineType = (typeof PIPELINE_TYPES)[number];
/** @public */
export type StageType = (typeof STAGE_TYPES)[number];
/** @public */
export type SignalName = (typeof SIGNAL_NAMES)[number];
/** @public */
export type SloOperator = (typeof SLO_OPERATORS)[number];

/**
 * Relation from an AIPipeline to a Group or User that owns one of its stages
 * inline (`spec.stages[].owner`). Its reverse lets a Group page list the
 * stages the group owns in other teams' pipelines.
 *
 * @public
 */
export const RELATION_HAS_STAGE_OWNED_BY = 'hasStageOwnedBy';
/**
 * Reverse of {@link RELATION_HAS_STAGE_OWNED_BY}: Group/User to AIPipeline.
 *
 * @public
 */
export const RELATION_OWNS_STAGE_IN = 'ownsStageIn';
