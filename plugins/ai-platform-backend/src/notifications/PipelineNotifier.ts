import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  RELATION_CHILD_OF,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  NotificationRecipients,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import {
  AIPipelineEntityV1alpha1,
  BudgetReport,
  HaltState,
  HealthSuspect,
  OwnershipFinding,
  SloReport,
  enforcementSummary,
  formatSloObjective,
  runbookFor,
} from '@aiplatform/plugin-ai-platform-common';
import { tryNormalizeRef } from '@aiplatform/plugin-ai-platform-node';
import { OwnershipService } from '../ownership/OwnershipService';
import { entityPath, spendPath } from './links';

/** What made an SLO alert: a breach, or a firing page-level burn-rate alert. */
export type SloAlertLevel = 'breached' | 'page';

const TOPIC = 'ai-platform';

const percent = (value: number | null) =>
  value === null ? 'no data' : `${(value * 100).toFixed(1)}%`;

/**
 * Tells people what the suite saw and did, through Backstage notifications:
 * SLO alerts, halts and resumes, failed enforcement, budget crossings and
 * new error-severity ownership findings. Every notification has a stable
 * `scope` (the notifications backend updates rather than duplicates one of
 * the same scope) and a link to the tab that explains it; the callers send
 * each on a change of state, never on every check.
 *
 * Sending never throws: a notification that cannot be sent is logged.
 */
