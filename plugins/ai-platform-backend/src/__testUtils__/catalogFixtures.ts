/*
 * Test and benchmark helpers: entity builders, and `stitchRelations`, which
 * adds the `relations` the catalog would stitch onto entities (both
 * directions, dangling targets kept, refs lowercased). The ownership service
 * reads relations rather than `spec`, so fixtures without them would test a
 * code path the real catalog never takes.
 *
 * Not exported from the package; used by the tests of this package and by
 * `bench/` at the repository root.
 */
import {
  Entity,
  EntityRelation,
  RELATION_CHILD_OF,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_MEMBER,
  RELATION_HAS_PART,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  RELATION_PART_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  AIPipelineSpec,
  AI_PIPELINE_API_VERSION,
  AI_PIPELINE_KIND,
  RELATION_HAS_STAGE_OWNED_BY,
  RELATION_OWNS_STAGE_IN,
} from '@aiplatform/plugin-ai-platform-common';

type SpecInput = Record<string, unknown>;

const asStrings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];

/**
 * Returns copies of the entities with the relations the catalog would
 * produce: the built-in kinds' processor (owner, system, dependsOn, group
 * parent/children/members, user memberOf) and the AIPipeline processor
 * (owner, system, stage entities, inline stage owners).
 */
export function stitchRelations<T extends Entity>(entities: T[]): T[] {
  const bySource = new Map<string, Map<string, EntityRelation>>();
  const add = (source: string, type: string, targetRef: string) => {
    let relations = bySource.get(source);
    if (!relations) {
      relations = new Map();
      bySource.set(source, relations);
    }
    relations.set(`${type}|${targetRef}`, { type, targetRef });
  };

  for (const entity of entities) {
    const self = stringifyEntityRef(entity);
    const namespace = entity.metadata.namespace ?? 'default';
    const spec = (entity.spec ?? {}) as SpecInput;
    const pair = (
      target: unknown,
      defaultKind: string | undefined,
      forward: string,
      reverse: string,
    ) => {
      if (typeof target !== 'string' || !target) return;
      const ref = stringifyEntityRef(
        parseEntityRef(target, { defaultKind, defaultNamespace: namespace }),
      );
      add(self, forward, ref);
      add(ref, reverse, self);
    };

    switch (entity.kind.toLocaleLowerCase('en-US')) {
      case 'group':
        pair(spec.parent, 'group', RELATION_CHILD_OF, RELATION_PARENT_OF);
        for (const c of asStrings(spec.children)) {
          pair(c, 'group', RELATION_PARENT_OF, RELATION_CHILD_OF);
        }
        for (const m of asStrings(spec.members)) {
          pair(m, 'user', RELATION_HAS_MEMBER, RELATION_MEMBER_OF);
        }
        break;
      case 'user':
        for (const g of asStrings(spec.memberOf)) {
          pair(g, 'group', RELATION_MEMBER_OF, RELATION_HAS_MEMBER);
        }
        break;
      case 'aipipeline': {
        const pipelineSpec = spec as unknown as AIPipelineSpec;
        pair(pipelineSpec.owner, 'group', RELATION_OWNED_BY, RELATION_OWNER_OF);
        pair(
          pipelineSpec.system,
          'system',
          RELATION_PART_OF,
          RELATION_HAS_PART,
        );
        for (const stage of pipelineSpec.stages ?? []) {
          pair(
            stage.entityRef,
            'component',
            RELATION_DEPENDS_ON,
            RELATION_DEPENDENCY_OF,
          );
          pair(
            stage.owner,
            'group',
            RELATION_HAS_STAGE_OWNED_BY,
            RELATION_OWNS_STAGE_IN,
          );
        }
        break;
      }
      default:
        pair(spec.owner, 'group', RELATION_OWNED_BY, RELATION_OWNER_OF);
        pair(spec.system, 'system', RELATION_PART_OF, RELATION_HAS_PART);
        for (const d of asStrings(spec.dependsOn)) {
          pair(d, undefined, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
        }
    }
  }

  return entities.map(entity => ({
    ...entity,
    relations: [...(bySource.get(stringifyEntityRef(entity))?.values() ?? [])],
  }));
}

export function group(
  name: string,
  spec: { parent?: string; children?: string[]; members?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], ...spec },
  };
}

export function user(name: string, memberOf: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
  };
}

export function component(
  name: string,
  spec: { owner?: string; dependsOn?: string[]; type?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', ...spec },
  };
}

export function pipeline(
  name: string,
  spec: Omit<AIPipelineSpec, 'lifecycle'> & { lifecycle?: string },
  title?: string,
): AIPipelineEntityV1alpha1 {
  return {
    apiVersion: AI_PIPELINE_API_VERSION,
    kind: AI_PIPELINE_KIND,
    metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
    spec: { lifecycle: 'production', ...spec },
  };
}
