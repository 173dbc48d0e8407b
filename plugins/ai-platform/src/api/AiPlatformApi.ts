import { createApiRef } from '@backstage/core-plugin-api';
import {
  AuditEventList,
  HaltState,
  OwnedStageList,
  OwnershipReport,
  PipelineDashboard,
  PipelineList,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';

/** Time range of a dashboard request; both ends ISO 8601. */
export interface DashboardRange {
  from: string;
  to: string;
}

/** Filter of the audit log. */
export interface ListAuditOptions {
  /** Only events about this entity ref. */
  entityRef?: string;
  /** At most this many events, newest first. */
  limit?: number;
}

/** Client of the AI Platform backend. */
export interface AiPlatformApi {
  listPipelines(): Promise<PipelineList>;
  getPipelineOwnership(
    namespace: string,
    name: string,
  ): Promise<PipelineOwnership>;
  getOwnershipReport(owner?: string): Promise<OwnershipReport>;
  getOwnedStages(owner: string): Promise<OwnedStageList>;
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
  /** Resumes a halted pipeline; needs the `ai-platform.pipeline.halt` permission. */
  resumePipeline(
    namespace: string,
    name: string,
    reason: string,
  ): Promise<HaltState>;
  /** Governance events (halts, breaches, budget alerts), newest first. */
  listAudit(options?: ListAuditOptions): Promise<AuditEventList>;
}

/** @public */
export const aiPlatformApiRef = createApiRef<AiPlatformApi>({
  id: 'plugin.ai-platform.service',
});
