import { Config } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  EnforcementResult,
  HaltEnforcementContext,
  HaltEnforcer,
} from '@aiplatform/plugin-ai-platform-node';
import {
  KubernetesApis,
  KubernetesConnectionOptions,
  createKubernetesApis,
  describeKubernetesError,
  readKubernetesConnection,
} from './kubernetesClient';
import {
  KUBERNETES_WORKLOADS_ANNOTATION,
  Workload,
  annotatedWorkloads,
  workloadId,
  workloadTarget,
} from './kubernetesWorkloads';

export const KUBERNETES_ENFORCER_CONFIG_KEY =
  'aiPlatform.governance.enforcers.kubernetes';

const ID = 'kubernetes';

/**
 * What the halt changed, so that resume restores exactly that: the
 * replicas a Deployment or StatefulSet had, or that a CronJob was not
 * suspended. None for a workload already at 0 or suspended before the halt.
 */
type KubernetesUndo =
  | { workload: string; replicas: number }
  | { workload: string; suspend: false };

/** `aiPlatform.governance.enforcers.kubernetes`, or undefined when absent. */
export function readKubernetesEnforcerOptions(
  config: Config,
): KubernetesConnectionOptions | undefined {
  const own = config.getOptionalConfig(KUBERNETES_ENFORCER_CONFIG_KEY);
  if (!own) return undefined;
  return readKubernetesConnection(own, KUBERNETES_ENFORCER_CONFIG_KEY);
}

function undoOf(result: EnforcementResult): KubernetesUndo | undefined {
  const undo = result.undo as Record<string, unknown> | undefined;
  if (typeof undo?.workload !== 'string') return undefined;
  if (
    typeof undo.replicas === 'number' &&
    Number.isInteger(undo.replicas) &&
    undo.replicas >= 0
  ) {
    return { workload: undo.workload, replicas: undo.replicas };
  }
  if (undo.suspend === false)
    return { workload: undo.workload, suspend: false };
  return undefined;
}

function parseWorkloadId(id: string): Workload | undefined {
  const [kind, namespace, name] = id.split('/');
  if (
    (kind === 'deployment' || kind === 'statefulset' || kind === 'cronjob') &&
    namespace &&
    name
  ) {
    return { kind, namespace, name };
  }
  return undefined;
}

/** Reads and changes one kind of workload through the client. */
class Workloads {
  constructor(
    private readonly apis: KubernetesApis,
    private readonly timeoutMs: number,
  ) {}

  private async call<T>(label: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new Error(describeKubernetesError(label, error, this.timeoutMs));
    }
  }

  /** The replicas of a Deployment or StatefulSet (its scale subresource). */
  replicas(w: Workload): Promise<number> {
    const params = { name: w.name, namespace: w.namespace };
    return this.call(
      `Kubernetes GET ${w.kind} ${w.namespace}/${w.name} scale`,
      async () => {
        const scale =
          w.kind === 'deployment'
            ? await this.apis.apps.readNamespacedDeploymentScale(
                params,
                this.apis.call(),
              )
            : await this.apis.apps.readNamespacedStatefulSetScale(
                params,
                this.apis.call(),
              );
        return scale.spec?.replicas ?? 0;
      },
    );
  }

  async scale(w: Workload, replicas: number): Promise<void> {
    const params = {
      name: w.name,
      namespace: w.namespace,
      body: { spec: { replicas } },
    };
    await this.call(
      `Kubernetes PATCH ${w.kind} ${w.namespace}/${w.name} scale`,
      () =>
        w.kind === 'deployment'
          ? this.apis.apps.patchNamespacedDeploymentScale(
              params,
              this.apis.mergePatch(),
            )
          : this.apis.apps.patchNamespacedStatefulSetScale(
              params,
              this.apis.mergePatch(),
            ),
    );
  }

  suspended(w: Workload): Promise<boolean> {
    return this.call(
      `Kubernetes GET cronjob ${w.namespace}/${w.name}`,
      async () => {
        const cronJob = await this.apis.batch.readNamespacedCronJob(
          { name: w.name, namespace: w.namespace },
          this.apis.call(),
        );
        return cronJob.spec?.suspend === true;
      },
    );
  }

  async suspend(w: Workload, suspend: boolean): Promise<void> {
    await this.call(`Kubernetes PATCH cronjob ${w.namespace}/${w.name}`, () =>
      this.apis.batch.patchNamespacedCronJob(
        { name: w.name, namespace: w.namespace, body: { spec: { suspend } } },
        this.apis.mergePatch(),
      ),
    );
  }
}

const result = (
  w: Workload,
  status: EnforcementResult['status'],
  message: string,
  undo?: KubernetesUndo,
): EnforcementResult => ({
  enforcer: ID,
  target: workloadTarget(w),
  status,
  message,
  ...(undo ? { undo } : {}),
});

function entitiesOf(ctx: HaltEnforcementContext): Entity[] {
  return [ctx.pipeline, ...ctx.stages];
}

