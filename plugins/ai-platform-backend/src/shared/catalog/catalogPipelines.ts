import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AIPipelineEntityV1alpha1,
  AI_PIPELINE_KIND,
  validateAIPipelineEntity,
} from '@aiplatform/plugin-ai-platform-common';

/** The entity as a valid AIPipeline, or undefined. */
export function asPipeline(
  entity: Entity | undefined,
): AIPipelineEntityV1alpha1 | undefined {
  if (!entity || entity.kind !== AI_PIPELINE_KIND) return undefined;
  const result = validateAIPipelineEntity(entity);
  return result.valid
    ? { ...result.entity, relations: entity.relations }
    : undefined;
}

/** One pipeline by full ref; NotFoundError when absent or not a valid AIPipeline. */
export async function getPipelineOrThrow(
  catalog: CatalogService,
  pipelineRef: string,
  credentials: BackstageCredentials,
): Promise<AIPipelineEntityV1alpha1> {
  const pipeline = asPipeline(
    await catalog.getEntityByRef(pipelineRef, { credentials }),
  );
  if (!pipeline) {
    throw new NotFoundError(`No AIPipeline ${pipelineRef} in the catalog`);
  }
  return pipeline;
}

/** Refs per `getEntitiesByRefs` call. */
const REF_BATCH_SIZE = 500;

/** The entities of `refs` that exist (for `credentials`), in batches. */
export async function getEntitiesByRefs(
  catalog: CatalogService,
  refs: string[],
  fields: string[] | undefined,
  credentials: BackstageCredentials,
): Promise<Entity[]> {
  const result: Entity[] = [];
  for (let i = 0; i < refs.length; i += REF_BATCH_SIZE) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs.slice(i, i + REF_BATCH_SIZE), fields },
      { credentials },
    );
    for (const item of items) if (item) result.push(item);
  }
  return result;
}
