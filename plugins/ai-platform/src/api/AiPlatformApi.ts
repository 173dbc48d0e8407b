import { createApiRef } from '@backstage/core-plugin-api';
import {
  AuditEventList,
  DailySpendResponse,
  HaltState,
  ListOptions,
  OwnedStageList,
  OwnedStageSortKey,
  OwnershipReport,
  OwnershipReportSortKey,
  PipelineDashboard,
  PipelineList,
  PipelineOwnership,
  PipelineSortKey,
  ScaffolderOptionsResponse,
  SpendBudgetResponse,
  SpendGroupBy,
  SpendResponse,
  UnpricedModelsResponse,
} from '@aiplatform/plugin-ai-platform-common';

/**
 * Time range of a dashboard request; both ends ISO 8601.
 *
 * @public
 */
export interface DashboardRange {
  from: string;
  to: string;
}

/**
 * Filter of the audit log.
 *
 * @public
 */
export interface ListAuditOptions {
  /** Only events about this entity ref. */
  entityRef?: string;
  /** At most this many events, newest first. */
  limit?: number;
}

/**
 * What `GET /spend` and `GET /spend/daily` aggregate, over a time range.
 *
 * @public
 */
export interface SpendQuery extends DashboardRange {
  /** The dimension of the items: team, service (entity), model or pipeline. */
  groupBy: SpendGroupBy;
  /** Only usage of this group, as a full group ref. */
  team?: string;
  /** With `team`: also usage of the groups below it. */
  includeSubteams?: boolean;
}

/**
 * Client of the AI Platform backend.
 *
 * @public
 */
export interface AiPlatformApi {
  /**
   * The pipelines the user can see: one page with `options.limit`, else
   * every one (the client fetches page after page).
   */
  listPipelines(options?: ListOptions<PipelineSortKey>): Promise<PipelineList>;
  getPipelineOwnership(
    namespace: string,
    name: string,
  ): Promise<PipelineOwnership>;
  /** The ownership report, optionally for one owner: one page with `options.limit`, else all of it. */
  getOwnershipReport(
    owner?: string,
    options?: ListOptions<OwnershipReportSortKey>,
  ): Promise<OwnershipReport>;
  /** The stages an owner owns: one page with `options.limit`, else all of them. */
  getOwnedStages(
    owner: string,
    options?: ListOptions<OwnedStageSortKey>,
  ): Promise<OwnedStageList>;
  /** Signals, SLOs, health and halt state of a pipeline over a time range. */
  getDashboard(
    namespace: string,
    name: string,
    range: DashboardRange,
  ): Promise<PipelineDashboard>;
  /** Whether a pipeline is halted, and by whom; lighter than the dashboard. */
  getHaltState(namespace: string, name: string): Promise<HaltState>;
  /** Halts a pipeline; needs the `ai-platform.pipeline.halt` permission. */
  haltPipeline(
    namespace: string,
    name: string,
    reason: string,
  ): Promise<HaltState>;
  /**
   * Runs the failed and pending halt enforcers of a halted pipeline again,
   * now (the backend also retries them every minute); needs the
   * `ai-platform.pipeline.halt` permission.
   */
  retryHaltEnforcement(namespace: string, name: string): Promise<HaltState>;
  /**
   * Resumes a halted pipeline; needs the `ai-platform.pipeline.halt`
   * permission. A pipeline its `spec.governance.haltOn` policy halted stays
   * halted (the backend answers 409) while that SLO still fails, unless
   * `options.override` is true (audited as an override).
   */
  resumePipeline(
    namespace: string,
    name: string,
    reason: string,
    options?: { override?: boolean },
  ): Promise<HaltState>;
  /** Governance events (halts, breaches, budget alerts), newest first. */
  listAudit(options?: ListAuditOptions): Promise<AuditEventList>;
  /**
   * AI spend over a time range, grouped by a dimension, with the usage no
   * catalog entity claims (shadow AI). Only the teams the user may see.
   */
  getSpend(query: SpendQuery): Promise<SpendResponse>;
  /** AI spend per UTC day and key (e.g. model), for trend charts. */
  getDailySpend(query: SpendQuery): Promise<DailySpendResponse>;
  /**
   * Month-to-date spend, month-end forecast and budget of a Group (with its
   * sub-teams) or an AIPipeline.
   */
  getSpendBudget(entityRef: string): Promise<SpendBudgetResponse>;
  /** Models nobody could price over a time range (unknown cost, not zero). */
  getUnpricedModels(range: DashboardRange): Promise<UnpricedModelsResponse>;
  /**
   * The choices of the scaffolder form fields for an owner (a Group or User
   * ref): allowed models, GPU flavors, GPU quota and current GPU use.
   */
  getScaffolderOptions(owner: string): Promise<ScaffolderOptionsResponse>;
}

/** @public */
export const aiPlatformApiRef = createApiRef<AiPlatformApi>({
  id: 'plugin.ai-platform.service',
});
