import { DatabaseService } from '@backstage/backend-plugin-api';
import { AuditEvent, HaltState } from '@aiplatform/plugin-ai-platform-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { EnforcementResult } from '@aiplatform/plugin-ai-platform-node';
import { GovernanceStore, HaltRecord, HaltWrite } from './GovernanceStore';
import { migrateDatabase } from '../shared/database/migrations';
import { retryTransaction } from '../shared/database/retryTransaction';
import { isPostgres } from '../shared/database/dialect';

const NOT_HALTED: HaltState = {
  halted: false,
  reason: null,
  by: null,
  at: null,
};

let lastIdTime = 0;
let idSequence = 0;

/**
 * A unique event id that sorts after every id this process made before it:
 * the listing breaks ties of `at` (events of the same millisecond, such as a
 * halt and its resume) by id, which random UUIDs would order arbitrarily.
 * Digits first (write time, then a sequence within the millisecond), so the
 * order holds under any collation; the UUID keeps ids of other processes
 * unique.
 */
function nextEventId(): string {
  const now = Math.max(Date.now(), lastIdTime);
  idSequence = now === lastIdTime ? idSequence + 1 : 0;
  lastIdTime = now;
  return `${String(now).padStart(15, '0')}${String(idSequence).padStart(
    6,
    '0',
  )}-${randomUUID()}`;
}

function toEvent(row: any): AuditEvent {
  return {
    id: row.id,
    at: new Date(Number(row.at)).toISOString(),
    type: row.type,
    entityRef: row.entity_ref,
    actor: row.actor,
    message: row.message,
    ...(row.details ? { details: JSON.parse(row.details) } : {}),
  };
}

const ENFORCEMENT = 'ai_halt_enforcement';

function toResult(row: any): EnforcementResult {
  return {
    enforcer: row.enforcer,
    target: row.target,
    status: row.status,
    message: row.message,
    ...(row.undo ? { undo: JSON.parse(row.undo) } : {}),
  };
}

function toRows(pipeline: string, results: EnforcementResult[], now: number) {
  return results.map((r, position) => ({
    pipeline,
    position,
    enforcer: r.enforcer,
    target: r.target,
    status: r.status,
    message: r.message,
    undo: r.undo ? JSON.stringify(r.undo) : null,
    updated_at: now,
  }));
}

/** The results as the halt state shows them: without `undo`. */
function publicEntries(results: EnforcementResult[]) {
  return results.map(({ enforcer, target, status, message }) => ({
    enforcer,
    target,
    status,
    message,
  }));
}

