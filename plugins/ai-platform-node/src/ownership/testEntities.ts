import { Entity } from '@backstage/catalog-model';
import {
  AIPipelineEntityV1alpha1,
  AIPipelineSlo,
  AIPipelineSpec,
  AIPipelineStage,
} from '@aiplatform/plugin-ai-platform-common';
import { tryNormalizeRef } from './catalogIndex';

/*
 * Builders of catalog entities with the shapes the catalog serves them in,
 * for the tests of the ownership analysis. Not exported from the package.
 */

type Relation = { type: string; targetRef: string };

export function group(
  name: string,
  options: {
    members?: string[];
    children?: string[];
    namespace?: string;
    relations?: Relation[];
  } = {},
): Entity {
  const namespace = options.namespace ?? 'default';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace },
    spec: {
      type: 'team',
      children: (options.children ?? []).map(c => c.split('/').pop()!),
    },
    relations: [
      ...(options.members ?? []).map(m => ({
        type: 'hasMember',
        targetRef: m,
      })),
      ...(options.children ?? []).map(c => ({
        type: 'parentOf',
        targetRef: c,
      })),
      ...(options.relations ?? []),
    ],
  };
}

export function user(name: string, memberOf: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf },
    relations: memberOf.map(g => ({ type: 'memberOf', targetRef: g })),
  };
}

export function component(
  name: string,
  owner?: string,
  relations: Relation[] = [],
  kind: string = 'Component',
): Entity {
  const ownerRef = owner && tryNormalizeRef(owner, { defaultKind: 'group' });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      ...(owner ? { owner } : {}),
    },
    relations: [
      ...(ownerRef ? [{ type: 'ownedBy', targetRef: ownerRef }] : []),
      ...relations,
    ],
  };
}

export function stage(
  name: string,
  type: AIPipelineStage['type'],
  rest: Partial<AIPipelineStage> = {},
): AIPipelineStage {
  return { name, type, ...rest };
}

export function slo(name: string, stageName?: string): AIPipelineSlo {
  return {
    name,
    signal: 'quality',
    ...(stageName ? { stage: stageName } : {}),
    objective: { op: '>=', threshold: 0.9 },
    target: 0.99,
    window: '28d',
  };
}

export function pipeline(
  name: string,
  spec: Partial<AIPipelineSpec> & Pick<AIPipelineSpec, 'stages'>,
  namespace = 'default',
): AIPipelineEntityV1alpha1 {
  return {
    apiVersion: 'ai-platform.io/v1alpha1',
    kind: 'AIPipeline',
    metadata: { name, namespace },
    spec: {
      type: 'rag',
      lifecycle: 'production',
      owner: 'group:default/ml-team',
      ...spec,
    },
  };
}