/**
 * Scales to 0 the Deployments and StatefulSets (through their `scale`
 * subresource) and suspends the CronJobs that the pipeline and its stage
 * entities name in `ai-platform.io/kubernetes-workloads`, and restores on
 * resume exactly what it changed: the replicas each had, `suspend: false`.
 * A workload already at 0 or suspended before the halt is left as it is.
 */
export function createKubernetesEnforcer(
  options: KubernetesConnectionOptions & { apis?: KubernetesApis },
): HaltEnforcer {
  const workloads = new Workloads(
    options.apis ?? createKubernetesApis(options),
    options.timeoutMs,
  );

  async function haltOne(
    w: Workload,
    previousUndo: KubernetesUndo | undefined,
  ): Promise<EnforcementResult> {
    const target = `${w.namespace}/${w.name}`;
    if (w.kind === 'cronjob') {
      let suspended: boolean;
      try {
        suspended = await workloads.suspended(w);
      } catch (error) {
        return result(w, 'failed', (error as Error).message, previousUndo);
      }
      if (suspended) {
        return previousUndo
          ? result(w, 'applied', 'suspended', previousUndo)
          : result(
              w,
              'applied',
              'already suspended before the halt; stays suspended on resume',
            );
      }
      const undo = previousUndo ?? { workload: workloadId(w), suspend: false };
      try {
        await workloads.suspend(w, true);
        return result(w, 'applied', 'suspended', undo);
      } catch (error) {
        // The undo is kept: a retry that finds it suspended knows it was ours.
        return result(w, 'failed', (error as Error).message, undo);
      }
    }

    let replicas: number;
    try {
      replicas = await workloads.replicas(w);
    } catch (error) {
      return result(w, 'failed', (error as Error).message, previousUndo);
    }
    const before =
      previousUndo && 'replicas' in previousUndo
        ? previousUndo.replicas
        : replicas;
    if (replicas === 0) {
      return previousUndo
        ? result(w, 'applied', `scaled to 0 (was ${before})`, previousUndo)
        : result(
            w,
            'applied',
            'already at 0 replicas before the halt; stays at 0 on resume',
          );
    }
    // On a retry or a second halt, the replicas before the first one: the
    // workload may have been scaled up meanwhile, never "0 before the halt".
    const undo = previousUndo ?? { workload: workloadId(w), replicas };
    try {
      await workloads.scale(w, 0);
      return result(w, 'applied', `scaled to 0 (was ${before})`, undo);
    } catch (error) {
      return result(
        w,
        'failed',
        `${(error as Error).message} (${target} has ${replicas})`,
        undo,
      );
    }
  }

  async function halt(
    ctx: HaltEnforcementContext,
  ): Promise<EnforcementResult[]> {
    const { workloads: listed, malformed } = annotatedWorkloads(
      entitiesOf(ctx),
    );
    const previous = new Map<string, EnforcementResult>();
    for (const r of ctx.previous ?? []) {
      const undo = undoOf(r);
      if (undo) previous.set(undo.workload, r);
    }
    const results: EnforcementResult[] = malformed.map(m => ({
      enforcer: ID,
      target: m.entityRef,
      status: 'failed' as const,
      message: `${m.entityRef} annotation ${KUBERNETES_WORKLOADS_ANNOTATION}: "${m.item}" ${m.problem}`,
    }));
    results.push(
      ...(await Promise.all(
        listed.map(w => {
          const prev = previous.get(workloadId(w));
          return haltOne(w, prev && undoOf(prev));
        }),
      )),
    );
    // Halted by an earlier attempt but no longer annotated: kept, so that
    // resume still restores them.
    const listedIds = new Set(listed.map(workloadId));
    for (const [id, r] of previous) {
      if (!listedIds.has(id) && r.status === 'applied') results.push(r);
    }
    return results;
  }

  async function resume(
    _ctx: HaltEnforcementContext,
    previous: EnforcementResult[],
  ): Promise<EnforcementResult[]> {
    const restore = previous
      .map(r => ({ r, undo: undoOf(r) }))
      .filter(
        (x): x is { r: EnforcementResult; undo: KubernetesUndo } => !!x.undo,
      );
    return Promise.all(
      restore.map(async ({ r, undo }) => {
        const w = parseWorkloadId(undo.workload);
        if (!w) {
          return {
            ...r,
            status: 'failed' as const,
            message: 'unknown workload',
          };
        }
        try {
          if ('replicas' in undo) {
            await workloads.scale(w, undo.replicas);
            return result(w, 'applied', `scaled back to ${undo.replicas}`);
          }
          await workloads.suspend(w, false);
          return result(w, 'applied', 'unsuspended');
        } catch (error) {
          return result(w, 'failed', (error as Error).message, undo);
        }
      }),
    );
  }

  return {
    id: ID,
    appliesTo: ctx =>
      !!ctx.previous?.length ||
      entitiesOf(ctx).some(
        e =>
          e.metadata.annotations?.[KUBERNETES_WORKLOADS_ANNOTATION] !==
          undefined,
      ),
    halt,
    resume,
  };
}
