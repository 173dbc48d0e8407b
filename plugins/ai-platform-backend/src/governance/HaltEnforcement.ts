import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AIPipelineEntityV1alpha1 } from '@aiplatform/plugin-ai-platform-common';
import {
  EnforcementResult,
  HaltEnforcementContext,
  HaltEnforcer,
  tryNormalizeRef,
} from '@aiplatform/plugin-ai-platform-node';
import { asPipeline } from '../shared/catalog/catalogPipelines';
import { GovernanceStore, HaltRecord } from './GovernanceStore';

/** Id of the scheduled task that retries failed enforcement. */
export const ENFORCEMENT_RETRY_TASK_ID = 'ai-platform-halt-enforcement-retry';

/** Who halts or resumes, why and when (epoch ms). */
export interface HaltIntent {
  reason: string;
  actor: string;
  at: number;
}

const isRetryable = (r: EnforcementResult) =>
  r.status === 'failed' || r.status === 'pending';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the halt enforcers: on a halt every one that applies, on a resume
 * every one that acted on the halt (with what it did), and, on a schedule,
 * again each one whose halt results failed or are pending.
 *
 * An enforcer that throws is recorded as one failed result; nothing here
 * fails a halt.
 */
export class HaltEnforcement {
  private readonly enforcers: HaltEnforcer[];