/** Halts, enforcement results and audit events on SQLite or PostgreSQL. */
export class KnexGovernanceStore implements GovernanceStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<KnexGovernanceStore> {
    return new KnexGovernanceStore(await migrateDatabase(options.database));
  }

  constructor(private readonly db: Knex) {}

  async getHalt(pipeline: string): Promise<HaltState> {
    const row = await this.db('ai_pipeline_halts').where({ pipeline }).first();
    if (!row) return NOT_HALTED;
    const enforcement = await this.getEnforcement(pipeline);
    return {
      halted: Boolean(row.halted),
      reason: row.reason,
      by: row.actor,
      at: new Date(Number(row.at)).toISOString(),
      ...(row.halted && row.policy_slo
        ? { policy: { slo: row.policy_slo } }
        : {}),
      ...(enforcement.length
        ? { enforcement: publicEntries(enforcement) }
        : {}),
    };
  }

  async getEnforcement(pipeline: string): Promise<EnforcementResult[]> {
    const rows = await this.db(ENFORCEMENT)
      .where({ pipeline })
      .orderBy('position');
    return rows.map(toResult);
  }

  async replaceEnforcerResults(
    pipeline: string,
    haltedAt: number,
    enforcer: string,
    results: EnforcementResult[],
  ): Promise<boolean> {
    return retryTransaction(this.db, async tx => {
      // PostgreSQL: lock the halt row, so a resume waits for this write
      // (SQLite serializes writers anyway and knows no FOR UPDATE).
      const query = tx('ai_pipeline_halts').where({ pipeline });
      const halt = await (isPostgres(this.db)
        ? query.forUpdate()
        : query
      ).first();
      if (!halt || !halt.halted || Number(halt.at) !== haltedAt) return false;
      const current = (
        await tx(ENFORCEMENT).where({ pipeline }).orderBy('position')
      ).map(toResult);
      // The enforcer's new results take the place of its old ones.
      const at = current.findIndex(r => r.enforcer === enforcer);
      const others = current.filter(r => r.enforcer !== enforcer);
      const next =
        at === -1
          ? [...others, ...results]
          : [
              ...current.slice(0, at).filter(r => r.enforcer !== enforcer),
              ...results,
              ...current.slice(at).filter(r => r.enforcer !== enforcer),
            ];
      await tx(ENFORCEMENT).where({ pipeline }).delete();
      if (next.length) {
        await tx(ENFORCEMENT).insert(toRows(pipeline, next, Date.now()));
      }
      return true;
    });
  }

  async listHaltsToRetry(): Promise<HaltRecord[]> {
    const rows = await this.db('ai_pipeline_halts as h')
      .where('h.halted', true)
      .whereExists(q =>
        q
          .select('*')
          .from(`${ENFORCEMENT} as e`)
          .whereRaw('e.pipeline = h.pipeline')
          .whereIn('e.status', ['failed', 'pending']),
      )
      .orderBy('h.pipeline')
      .select('h.pipeline', 'h.reason', 'h.actor', 'h.at');
    return rows.map(r => ({
      pipeline: r.pipeline,
      reason: r.reason,
      actor: r.actor,
      at: Number(r.at),
    }));
  }

  async listHalted(): Promise<Set<string>> {
    const rows = await this.db('ai_pipeline_halts')
      .where({ halted: true })
      .select('pipeline');
    return new Set(rows.map(r => r.pipeline));
  }

  async setHalt(
    pipeline: string,
    state: HaltWrite,
    event: Omit<AuditEvent, 'id' | 'at'>,
    enforcement: EnforcementResult[] = [],
  ): Promise<HaltState> {
    const { policySlo, ...columns } = state;
    const policy = state.halted ? policySlo ?? null : null;
    await retryTransaction(this.db, async tx => {
      await tx('ai_pipeline_halts')
        .insert({ pipeline, ...columns, policy_slo: policy })
        .onConflict('pipeline')
        .merge(['halted', 'reason', 'actor', 'at', 'policy_slo']);
      await tx(ENFORCEMENT).where({ pipeline }).delete();
      if (enforcement.length) {
        await tx(ENFORCEMENT).insert(toRows(pipeline, enforcement, state.at));
      }
      await this.insertEvent(tx, { ...event, at: state.at });
    });
    return {
      halted: state.halted,
      reason: state.reason,
      by: state.actor,
      at: new Date(state.at).toISOString(),
      ...(policy ? { policy: { slo: policy } } : {}),
      ...(enforcement.length
        ? { enforcement: publicEntries(enforcement) }
        : {}),
    };
  }

  async addAuditEvent(
    event: Omit<AuditEvent, 'id' | 'at'> & { at?: number },
  ): Promise<AuditEvent> {
    return retryTransaction(this.db, tx => this.insertEvent(tx, event));
  }

  private async insertEvent(
    db: Knex,
    event: Omit<AuditEvent, 'id' | 'at'> & { at?: number },
  ): Promise<AuditEvent> {
    const row = {
      id: nextEventId(),
      at: event.at ?? Date.now(),
      type: event.type,
      entity_ref: event.entityRef,
      actor: event.actor,
      message: event.message,
      details: event.details ? JSON.stringify(event.details) : null,
    };
    await db('ai_audit_events').insert(row);
    return toEvent(row);
  }

  async listAuditEvents(query: {
    entityRef?: string;
    limit: number;
  }): Promise<AuditEvent[]> {
    let q = this.db('ai_audit_events')
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit);
    if (query.entityRef) q = q.where({ entity_ref: query.entityRef });
    return (await q.select()).map(toEvent);
  }
}
