import { AuditEvent, HaltState } from '@aiplatform/plugin-ai-platform-common';

/** Pipeline halts and the governance audit log. */
export interface GovernanceStore {
  getHalt(pipeline: string): Promise<HaltState>;
  /** Halted pipeline refs. */
  listHalted(): Promise<Set<string>>;
  /** Sets the halt state and writes the audit event in one transaction. */
  setHalt(
    pipeline: string,
    state: { halted: boolean; reason: string; actor: string; at: number },
    event: Omit<AuditEvent, 'id' | 'at'>,
  ): Promise<HaltState>;
  addAuditEvent(
    event: Omit<AuditEvent, 'id' | 'at'> & { at?: number },
  ): Promise<AuditEvent>;
  listAuditEvents(query: {
    entityRef?: string;
    limit: number;
  }): Promise<AuditEvent[]>;
}