  constructor(
    private readonly options: {
      enforcers: HaltEnforcer[];
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {
    const ids = new Set<string>();
    for (const enforcer of options.enforcers) {
      if (ids.has(enforcer.id)) {
        throw new Error(`Two halt enforcers have the id ${enforcer.id}`);
      }
      ids.add(enforcer.id);
    }
    this.enforcers = [...options.enforcers];
  }

  /** Whether any enforcer is installed. */
  get enabled(): boolean {
    return this.enforcers.length > 0;
  }

  /**
   * Halts with every enforcer that applies. `previous`: the results of the
   * halt in force, when the pipeline is halted again.
   */
  async halt(
    pipeline: AIPipelineEntityV1alpha1,
    intent: HaltIntent,
    previous: EnforcementResult[] = [],
  ): Promise<EnforcementResult[]> {
    if (!this.enabled) return [];
    const ctx = await this.context(pipeline, intent);
    const results = await Promise.all(
      this.enforcers.map(async enforcer => {
        const own = previous.filter(r => r.enforcer === enforcer.id);
        const enforcerCtx = own.length ? { ...ctx, previous: own } : ctx;
        try {
          if (enforcer.appliesTo && !(await enforcer.appliesTo(enforcerCtx))) {
            return [];
          }
        } catch (error) {
          return [this.failure(enforcer.id, error)];
        }
        return this.run(enforcer.id, () => enforcer.halt(enforcerCtx));
      }),
    );
    return results.flat();
  }

  /** Undoes, enforcer by enforcer, what the halt's `previous` results did. */
  async resume(
    pipeline: AIPipelineEntityV1alpha1,
    intent: HaltIntent,
    previous: EnforcementResult[],
  ): Promise<EnforcementResult[]> {
    if (!previous.length) return [];
    const ctx = await this.context(pipeline, intent);
    const ids = [...new Set(previous.map(r => r.enforcer))];
    const results = await Promise.all(
      ids.map(async id => {
        const own = previous.filter(r => r.enforcer === id);
        const enforcer = this.enforcers.find(e => e.id === id);
        if (!enforcer) {
          // Said, not dropped: someone has to undo these by hand.
          return own.map(r => ({
            enforcer: id,
            target: r.target,
            status: 'failed' as const,
            message: `enforcer ${id} is no longer installed: undo by hand`,
          }));
        }
        return this.run(id, () => enforcer.resume(ctx, own));
      }),
    );
    return results.flat();
  }

  /**
   * Runs again, for every halted pipeline, each enforcer with a failed or
   * pending result, until they are applied or the pipeline is resumed.
   */
  async retryFailed(store: GovernanceStore): Promise<void> {
    const halts = await store.listHaltsToRetry();
    if (!halts.length) return;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    for (const halt of halts) {
      const pipeline = asPipeline(
        await this.options.catalog.getEntityByRef(halt.pipeline, {
          credentials,
        }),
      );
      if (!pipeline) {
        this.options.logger.warn(
          `Halt enforcement of ${halt.pipeline} not retried: it is no longer a valid AIPipeline in the catalog`,
        );
        continue;
      }
      await this.retryHalt(store, pipeline, halt);
    }
  }

  /**
   * Runs again each enforcer with a failed or pending result of this halt
   * (the one in force, `halt.at`); results of a halt replaced meanwhile are
   * dropped.
   */
  async retryHalt(
    store: GovernanceStore,
    pipeline: AIPipelineEntityV1alpha1,
    halt: HaltRecord,
  ): Promise<void> {
    const previous = await store.getEnforcement(halt.pipeline);
    const ids = [...new Set(previous.filter(isRetryable).map(r => r.enforcer))];
    if (!ids.length) return;
    const ctx = await this.context(pipeline, halt);
    for (const id of ids) {
      const enforcer = this.enforcers.find(e => e.id === id);
      if (!enforcer) continue;
      const own = previous.filter(r => r.enforcer === id);
      const results = await this.run(id, () =>
        enforcer.halt({ ...ctx, previous: own }),
      );
      const written = await store.replaceEnforcerResults(
        halt.pipeline,
        halt.at,
        id,
        results,
      );
      const left = results.filter(isRetryable).length;
      this.options.logger.info(
        written
          ? `Halt enforcement of ${halt.pipeline} by ${id} retried: ${
              left ? `${left} still failing` : 'applied'
            }`
          : `Halt enforcement of ${halt.pipeline} by ${id} retried, but the halt changed meanwhile: results dropped`,
      );
    }
  }

  /** Retries failed enforcement every minute, on one replica at a time. */
  async schedule(
    scheduler: SchedulerService,
    store: GovernanceStore,
  ): Promise<void> {
    if (!this.enabled) return;
    await scheduler.scheduleTask({
      id: ENFORCEMENT_RETRY_TASK_ID,
      scope: 'global',
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
      fn: async () => {
        await this.retryFailed(store);
      },
    });
  }

  private async run(
    id: string,
    fn: () => Promise<EnforcementResult[]>,
  ): Promise<EnforcementResult[]> {
    try {
      // The enforcer field is the enforcer's id, whatever it wrote.
      return (await fn()).map(r => ({ ...r, enforcer: id }));
    } catch (error) {
      return [this.failure(id, error)];
    }
  }

  private failure(id: string, error: unknown): EnforcementResult {
    this.options.logger.warn(
      `Halt enforcer ${id} failed: ${errorMessage(error)}`,
    );
    return {
      enforcer: id,
      target: id,
      status: 'failed',
      message: errorMessage(error),
    };
  }

  private async context(
    pipeline: AIPipelineEntityV1alpha1,
    intent: HaltIntent,
  ): Promise<HaltEnforcementContext> {
    const pipelineRef = stringifyEntityRef(pipeline).toLowerCase();
    const stageRefs = [
      ...new Set(
        pipeline.spec.stages
          .map(s =>
            s.entityRef
              ? tryNormalizeRef(s.entityRef, {
                  defaultKind: 'component',
                  defaultNamespace: pipeline.metadata.namespace ?? 'default',
                })
              : undefined,
          )
          .filter((r): r is string => !!r),
      ),
    ];
    let stages: HaltEnforcementContext['stages'] = [];
    if (stageRefs.length) {
      // The plugin's own credentials: enforcement must reach every stage,
      // whatever the person halting may see.
      const credentials = await this.options.auth.getOwnServiceCredentials();
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: stageRefs },
        { credentials },
      );
      stages = items.filter((e): e is NonNullable<typeof e> => !!e);
    }
    return {
      pipeline,
      entityRefs: [pipelineRef, ...stageRefs.filter(r => r !== pipelineRef)],
      stages,
      reason: intent.reason,
      actor: intent.actor,
      at: new Date(intent.at).toISOString(),
    };
  }
}
