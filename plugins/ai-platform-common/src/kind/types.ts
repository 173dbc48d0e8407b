import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import {
  aiPipelineSpecSchema,
  datasetSchema,
  haltOnRuleSchema,
  metricQuerySchema,
  sloSchema,
  stageSchema,
} from './schema';
import { AI_PIPELINE_API_VERSION, AI_PIPELINE_KIND } from './constants';

/** @public */
export type AIPipelineStage = z.infer<typeof stageSchema>;
/** @public */
export type AIPipelineSlo = z.infer<typeof sloSchema>;
/** @public */
export type AIPipelineDataset = z.infer<typeof datasetSchema>;
/** @public */
export type AIPipelineMetricQuery = z.infer<typeof metricQuerySchema>;
/** @public */
export type AIPipelineHaltOnRule = z.infer<typeof haltOnRuleSchema>;
/** @public */
export type AIPipelineSpec = z.infer<typeof aiPipelineSpecSchema>;

/**
 * An AIPipeline catalog entity.
 *
 * @public
 */
export interface AIPipelineEntityV1alpha1 extends Entity {
  apiVersion: typeof AI_PIPELINE_API_VERSION;
  kind: typeof AI_PIPELINE_KIND;
  spec: AIPipelineSpec;
}

/**
 * True for entities of the AIPipeline kind (any version of the group).
 *
 * @public
 */
export function isAIPipelineEntity(
  entity: Entity | undefined,
): entity is AIPipelineEntityV1alpha1 {
  return (
    !!entity &&
    entity.kind.toLowerCase() === 'aipipeline' &&
    entity.apiVersion === AI_PIPELINE_API_VERSION
  );
}
