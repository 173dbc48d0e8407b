import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { AuditEvent } from '@aiplatform/plugin-ai-platform-common';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { KnexGovernanceStore } from './KnexGovernanceStore';

jest.setTimeout(60_000);

const T0 = Date.UTC(2025, 5, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

const PIPELINE = 'aipipeline:default/support-answers';
const OTHER_PIPELINE = 'aipipeline:default/other';
const ALICE = 'user:default/alice';
/**
 * SQLite: `NOT NULL constraint failed`; PostgreSQL: `violates not-null
 * constraint`. (Not `rejects.toThrow()`: better-sqlite3 keeps the Error class
 * of the first test file a Jest worker loads it in, so in later files its
 * errors are not `instanceof Error` and toThrow reports "did not throw".)
 */
const NOT_NULL_VIOLATION = expect.stringMatching(/not.null/i);

function haltEvent(
  pipeline: string,
  halted: boolean,
  reason: string,
): Omit<AuditEvent, 'id' | 'at'> {
  return {
    type: halted ? 'pipeline.halted' : 'pipeline.resumed',
    entityRef: pipeline,
    actor: ALICE,
    message: `${ALICE} ${halted ? 'halted' : 'resumed'} ${pipeline}: ${reason}`,
  };
}

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

describe('KnexGovernanceStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await KnexGovernanceStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('runs on SQLite in every environment', () => {
    expect(databases.eachSupportedId()).toContainEqual(['SQLITE_3']);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    describe('halts', () => {
      it('reports a pipeline that was never halted as running', async () => {
        const { store } = await createStore(databaseId);
        await expect(store.getHalt(PIPELINE)).resolves.toEqual({
          halted: false,
          reason: null,
          by: null,
          at: null,
        });
        expect(await store.listHalted()).toEqual(new Set());
      });

      it('halts and resumes a pipeline', async () => {
        const { store } = await createStore(databaseId);

        const halted = await store.setHalt(
          PIPELINE,
          { halted: true, reason: 'accuracy fell', actor: ALICE, at: T0 },
          haltEvent(PIPELINE, true, 'accuracy fell'),
        );
        const expectedHalt = {
          halted: true,
          reason: 'accuracy fell',
          by: ALICE,
          at: iso(T0),
        };
        expect(halted).toEqual(expectedHalt);
        await expect(store.getHalt(PIPELINE)).resolves.toEqual(expectedHalt);
        expect(await store.listHalted()).toEqual(new Set([PIPELINE]));

        const resumed = await store.setHalt(
          PIPELINE,
          {
            halted: false,
            reason: 'fixed the index',
            actor: 'user:default/bob',
            at: T0 + 1000,
          },
          {
            ...haltEvent(PIPELINE, false, 'fixed the index'),
            actor: 'user:default/bob',
          },
        );
        const expectedResume = {
          halted: false,
          reason: 'fixed the index',
          by: 'user:default/bob',
          at: iso(T0 + 1000),
        };
        expect(resumed).toEqual(expectedResume);
        await expect(store.getHalt(PIPELINE)).resolves.toEqual(expectedResume);
        expect(await store.listHalted()).toEqual(new Set());

        // Halting again overwrites the previous state (one row per pipeline).
        await store.setHalt(
          PIPELINE,
          { halted: true, reason: 'again', actor: ALICE, at: T0 + 2000 },
          haltEvent(PIPELINE, true, 'again'),
        );
        await expect(store.getHalt(PIPELINE)).resolves.toMatchObject({
          halted: true,
          reason: 'again',
        });
      });

      it('lists only the pipelines halted now', async () => {
        const { store } = await createStore(databaseId);
        const set = (pipeline: string, halted: boolean, at: number) =>
          store.setHalt(
            pipeline,
            { halted, reason: 'r', actor: ALICE, at },
            haltEvent(pipeline, halted, 'r'),
          );
        await set(PIPELINE, true, T0);
        await set(OTHER_PIPELINE, true, T0);
        await set('aipipeline:default/third', true, T0);
        await set('aipipeline:default/third', false, T0 + 1);

        expect(await store.listHalted()).toEqual(
          new Set([PIPELINE, OTHER_PIPELINE]),
        );
      });

      it('writes the halt and its audit event in one transaction', async () => {
        const { knex, store } = await createStore(databaseId);

        await store.setHalt(
          PIPELINE,
          { halted: true, reason: 'accuracy fell', actor: ALICE, at: T0 },
          haltEvent(PIPELINE, true, 'accuracy fell'),
        );
        const [event] = await store.listAuditEvents({ limit: 10 });
        expect(event).toEqual({
          id: expect.any(String),
          at: iso(T0),
          type: 'pipeline.halted',
          entityRef: PIPELINE,
          actor: ALICE,
          message: `${ALICE} halted ${PIPELINE}: accuracy fell`,
        });

        // The event cannot be written (NOT NULL actor): the halt must not be
        // changed either.
        await expect(
          store.setHalt(
            PIPELINE,
            { halted: false, reason: 'oops', actor: ALICE, at: T0 + 1000 },
            {
              ...haltEvent(PIPELINE, false, 'oops'),
              actor: null as unknown as string,
            },
          ),
        ).rejects.toHaveProperty('message', NOT_NULL_VIOLATION);
        await expect(store.getHalt(PIPELINE)).resolves.toEqual({
          halted: true,
          reason: 'accuracy fell',
          by: ALICE,
          at: iso(T0),
        });
        // Nor a pipeline halted for the first time.
        await expect(
          store.setHalt(
            OTHER_PIPELINE,
            { halted: true, reason: 'x', actor: ALICE, at: T0 },
            {
              ...haltEvent(OTHER_PIPELINE, true, 'x'),
              message: null as unknown as string,
            },
          ),
        ).rejects.toHaveProperty('message', NOT_NULL_VIOLATION);
        expect(await store.listHalted()).toEqual(new Set([PIPELINE]));
        expect(await count(knex, 'ai_audit_events')).toBe(1);
      });
    });

    describe('audit events', () => {
      it('stores an event with its details and returns it as listed', async () => {
        const { store } = await createStore(databaseId);
        const added = await store.addAuditEvent({
          type: 'slo.breached',
          entityRef: PIPELINE,
          actor: 'plugin:ai-platform',
          message: 'SLO answer-quality breached',
          details: { slo: 'answer-quality', attainment: 0.71, stages: ['a'] },
          at: T0,
        });
        expect(added).toEqual({
          id: expect.any(String),
          at: iso(T0),
          type: 'slo.breached',
          entityRef: PIPELINE,
          actor: 'plugin:ai-platform',
          message: 'SLO answer-quality breached',
          details: { slo: 'answer-quality', attainment: 0.71, stages: ['a'] },
        });
        await expect(store.listAuditEvents({ limit: 5 })).resolves.toEqual([
          added,
        ]);
      });

      it('stamps an event without a time with the current time', async () => {
        const { store } = await createStore(databaseId);
        const before = Date.now();
        const added = await store.addAuditEvent({
          type: 'service.scaffolded',
          entityRef: 'component:default/svc',
          actor: ALICE,
          message: 'scaffolded',
        });
        expect(Date.parse(added.at)).toBeGreaterThanOrEqual(before);
        expect(added).not.toHaveProperty('details');
      });

      it('lists newest first, up to the limit, optionally for one entity', async () => {
        const { store } = await createStore(databaseId);
        const add = (entityRef: string, at: number, message: string) =>
          store.addAuditEvent({
            type: 'pipeline.halted',
            entityRef,
            actor: ALICE,
            message,
            at,
          });
        // Written out of time order.
        await add(PIPELINE, T0 + 2000, 'p2');
        await add(OTHER_PIPELINE, T0 + 3000, 'o3');
        await add(PIPELINE, T0, 'p0');
        await add(OTHER_PIPELINE, T0 + 1000, 'o1');
        await add(PIPELINE, T0 + 4000, 'p4');

        const messages = (events: AuditEvent[]) => events.map(e => e.message);
        expect(messages(await store.listAuditEvents({ limit: 100 }))).toEqual([
          'p4',
          'o3',
          'p2',
          'o1',
          'p0',
        ]);
        expect(messages(await store.listAuditEvents({ limit: 2 }))).toEqual([
          'p4',
          'o3',
        ]);
        expect(
          messages(
            await store.listAuditEvents({ entityRef: PIPELINE, limit: 100 }),
          ),
        ).toEqual(['p4', 'p2', 'p0']);
        expect(
          messages(
            await store.listAuditEvents({
              entityRef: OTHER_PIPELINE,
              limit: 1,
            }),
          ),
        ).toEqual(['o3']);
        await expect(
          store.listAuditEvents({
            entityRef: 'aipipeline:default/none',
            limit: 100,
          }),
        ).resolves.toEqual([]);
      });

      it('lists events of the same millisecond newest first', async () => {
        const { store } = await createStore(databaseId);
        // A halt and a resume within one millisecond must not swap places.
        for (let i = 0; i < 20; i++) {
          await store.addAuditEvent({
            type: i % 2 ? 'pipeline.resumed' : 'pipeline.halted',
            entityRef: PIPELINE,
            actor: ALICE,
            message: String(i),
            at: T0,
          });
        }
        const events = await store.listAuditEvents({ limit: 100 });
        expect(events.map(e => e.message)).toEqual(
          Array.from({ length: 20 }, (_, i) => String(19 - i)),
        );
        expect(new Set(events.map(e => e.id)).size).toBe(20);
      });
    });

    describe('enforcement results', () => {
      const applied = {
        enforcer: 'litellm',
        target: 'key:component:default/kb-api',
        status: 'applied' as const,
        message: 'blocked',
        undo: { kind: 'key', token: 'hash-kb-api' },
      };
      const failed = {
        enforcer: 'webhook',
        target: 'http://hooks.local/halt',
        status: 'failed' as const,
        message: '502 Bad Gateway',
      };
      let store: KnexGovernanceStore;
      let knex: Knex;
      beforeEach(async () => {
        ({ store, knex } = await createStore(databaseId));
      });
      const halt = (at: number, enforcement?: any[]) =>
        store.setHalt(
          PIPELINE,
          { halted: true, reason: 'r', actor: ALICE, at },
          haltEvent(PIPELINE, true, 'r'),
          enforcement,
        );

      it('keeps them with the halt, the state shows them without undo', async () => {
        const state = await halt(T0, [applied, failed]);
        const { undo, ...shown } = applied;
        expect(undo).toBeDefined();
        expect(state.enforcement).toEqual([shown, failed]);
        await expect(store.getHalt(PIPELINE)).resolves.toEqual(state);
        await expect(store.getEnforcement(PIPELINE)).resolves.toEqual([
          applied,
          failed,
        ]);
        expect(await store.listHaltsToRetry()).toEqual([
          { pipeline: PIPELINE, reason: 'r', actor: ALICE, at: T0 },
        ]);
      });

      it("replaces one enforcer's results while the halt holds", async () => {
        await halt(T0, [failed, applied]);
        const fixed = {
          ...failed,
          status: 'applied' as const,
          message: '200 OK',
        };

        await expect(
          store.replaceEnforcerResults(PIPELINE, T0, 'webhook', [fixed]),
        ).resolves.toBe(true);
        await expect(store.getEnforcement(PIPELINE)).resolves.toEqual([
          fixed,
          applied,
        ]);
        expect(await store.listHaltsToRetry()).toEqual([]);
      });

      it('writes nothing for a halt that is no longer in force', async () => {
        await halt(T0, [failed]);
        await store.setHalt(
          PIPELINE,
          { halted: false, reason: 'ok', actor: ALICE, at: T0 + 1 },
          haltEvent(PIPELINE, false, 'ok'),
          [],
        );
        await expect(
          store.replaceEnforcerResults(PIPELINE, T0, 'webhook', [
            { ...failed, status: 'applied' },
          ]),
        ).resolves.toBe(false);
        await expect(store.getEnforcement(PIPELINE)).resolves.toEqual([]);
        expect(await store.listHaltsToRetry()).toEqual([]);
        // A newer halt is not the one the retry was for either.
        await halt(T0 + 2, [failed]);
        await expect(
          store.replaceEnforcerResults(PIPELINE, T0, 'webhook', []),
        ).resolves.toBe(false);
      });

      it('a resume replaces the halt results with its own', async () => {
        await halt(T0, [applied]);
        const state = await store.setHalt(
          PIPELINE,
          { halted: false, reason: 'ok', actor: ALICE, at: T0 + 1 },
          haltEvent(PIPELINE, false, 'ok'),
          [{ ...applied, message: 'unblocked', undo: undefined }],
        );
        expect(state.enforcement).toEqual([
          {
            enforcer: 'litellm',
            target: applied.target,
            status: 'applied',
            message: 'unblocked',
          },
        ]);
        expect(await count(knex, 'ai_halt_enforcement')).toBe(1);
      });
    });
  });
});
