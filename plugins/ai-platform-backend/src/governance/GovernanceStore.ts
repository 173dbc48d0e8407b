import { AuditEvent, HaltState } from '@aiplatform/plugin-ai-platform-common';
import { EnforcementResult } from '@aiplatform/plugin-ai-platform-node';

/** A halt as it was written: who, why, when (epoch ms). */
export interface HaltRecord {
  pipeline: string;
  reason: string;
  actor: string;
  at: number;
}

/** A halt or resume to write. */
export interface HaltWrite {
  halted: boolean;
  reason: string;
  actor: string;
  /** Epoch ms. */
  at: number;
  /** The `spec.governance.haltOn` SLO behind a halt by policy. */
  policySlo?: string;
}

/** Pipeline halts, their enforcement results and the governance audit log. */
export interface GovernanceStore {
  /** The halt state, with the enforcement results (without `undo`). */
  getHalt(pipeline: string): Promise<HaltState>;
  /** Halted pipeline refs. */
  listHalted(): Promise<Set<string>>;
  /**
   * Sets the halt state, replaces the pipeline's enforcement results with
   * `enforcement` (none when left out) and writes the audit event, in one
   * transaction.
   */
  setHalt(
    pipeline: string,
    state: HaltWrite,
    event: Omit<AuditEvent, 'id' | 'at'>,
    enforcement?: EnforcementResult[],
  ): Promise<HaltState>;
  /** The enforcement results of the last halt or resume, with `undo`. */
  getEnforcement(pipeline: string): Promise<EnforcementResult[]>;
  /**
   * Replaces one enforcer's results, only while the pipeline is still halted
   * by the halt of `haltedAt`; false (nothing written) otherwise.
   */
  replaceEnforcerResults(
    pipeline: string,
    haltedAt: number,
    enforcer: string,
    results: EnforcementResult[],
  ): Promise<boolean>;
  /** Halted pipelines with a failed or pending enforcement result. */
  listHaltsToRetry(): Promise<HaltRecord[]>;
  addAuditEvent(
    event: Omit<AuditEvent, 'id' | 'at'> & { at?: number },
  ): Promise<AuditEvent>;
  listAuditEvents(query: {
    entityRef?: string;
    limit: number;
  }): Promise<AuditEvent[]>;
}
