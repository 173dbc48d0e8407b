/** The apiVersion of the AIPipeline kind. */
export const AI_PIPELINE_API_VERSION = 'ai-platform.io/v1alpha1';

/** The kind name. */
export const AI_PIPELINE_KIND = 'AIPipeline';

/** Pipeline types (`spec.type`). */
export const PIPELINE_TYPES = [
  'rag',
  'inference',
  'agent',
  'training',
  'batch-scoring',
  'other',
] as const;

/** Stage types (`spec.stages[].type`). */
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

/** Stage types whose output goes stale: they must report freshness. */
export const FRESHNESS_STAGE_TYPES: ReadonlyArray<StageType> = [
  'data-ingestion',
  'feature-pipeline',
  'embedding',
  'vector-index',
  'cache',
];

/** Signals a pipeline or stage reports, and SLOs are set on. */
export const SIGNAL_NAMES = [
  'freshness',
  'accuracy',
  'quality',
  'latency',
  'availability',
  'cost',
] as const;

export const SLO_OPERATORS = ['<=', '<', '>=', '>'] as const;

export type PipelineType = (typeof PIPELINE_TYPES)[number];
export type StageType = (typeof STAGE_TYPES)[number];
export type SignalName = (typeof SIGNAL_NAMES)[number];
export type SloOperator = (typeof SLO_OPERATORS)[number];

/**
 * Relation from an AIPipeline to a Group or User that owns one of its stages
 * inline (`spec.stages[].owner`). Its reverse lets a Group page list the
 * stages the group owns in other teams' pipelines.
 */
export const RELATION_HAS_STAGE_OWNED_BY = 'hasStageOwnedBy';
/** Reverse of {@link RELATION_HAS_STAGE_OWNED_BY}: Group/User to AIPipeline. */
export const RELATION_OWNS_STAGE_IN = 'ownsStageIn';
