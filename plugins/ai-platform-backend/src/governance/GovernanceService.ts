import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AIPipelineEntityV1alpha1,
  AuditEvent,
  HaltState,
  SloReport,
  aiPlatformPipelineHaltPermission,
  formatSloObjective,
} from '@aiplatform/plugin-ai-platform-common';
import { EnforcementResult } from '@aiplatform/plugin-ai-platform-node';
import { GovernanceStore } from './GovernanceStore';
import { HaltEnforcement, HaltIntent } from './HaltEnforcement';
import { haltRuleFor, policyActor, ruleMatches } from './haltPolicy';
import { PipelineNotifier } from '../notifications/PipelineNotifier';
import { LiveUpdates } from '../notifications/LiveUpdates';
import { getPipelineOrThrow } from '../shared/catalog/catalogPipelines';
import { SpendReader } from '../spend/SpendService';

const MAX_REASON_LENGTH = 2_000;
/** The most audit rows read to fill one filtered page. */
const MAX_AUDIT_SCAN = 20_000;
const BUDGET_EVENTS = new Set(['budget.exceeded', 'budget.forecast-exceeded']);

/** The entity ref (user) or subject (service) behind credentials. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return principal.type;
}

/** Halting and resuming pipelines, behind a permission, audited. */
export class GovernanceService {
  private readonly serviceSubjects: Set<string>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
      store: GovernanceStore;
      /** Whose spend a caller may read (budget events in the audit log). */
      spendReader: (credentials: BackstageCredentials) => Promise<SpendReader>;
      /**
       * Service subjects that may halt and resume
       * (`aiPlatform.governance.serviceSubjects`). Backstage allows a service
       * principal every permission, so any other service is refused.
       */
      serviceSubjects?: string[];
      /** The halt enforcers; none when left out. */
      enforcement?: HaltEnforcement;
      /** How a pipeline's SLOs stand now (for the resume hold). */
      sloReports?: (pipeline: AIPipelineEntityV1alpha1) => Promise<SloReport[]>;
      /** Notifies owners of halts and resumes. */
      notifier?: PipelineNotifier;
      /** Tells open pages of halts and resumes. */
      liveUpdates?: LiveUpdates;
    },
  ) {
    this.serviceSubjects = new Set(options.serviceSubjects ?? []);
  }

  /** The halt state of a pipeline the caller can see; 404 otherwise. */
  async getHalt(
    pipelineRef: string,
    credentials: BackstageCredentials,
  ): Promise<HaltState> {
    await getPipelineOrThrow(this.options.catalog, pipelineRef, credentials);
    return this.options.store.getHalt(pipelineRef);
  }

  async setHalted(
    pipelineRef: string,
    halted: boolean,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<HaltState> {
    await this.authorizeHalt(credentials, halted ? 'halt' : 'resume');
    const { reason, override } = readHaltBody(body, halted);
    const pipeline = await getPipelineOrThrow(
      this.options.catalog,
      pipelineRef,
      credentials,
    );
    const overridden = halted ? undefined : await this.holdResume(pipeline, override);
    return this.apply(pipeline, halted, {
      reason: reason.trim(),
      actor: actorOf(credentials),
      at: Date.now(),
      note: overridden
        ? ` (override: SLO ${overridden.slo} is still ${overridden.status})`
        : '',
    });
  }

  /**
   * Halts a pipeline because its `spec.governance.haltOn` rule for `slo`
   * matched (the SLO watcher calls this); no-op when it is already halted.
   * Acts as the suite itself: no permission applies.
   */
  async haltByPolicy(
    pipeline: AIPipelineEntityV1alpha1,
    slo: SloReport,
  ): Promise<HaltState | undefined> {
    const ref = stringifyEntityRef(pipeline).toLowerCase();
    if ((await this.options.store.getHalt(ref)).halted) return undefined;
    return this.apply(pipeline, true, {
      reason: `SLO ${slo.name} is ${slo.status}: ${
        slo.attainment === null
          ? 'no data'
          : `${(slo.attainment * 100).toFixed(1)}%`
      } of intervals met ${formatSloObjective(slo.signal, slo.objective)}`,
      actor: policyActor(slo.name),
      at: Date.now(),
      note: '',
      policySlo: slo.name,
    });
  }

  /**
   * A resume of a pipeline its policy halted holds while that SLO still
   * fails: ConflictError, unless `override`. Returns the SLO overridden.
   */
  private async holdResume(
    pipeline: AIPipelineEntityV1alpha1,
    override: boolean,
  ): Promise<{ slo: string; status: string } | undefined> {
    const ref = stringifyEntityRef(pipeline).toLowerCase();
    const state = await this.options.store.getHalt(ref);
    const slo = state.halted ? state.policy?.slo : undefined;
    if (!slo || !this.options.sloReports) return undefined;
    const rule = haltRuleFor(pipeline, slo) ?? { slo, status: 'breached' };
    const report = (await this.options.sloReports(pipeline)).find(
      r => r.name === slo,
    );
    if (!report || !ruleMatches(rule, report.status)) return undefined;
    if (override) return { slo, status: report.status };
    throw new ConflictError(
      `${ref} stays halted: its policy (spec.governance.haltOn) halted it on SLO ${slo}, which is still ${report.status}. ` +
        'Resume with override: true to resume it anyway.',
    );
  }

  /** Writes a halt or resume with its enforcement, then tells people and pages. */
  private async apply(
    pipeline: AIPipelineEntityV1alpha1,
    halted: boolean,
    intent: HaltIntent & { note: string; policySlo?: string },
  ): Promise<HaltState> {
    const ref = stringifyEntityRef(pipeline).toLowerCase();
    const { note, policySlo, ...halt } = intent;
    const enforcement = await this.enforce(ref, pipeline, halted, halt);
    const state = await this.options.store.setHalt(
      ref,
      { halted, ...halt, policySlo },
      {
        type: halted ? 'pipeline.halted' : 'pipeline.resumed',
        entityRef: ref,
        actor: halt.actor,
        message: `${halt.actor} ${halted ? 'halted' : 'resumed'} ${ref}: ${
          halt.reason
        }${note}${summarize(enforcement)}`,
        ...(enforcement.length || policySlo || note
          ? {
              details: {
                ...(policySlo ? { policy: { slo: policySlo } } : {}),
                ...(note ? { override: true } : {}),
                ...(enforcement.length
                  ? {
                      enforcement: enforcement.map(
                        ({ enforcer, target, status, message }) => ({
                          enforcer,
                          target,
                          status,
                          message,
                        }),
                      ),
                    }
                  : {}),
              },
            }
          : {}),
      },
      enforcement,
    );
    await this.options.notifier?.haltChanged(pipeline, state);
    if (halted) await this.options.notifier?.enforcementFailed(pipeline, state);
    await this.options.liveUpdates?.publish('halt');
    return state;
  }

  /**
   * Retries now the failed and pending enforcement of a halted pipeline
   * (what the scheduled task does every minute); behind the halt
   * permission. 409 for a pipeline that is not halted.
   */
  async retryEnforcement(
    pipelineRef: string,
    credentials: BackstageCredentials,
  ): Promise<HaltState> {
    await this.authorizeHalt(credentials, 'retry the enforcement of');
    const pipeline = await getPipelineOrThrow(
      this.options.catalog,
      pipelineRef,
      credentials,
    );
    const state = await this.options.store.getHalt(pipelineRef);
    if (!state.halted || !state.at) {
      throw new ConflictError(
        `${pipelineRef} is not halted: there is no enforcement to retry`,
      );
    }
    await this.options.enforcement?.retryHalt(this.options.store, pipeline, {
      pipeline: pipelineRef,
      reason: state.reason ?? '',
      actor: state.by ?? '',
      at: Date.parse(state.at),
    });
    return this.options.store.getHalt(pipelineRef);
  }

  /** Throws unless the caller may halt and resume pipelines. */
  private async authorizeHalt(
    credentials: BackstageCredentials,
    verb: string,
  ): Promise<void> {
    const principal = credentials.principal as {
      type: string;
      subject?: string;
    };
    if (
      principal.type === 'service' &&
      !this.serviceSubjects.has(principal.subject ?? '')
    ) {
      throw new NotAllowedError(
        `Service ${
          principal.subject ?? '(unknown)'
        } may not ${verb} pipelines: list its subject in aiPlatform.governance.serviceSubjects`,
      );
    }
    const [decision] = await this.options.permissions.authorize(
      [{ permission: aiPlatformPipelineHaltPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You need the ${aiPlatformPipelineHaltPermission.name} permission to ${verb} a pipeline`,
      );
    }
  }

  /**
   * Runs the enforcers: a halt with every one that applies (given what the
   * halt in force did, when halted again), a resume with what the halt did.
   * Enforcement never fails the halt or the resume: failures are results.
   */
  private async enforce(
    ref: string,
    pipeline: Parameters<HaltEnforcement['halt']>[0],
    halted: boolean,
    intent: { reason: string; actor: string; at: number },
  ): Promise<EnforcementResult[]> {
    const enforcement = this.options.enforcement;
    if (!enforcement) return [];
    const [current, previous] = await Promise.all([
      this.options.store.getHalt(ref),
      this.options.store.getEnforcement(ref),
    ]);
    if (halted) {
      return enforcement.halt(pipeline, intent, current.halted ? previous : []);
    }
    // Resuming a running pipeline undoes nothing.
    return current.halted ? enforcement.resume(pipeline, intent, previous) : [];
  }

  /**
   * Audit events newest first, only those the caller may see: budget events
   * of teams whose spend it may read, other events of entities it can see
   * in the catalog.
   */
  async listAudit(
    query: { entityRef?: string; limit: number },
    credentials: BackstageCredentials,
  ): Promise<AuditEvent[]> {
    const visible = new Map<string, Entity | null>();
    // Read only when a budget event needs it (it may read the group tree).
    let spendReader: Promise<SpendReader> | undefined;
    const readsSpend = () =>
      (spendReader ??= this.options.spendReader(credentials));
    const items: AuditEvent[] = [];
    for (let scan = query.limit; ; scan = Math.min(scan * 4, MAX_AUDIT_SCAN)) {
      const events = await this.options.store.listAuditEvents({
        entityRef: query.entityRef,
        limit: scan,
      });
      await this.lookUp(
        events.map(e => e.entityRef).filter(ref => !visible.has(ref)),
        visible,
        credentials,
      );
      items.length = 0;
      for (const event of events) {
        const entity = visible.get(event.entityRef);
        const reader = BUDGET_EVENTS.has(event.type)
          ? await readsSpend()
          : undefined;
        if (this.mayList(event, entity, reader)) {
          items.push(event);
          if (items.length === query.limit) return items;
        }
      }
      if (events.length < scan || scan === MAX_AUDIT_SCAN) return items;
    }
  }

  private mayList(
    event: AuditEvent,
    entity: Entity | null | undefined,
    readsSpend: SpendReader | undefined,
  ): boolean {
    if (!readsSpend) return !!entity;
    const kind = safeKind(event.entityRef);
    if (kind === 'group' || kind === 'user') return readsSpend(event.entityRef);
    const owner = (entity?.spec as { owner?: unknown } | undefined)?.owner;
    return typeof owner === 'string' && readsSpend(owner);
  }

  /** Entities by ref as the caller sees them (null: not there or not visible). */
  private async lookUp(
    refs: string[],
    into: Map<string, Entity | null>,
    credentials: BackstageCredentials,
  ) {
    const unique = [...new Set(refs)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const { items } = await this.options.catalog.getEntitiesByRefs(
        {
          entityRefs: chunk,
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
        },
        { credentials },
      );
      chunk.forEach((ref, j) => into.set(ref, items[j] ?? null));
    }
  }
}

/** The reason and override of a halt or resume body; InputError naming the field. */
function readHaltBody(
  body: unknown,
  halted: boolean,
): { reason: string; override: boolean } {
  const { reason, override } = (body ?? {}) as {
    reason?: unknown;
    override?: unknown;
  };
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw new InputError('reason: say why, e.g. "accuracy below threshold"');
  }
  if (reason.length > MAX_REASON_LENGTH) {
    throw new InputError(
      `reason: at most ${MAX_REASON_LENGTH} characters, got ${reason.length}`,
    );
  }
  if (override !== undefined && typeof override !== 'boolean') {
    throw new InputError('override: must be true or false');
  }
  if (halted && override !== undefined) {
    throw new InputError('override: only a resume can override');
  }
  return { reason, override: override === true };
}

/** `; enforcement: 3 applied, 1 failed` for the audit message, or nothing. */
function summarize(results: EnforcementResult[]): string {
  if (!results.length) return '';
  const counts = new Map<string, number>();
  for (const r of results)
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return ` (enforcement: ${[...counts]
    .map(([status, n]) => `${n} ${status}`)
    .join(', ')})`;
}

function safeKind(ref: string): string | undefined {
  try {
    return parseEntityRef(ref).kind.toLowerCase();
  } catch {
    return undefined;
  }
}
