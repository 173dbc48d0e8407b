import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  AIPipelineEntityV1alpha1,
  AI_PIPELINE_API_VERSION,
  AI_PIPELINE_KIND,
  RELATION_HAS_STAGE_OWNED_BY,
  RELATION_OWNS_STAGE_IN,
  formatValidationIssues,
  validateAIPipelineEntity,
} from '@aiplatform/plugin-ai-platform-common';

function isAIPipelineKind(entity: Entity): boolean {
  return (
    entity.kind === AI_PIPELINE_KIND &&
    entity.apiVersion === AI_PIPELINE_API_VERSION
  );
}

/**
 * Teaches the catalog the `ai-platform.io/v1alpha1` AIPipeline kind: refuses
 * invalid pipelines with an error that names the field, and emits relations
 * in both directions (owner, system, stage entities, inline stage owners).
 *
 * @public
 */
export class AIPipelineEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AIPipelineEntityProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isAIPipelineKind(entity)) {
      return false;
    }
    const result = validateAIPipelineEntity(entity);
    if (!result.valid) {
      throw new InputError(
        `Invalid AIPipeline "${
          entity.metadata?.name
        }": ${formatValidationIssues(result.issues)}`,
      );
    }
    return true;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isAIPipelineKind(entity)) {
      return entity;
    }
    const pipeline = entity as AIPipelineEntityV1alpha1;
    const self = getCompoundEntityRef(pipeline);
    const namespace = self.namespace;

    const emitPair = (
      target: string,
      defaultKind: string,
      forward: string,
      reverse: string,
    ) => {
      const ref = parseEntityRef(target, {
        defaultKind,
        defaultNamespace: namespace,
      });
      emit(
        processingResult.relation({ source: self, type: forward, target: ref }),
      );
      emit(
        processingResult.relation({ source: ref, type: reverse, target: self }),
      );
    };

    const { spec } = pipeline;
    emitPair(spec.owner, 'group', RELATION_OWNED_BY, RELATION_OWNER_OF);
    if (spec.system) {
      emitPair(spec.system, 'system', RELATION_PART_OF, RELATION_HAS_PART);
    }
    const inlineOwners = new Set<string>();
    for (const stage of spec.stages) {
      if (stage.entityRef) {
        emitPair(
          stage.entityRef,
          'component',
          RELATION_DEPENDS_ON,
          RELATION_DEPENDENCY_OF,
        );
      }
      if (stage.owner) {
        // Distinct by the ref it resolves to, not by how it is written:
        // `data-team` and `group:default/data-team` are one owner.
        const key = stringifyEntityRef(
          parseEntityRef(stage.owner, {
            defaultKind: 'group',
            defaultNamespace: namespace,
          }),
        ).toLocaleLowerCase('en-US');
        if (!inlineOwners.has(key)) {
          inlineOwners.add(key);
          emitPair(
            stage.owner,
            'group',
            RELATION_HAS_STAGE_OWNED_BY,
            RELATION_OWNS_STAGE_IN,
          );
        }
      }
    }
    return entity;
  }
}
