import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** Names the workloads that serve an entity: `deployment/<ns>/<name>, ...`. */
export const KUBERNETES_WORKLOADS_ANNOTATION =
  'ai-platform.io/kubernetes-workloads';

export type WorkloadKind = 'deployment' | 'statefulset' | 'cronjob';

const KINDS: readonly WorkloadKind[] = ['deployment', 'statefulset', 'cronjob'];

export interface Workload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** One annotation item that is not `<kind>/<namespace>/<name>`. */
export interface MalformedWorkload {
  entityRef: string;
  item: string;
  problem: string;
}

/** A namespace: an RFC 1123 label. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** An object name: an RFC 1123 subdomain. */
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `workload:deployment/<ns>/<name>`: the target of a result. The UI counts
 * targets by their `<noun>:` prefix: "Kubernetes (3 workloads)".
 */
export function workloadTarget(w: Workload): string {
  return `workload:${workloadId(w)}`;
}

/** `deployment/<ns>/<name>`: what identifies a workload in an `undo`. */
export function workloadId(w: Workload): string {
  return `${w.kind}/${w.namespace}/${w.name}`;
}

function parseItem(item: string): Workload | string {
  const parts = item.split('/');
  if (parts.length !== 3) {
    return 'is not <kind>/<namespace>/<name>';
  }
  const [kind, namespace, name] = parts.map(p => p.trim());
  if (!KINDS.includes(kind as WorkloadKind)) {
    return `kind "${kind}" is not one of ${KINDS.join(', ')}`;
  }
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    return `namespace "${namespace}" is not a Kubernetes namespace name`;
  }
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    return `name "${name}" is not a Kubernetes object name`;
  }
  return { kind: kind as WorkloadKind, namespace, name };
}

/**
 * Each entity that has `annotation`, with its comma-separated items (trimmed,
 * blanks dropped): how the enforcers' annotations list what they act on.
 */
export function annotationLists(
  entities: Entity[],
  annotation: string,
): Array<{ entityRef: string; value: string; items: string[] }> {
  return entities.flatMap(entity => {
    const value = entity.metadata.annotations?.[annotation];
    if (value === undefined) return [];
    const items = value
      .split(',')
      .map(i => i.trim())
      .filter(Boolean);
    return [{ entityRef: stringifyEntityRef(entity), value, items }];
  });
}

/**
 * The workloads the entities' annotations name, each once (in order), and
 * the items that are not `<kind>/<namespace>/<name>`.
 */
export function annotatedWorkloads(entities: Entity[]): {
  workloads: Workload[];
  malformed: MalformedWorkload[];
} {
  const workloads = new Map<string, Workload>();
  const malformed: MalformedWorkload[] = [];
  for (const { entityRef, value, items } of annotationLists(
    entities,
    KUBERNETES_WORKLOADS_ANNOTATION,
  )) {
    if (!items.length) {
      malformed.push({ entityRef, item: value, problem: 'names no workload' });
    }
    for (const item of items) {
      const parsed = parseItem(item);
      if (typeof parsed === 'string') {
        malformed.push({ entityRef, item, problem: parsed });
      } else {
        workloads.set(workloadId(parsed), parsed);
      }
    }
  }
  return { workloads: [...workloads.values()], malformed };
}