export class PipelineNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      ownership: OwnershipService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** An SLO breached, or its page-level burn-rate alert fired. */
  async sloAlert(
    pipeline: AIPipelineEntityV1alpha1,
    slo: SloReport,
    level: SloAlertLevel,
    suspect: HealthSuspect | null,
  ): Promise<void> {
    const ref = refOf(pipeline);
    const stage = suspect?.stage ?? slo.stage ?? null;
    const runbook = runbookFor(pipeline.spec, stage);
    const page = slo.burnRates.find(b => b.severity === 'page' && b.firing);
    const what =
      level === 'breached'
        ? `${percent(slo.attainment)} of intervals met ${formatSloObjective(
            slo.signal,
            slo.objective,
          )} (target ${percent(slo.target)})`
        : `the error budget burns ${
            page?.longRate?.toFixed(1) ?? '?'
          }× too fast over ${page?.long ?? 'the long window'} and ${
            page?.short ?? 'the short window'
          }`;
    await this.send(await this.recipients(pipeline, stage ? [stage] : []), {
      title: `${pipeline.metadata.name}: SLO ${slo.name} ${
        level === 'breached' ? 'is breached' : 'burns its error budget'
      }`,
      description: lines(
        `${what}.`,
        suspect ? `Suspect stage ${suspect.stage}: ${suspect.reason}.` : '',
        runbook ? `Runbook: ${runbook}` : '',
      ),
      link: entityPath(ref, 'dashboard'),
      severity: 'high',
      topic: TOPIC,
      scope: `ai-platform:slo:${ref}:${slo.name}`,
      metadata: {
        pipeline: ref,
        slo: slo.name,
        level,
        ...(runbook ? { runbook } : {}),
      },
    });
  }

  /** A halt or a resume: who, why and what the enforcers did. */
  async haltChanged(
    pipeline: AIPipelineEntityV1alpha1,
    state: HaltState,
  ): Promise<void> {
    const ref = refOf(pipeline);
    const runbook = runbookFor(pipeline.spec);
    const verb = state.halted ? 'halted' : 'resumed';
    const enforcement = enforcementSummary(state.enforcement, state.halted);
    await this.send(await this.recipients(pipeline, 'all'), {
      title: `${pipeline.metadata.name} was ${verb} by ${state.by}`,
      description: lines(
        `Reason: ${state.reason}`,
        enforcement ? `Enforcement: ${enforcement}` : '',
        runbook ? `Runbook: ${runbook}` : '',
      ),
      link: entityPath(ref, 'dashboard'),
      severity: state.halted ? 'high' : 'normal',
      topic: TOPIC,
      scope: `ai-platform:halt:${ref}`,
      metadata: { pipeline: ref, halted: state.halted },
    });
  }

  /** A halt's enforcement failed for some target (once per halt). */
  async enforcementFailed(
    pipeline: AIPipelineEntityV1alpha1,
    state: HaltState,
  ): Promise<void> {
    const ref = refOf(pipeline);
    const failed = (state.enforcement ?? []).filter(e => e.status === 'failed');
    if (!failed.length || !state.at) return;
    await this.send(await this.recipients(pipeline, 'all'), {
      title: `${pipeline.metadata.name} is halted, but enforcement failed`,
      description: lines(
        ...failed.map(e => `${e.enforcer} ${e.target}: ${e.message}`),
        'Failed enforcement is retried every minute until it applies or the pipeline is resumed.',
      ),
      link: entityPath(ref, 'dashboard'),
      severity: 'critical',
      topic: TOPIC,
      scope: `ai-platform:enforcement:${ref}:${Date.parse(state.at)}`,
      metadata: { pipeline: ref },
    });
  }

  /** A budget's forecast or actual spend crossed it: to the team and its parent. */
  async budgetCrossed(
    entityRef: string,
    type: 'budget.exceeded' | 'budget.forecast-exceeded',
    report: BudgetReport,
  ): Promise<void> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) return;
    const isGroup = entity.kind.toLowerCase() === 'group';
    const team = isGroup
      ? entityRef
      : tryNormalizeRef(
          String((entity.spec as { owner?: unknown })?.owner ?? ''),
          {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          },
        );
    if (!team) return;
    // The parent's own members (its leads), not the parent's whole subtree,
    // which the notifications backend would expand to every sibling team.
    const recipients = [team, ...(await this.parentMembers(team))];
    const name = entity.metadata.name;
    await this.send(
      { type: 'entity', entityRef: recipients },
      {
        title:
          type === 'budget.exceeded'
            ? `${name} is over its ${report.month} budget`
            : `${name} is forecast to exceed its ${report.month} budget`,
        description:
          type === 'budget.exceeded'
            ? `Spent $${report.monthToDateUsd.toFixed(2)} of $${
                report.budgetUsd
              }.`
            : `Forecast $${report.forecastUsd.toFixed(2)} against $${
                report.budgetUsd
              } ($${report.monthToDateUsd.toFixed(2)} so far).`,
        link: isGroup ? spendPath(entityRef) : entityPath(entityRef),
        severity: type === 'budget.exceeded' ? 'high' : 'normal',
        topic: TOPIC,
        scope: `ai-platform:budget:${entityRef}:${report.month}`,
        metadata: { entity: entityRef, month: report.month, type },
      },
    );
  }

  /** A new error-severity ownership finding: to the pipeline owner. */
  async findingRaised(
    pipeline: AIPipelineEntityV1alpha1,
    finding: OwnershipFinding,
  ): Promise<void> {
    const ref = refOf(pipeline);
    const runbook = runbookFor(pipeline.spec, finding.stage);
    await this.send(await this.recipients(pipeline, []), {
      title: `${pipeline.metadata.name}: ${finding.code}`,
      description: lines(finding.message, runbook ? `Runbook: ${runbook}` : ''),
      link: entityPath(ref, 'ownership'),
      severity: 'high',
      topic: TOPIC,
      scope: `ai-platform:finding:${ref}:${finding.code}:${
        finding.stage ?? '-'
      }`,
      metadata: { pipeline: ref, code: finding.code },
    });
  }

  /**
   * The pipeline's owner, and the owners of `stages` (every stage for
   * `'all'`), as the ownership graph resolves them.
   */
  private async recipients(
    pipeline: AIPipelineEntityV1alpha1,
    stages: string[] | 'all',
  ): Promise<NotificationRecipients> {
    const ref = refOf(pipeline);
    const refs = new Set<string>();
    const owner = tryNormalizeRef(pipeline.spec.owner, {
      defaultKind: 'group',
      defaultNamespace: pipeline.metadata.namespace ?? 'default',
    });
    if (owner) refs.add(owner);
    if (stages === 'all' || stages.length) {
      try {
        const credentials = await this.options.auth.getOwnServiceCredentials();
        const graph = await this.options.ownership.getPipelineOwnership(
          ref,
          credentials,
        );
        for (const stage of graph.stages) {
          if (
            stage.owner &&
            (stages === 'all' || stages.includes(stage.name))
          ) {
            refs.add(stage.owner);
          }
        }
      } catch (error) {
        this.options.logger.warn(
          `Could not resolve the stage owners of ${ref} for a notification: ${error}`,
        );
      }
    }
    return { type: 'entity', entityRef: [...refs] };
  }

  /** The users who are direct members of the team's parent group. */
  private async parentMembers(groupRef: string): Promise<string[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const read = (ref: string) =>
      this.options.catalog.getEntityByRef(ref, { credentials });
    const group = await read(groupRef);
    const parentRef = group?.relations?.find(
      r => r.type === RELATION_CHILD_OF,
    )?.targetRef;
    const parent = parentRef ? await read(parentRef) : undefined;
    return (parent?.relations ?? [])
      .filter(
        r =>
          r.type === RELATION_HAS_MEMBER &&
          r.targetRef.toLowerCase().startsWith('user:'),
      )
      .map(r => r.targetRef);
  }

  private async send(
    recipients: NotificationRecipients,
    payload: NotificationPayload,
  ): Promise<void> {
    if (recipients.type === 'entity' && !recipients.entityRef.length) return;
    try {
      await this.options.notifications.send({ recipients, payload });
    } catch (error) {
      this.options.logger.warn(
        `Could not send the notification "${payload.title}" (${payload.scope}): ${error}`,
      );
    }
  }
}

function refOf(pipeline: AIPipelineEntityV1alpha1): string {
  return stringifyEntityRef(pipeline).toLowerCase();
}

/**
 * One line per part; every line but the last ends as a sentence, since the
 * notifications page shows them run together.
 */
function lines(...parts: string[]): string {
  const kept = parts.filter(Boolean);
  return kept
    .map((line, i) =>
      i < kept.length - 1 && !/[.!?]$/.test(line) ? `${line}.` : line,
    )
    .join('\n');
}
