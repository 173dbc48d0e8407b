import { TestDatabaseId, mockServices } from '@backstage/backend-test-utils';
import { UsageRecord } from '@aiplatform/plugin-ai-platform-node';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  DAY,
  HOUR,
  seededRandom,
  usageRecord,
} from '../__testUtils__/usageFixtures';
import { KnexUsageStore } from './KnexUsageStore';
import { UsageAggregateRow } from './UsageStore';

jest.setTimeout(120_000);

/**
 * SQLite: `NOT NULL constraint failed`; PostgreSQL: `violates not-null
 * constraint`. (Not `rejects.toThrow()`: better-sqlite3 keeps the Error class
 * of the first test file a Jest worker loads it in, so in later files its
 * errors are not `instanceof Error`.)
 */
const NOT_NULL_VIOLATION = expect.stringMatching(/not.null/i);

const T0 = Date.UTC(2025, 5, 1); // 2025-06-01T00:00Z
const at = (text: string) => Date.parse(text);

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

/** The rollup table, in a stable order, with numbers as numbers. */
async function rollups(knex: Knex) {
  const rows = await knex('ai_usage_rollups').orderBy([
    'resolution',
    'bucket',
    'entity_candidates',
    'team',
    'key_alias',
    'tag',
    'model',
    'provider',
  ]);
  return rows.map(r => ({
    ...r,
    bucket: Number(r.bucket),
    requests: Number(r.requests),
    unpriced_requests: Number(r.unpriced_requests),
    input_tokens: Number(r.input_tokens),
    output_tokens: Number(r.output_tokens),
    cost_usd: Number(r.cost_usd),
  }));
}

/**
 * Callers of the generated data set, with what the store must keep of each
 * for read-time attribution.
 */
const CALLERS: Array<{
  fields: Partial<UsageRecord>;
  expected: Pick<
    UsageAggregateRow,
    'entityCandidates' | 'team' | 'keyAlias' | 'tag'
  >;
}> = [
  {
    fields: { entityRef: 'component:default/answers' },
    expected: {
      entityCandidates: ['component:default/answers'],
      team: null,
      keyAlias: null,
      tag: null,
    },
  },
  {
    // Every way of naming an entity, in precedence order.
    fields: {
      entityRef: 'component:default/embedder',
      tags: ['env:prod', 'backstage:component:default/indexer'],
      keyAlias: 'resource:default/vector-db',
      team: 'ml-team',
    },
    expected: {
      entityCandidates: [
        'component:default/embedder',
        'component:default/indexer',
        'resource:default/vector-db',
      ],
      team: 'ml-team',
      keyAlias: 'resource:default/vector-db',
      // The tag that would name it were none of these registered.
      tag: 'backstage:component:default/indexer',
    },
  },
  {
    fields: { team: 'data-team' },
    expected: {
      entityCandidates: [],
      team: 'data-team',
      keyAlias: null,
      tag: null,
    },
  },
  {
    fields: { keyAlias: 'shadow-key' },
    expected: {
      entityCandidates: [],
      team: null,
      keyAlias: 'shadow-key',
      tag: null,
    },
  },
  {
    // LiteLLM's own user-agent tag names nothing.
    fields: { tags: ['user-agent:curl/8', 'project:skunkworks'] },
    expected: {
      entityCandidates: [],
      team: null,
      keyAlias: null,
      tag: 'project:skunkworks',
    },
  },
];

const MODELS: Array<{ model: string; provider: string | null }> = [
  { model: 'gpt-4o', provider: 'openai' },
  { model: 'claude-sonnet-4', provider: 'anthropic' },
  { model: 'llama-3-70b', provider: null },
];

interface Generated {
  record: UsageRecord;
  caller: number;
  modelIndex: number;
}

/**
 * `n` records spread over [from, to), costs in 1/64 USD (so any sum is exact
 * in floating point, whatever the order), one in seven unpriced.
 */
function generate(n: number, from: number, to: number, seed = 7) {
  const random = seededRandom(seed);
  const result: Generated[] = [];
  for (let i = 0; i < n; i++) {
    const caller = Math.floor(random() * CALLERS.length);
    const modelIndex = Math.floor(random() * MODELS.length);
    const ts = from + Math.floor(random() * (to - from));
    const unpriced = i % 7 === 3;
    result.push({
      caller,
      modelIndex,
      record: usageRecord(`gen-${seed}-${i}`, ts, {
        ...CALLERS[caller].fields,
        ...MODELS[modelIndex],
        inputTokens: 1 + Math.floor(random() * 5000),
        outputTokens: Math.floor(random() * 2000),
        costUsd: unpriced ? null : Math.floor(random() * 640) / 64,
      }),
    });
  }
  return result;
}

/** The aggregate of the records with `ts` in [from, to), by brute force. */
function bruteForce(
  data: Generated[],
  from: number,
  to: number,
  keyOf: (g: Generated) => string = g => `${g.caller}/${g.modelIndex}`,
  extra: (g: Generated) => object = () => ({}),
) {
  const rows = new Map<string, UsageAggregateRow>();
  for (const g of data) {
    if (g.record.ts < from || g.record.ts >= to) continue;
    const key = keyOf(g);
    const row = rows.get(key) ?? {
      ...CALLERS[g.caller].expected,
      ...MODELS[g.modelIndex],
      ...extra(g),
      requests: 0,
      unpricedRequests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    };
    row.requests += 1;
    row.inputTokens += g.record.inputTokens;
    row.outputTokens += g.record.outputTokens;
    if (g.record.costUsd === null) row.unpricedRequests += 1;
    else row.costUsd += g.record.costUsd;
    rows.set(key, row);
  }
  return sorted([...rows.values()]);
}

function sorted<T extends UsageAggregateRow & { day?: string }>(rows: T[]) {
  const key = (r: T) =>
    JSON.stringify([
      r.day ?? '',
      r.entityCandidates,
      r.team,
      r.keyAlias,
      r.tag,
      r.model,
      r.provider,
    ]);
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

describe('KnexUsageStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await KnexUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('runs on SQLite in every environment', () => {
    expect(databases.eachSupportedId()).toContainEqual(['SQLITE_3']);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    describe('insertUsage', () => {
      it.each<[string, Record<string, unknown>]>([
        ['id', { id: 'i'.repeat(256) }],
        ['model', { model: 'm'.repeat(256) }],
        ['team', { team: '\u00e9'.repeat(256) }],
        ['provider', { provider: 'p'.repeat(129) }],
        ['status', { status: 's'.repeat(33) }],
        ['durationMs', { durationMs: 2 ** 31 }],
      ])(
        'refuses a record whose %s does not fit its column, whole, never cut',
        async (field, patch) => {
          const { knex, store } = await createStore(databaseId);
          const fits = usageRecord('fits', T0, { costUsd: 1 });
          const bad = { ...usageRecord('bad', T0, { costUsd: 1 }), ...patch };
          await expect(store.insertUsage([fits, bad as any])).rejects.toThrow(
            `records[1].${field}: must be at most`,
          );
          expect(await count(knex, 'ai_usage_records')).toBe(0);
          expect(await count(knex, 'ai_usage_rollups')).toBe(0);
        },
      );

      it('stores a batch and counts only new ids when it is replayed', async () => {
        const { knex, store } = await createStore(databaseId);
        const data = generate(50, T0, T0 + 2 * DAY);
        const batch = data.map(g => g.record);

        await expect(store.insertUsage(batch)).resolves.toEqual({
          inserted: 50,
        });
        const before = await rollups(knex);
        expect(before.length).toBeGreaterThan(0);

        // A full replay adds nothing.
        await expect(store.insertUsage(batch)).resolves.toEqual({
          inserted: 0,
        });
        expect(await count(knex, 'ai_usage_records')).toBe(50);
        expect(await rollups(knex)).toEqual(before);

        // A partial replay counts only the new records, in records and rollups.
        const extra = usageRecord('extra-1', T0 + HOUR, {
          entityRef: 'component:default/answers',
          costUsd: 2,
        });
        await expect(
          store.insertUsage([...batch.slice(0, 10), extra]),
        ).resolves.toEqual({ inserted: 1 });
        expect(await count(knex, 'ai_usage_records')).toBe(51);
        // `extra` is caller 0 (answers) on model 0 (gpt-4o/openai).
        expect(
          sorted(await store.aggregate({ from: T0, to: T0 + 2 * DAY })),
        ).toEqual(
          bruteForce(
            [...data, { record: extra, caller: 0, modelIndex: 0 }],
            T0,
            T0 + 2 * DAY,
          ),
        );
      });

      it('counts an id repeated within one batch once, as its first row', async () => {
        const { knex, store } = await createStore(databaseId);
        const first = usageRecord('dup', T0 + HOUR, { costUsd: 1 });
        const again = usageRecord('dup', T0 + HOUR, {
          costUsd: 5,
          inputTokens: 999,
        });

        await expect(
          store.insertUsage([first, again, usageRecord('other', T0 + HOUR)]),
        ).resolves.toEqual({ inserted: 2 });

        expect(await count(knex, 'ai_usage_records')).toBe(2);
        const stored = await knex('ai_usage_records').where({ id: 'dup' });
        expect(Number(stored[0].cost_usd)).toBe(1);
        // The rollups agree with the raw records.
        expect(await store.aggregate({ from: T0, to: T0 + DAY })).toEqual([
          expect.objectContaining({
            requests: 2,
            inputTokens: 200,
            costUsd: 2,
          }),
        ]);
      });

      it('stores batches larger than one insert chunk', async () => {
        const { knex, store } = await createStore(databaseId);
        const data = generate(5_000, T0, T0 + DAY, 11);
        const records = data.map(g => g.record);

        await expect(store.insertUsage(records)).resolves.toEqual({
          inserted: 5_000,
        });
        // Replayed across chunk boundaries, with new records at the end.
        const more = generate(1_000, T0, T0 + DAY, 12);
        await expect(
          store.insertUsage([
            ...records.slice(1_500),
            ...more.map(g => g.record),
          ]),
        ).resolves.toEqual({ inserted: 1_000 });

        expect(await count(knex, 'ai_usage_records')).toBe(6_000);
        expect(
          sorted(await store.aggregate({ from: T0, to: T0 + DAY })),
        ).toEqual(bruteForce([...data, ...more], T0, T0 + DAY));
      });

      it('writes a batch all or nothing: a failure after the first chunk leaves no trace', async () => {
        const { knex, store } = await createStore(databaseId);
        const earlier = generate(20, T0, T0 + DAY, 3).map(g => g.record);
        await store.insertUsage(earlier);
        const rollupsBefore = await rollups(knex);

        // 2,500 records: the first chunk of 2,000 is written before the
        // 2,101st (NULL model: the column rejects it on every database)
        // fails. Some replayed ids ride along.
        const batch = [
          ...earlier.slice(0, 5),
          ...generate(2_500, T0, T0 + 2 * DAY, 4).map(g => g.record),
        ];
        batch[2_100] = { ...batch[2_100], model: null as unknown as string };

        await expect(store.insertUsage(batch)).rejects.toHaveProperty(
          'message',
          NOT_NULL_VIOLATION,
        );

        expect(await count(knex, 'ai_usage_records')).toBe(20);
        expect(await rollups(knex)).toEqual(rollupsBefore);
        expect(
          (await knex('ai_usage_records').select('id')).map(r => r.id).sort(),
        ).toEqual(earlier.map(r => r.id).sort());

        // The same batch without the bad record goes in whole.
        batch[2_100] = { ...batch[2_100], model: 'gpt-4o' };
        await expect(store.insertUsage(batch)).resolves.toEqual({
          inserted: 2_500,
        });
      });

      it('counts each record once when concurrent batches carry the same ids in opposite orders', async () => {
        const { knex, store } = await createStore(databaseId);
        const data = generate(2_000, T0, T0 + 2 * DAY, 21);
        // 8 batches: a share of their own and the same 200 shared records,
        // reversed in every other batch, all written at once (on
        // PostgreSQL over several connections of the pool).
        const shared = data.slice(0, 200).map(g => g.record);
        const batches = Array.from({ length: 8 }, (_, b) => {
          const own = data
            .slice(200)
            .filter((__, i) => i % 8 === b)
            .map(g => g.record);
          const batch = [...shared, ...own];
          return b % 2 ? batch.reverse() : batch;
        });

        const results = await Promise.all(
          batches.map(batch => store.insertUsage(batch)),
        );
        expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(2_000);
        const replays = await Promise.all(
          batches.map(batch => store.insertUsage(batch)),
        );
        expect(replays.map(r => r.inserted)).toEqual(new Array(8).fill(0));

        expect(await count(knex, 'ai_usage_records')).toBe(2_000);
        expect(
          sorted(await store.aggregate({ from: T0, to: T0 + 2 * DAY })),
        ).toEqual(bruteForce(data, T0, T0 + 2 * DAY));
      });

      it('accepts an empty batch', async () => {
        const { knex, store } = await createStore(databaseId);
        await expect(store.insertUsage([])).resolves.toEqual({ inserted: 0 });
        expect(await count(knex, 'ai_usage_records')).toBe(0);
      });
    });

    describe('rollups and aggregates', () => {
      // From 20:00 on 31 May to 05:00 on 3 June: two whole days and parts of
      // two more, in three batches (one replaying part of another).
      const FROM = at('2025-05-31T20:00:00Z');
      const TO = at('2025-06-03T05:00:00Z');
      const data = generate(900, FROM, TO, 21);

      async function loaded() {
        const ctx = await createStore(databaseId);
        const records = data.map(g => g.record);
        await ctx.store.insertUsage(records.slice(0, 300));
        await ctx.store.insertUsage(records.slice(200, 650));
        await ctx.store.insertUsage(records.slice(650));
        return ctx;
      }

      it('keeps hourly, daily and monthly rollups that each sum to the raw records', async () => {
        const { knex } = await loaded();
        const rows = await rollups(knex);
        const sum = (resolution: string, column: string) =>
          rows
            .filter(r => r.resolution === resolution)
            .reduce((acc, r) => acc + (r as any)[column], 0);
        const records = data.map(g => g.record);
        for (const resolution of ['hour', 'day', 'month']) {
          expect(sum(resolution, 'requests')).toBe(900);
          expect(sum(resolution, 'unpriced_requests')).toBe(
            records.filter(r => r.costUsd === null).length,
          );
          expect(sum(resolution, 'input_tokens')).toBe(
            records.reduce((a, r) => a + r.inputTokens, 0),
          );
          expect(sum(resolution, 'cost_usd')).toBe(
            records.reduce((a, r) => a + (r.costUsd ?? 0), 0),
          );
        }
        // Buckets are the start of the UTC hour, day or month.
        for (const r of rows) {
          expect(r.bucket % (r.resolution === 'hour' ? HOUR : DAY)).toBe(0);
        }
        expect(
          rows
            .filter(r => r.resolution === 'month')
            .every(r => new Date(r.bucket).getUTCDate() === 1),
        ).toBe(true);
        expect(
          [
            ...new Set(
              rows.filter(r => r.resolution === 'month').map(r => r.bucket),
            ),
          ].sort(),
        ).toEqual([at('2025-05-01T00:00:00Z'), at('2025-06-01T00:00:00Z')]);
        const days = [
          ...new Set(
            rows.filter(r => r.resolution === 'day').map(r => r.bucket),
          ),
        ].sort();
        expect(days).toEqual([
          at('2025-05-31T00:00:00Z'),
          at('2025-06-01T00:00:00Z'),
          at('2025-06-02T00:00:00Z'),
          at('2025-06-03T00:00:00Z'),
        ]);
      });

      it.each([
        [
          'across two day boundaries',
          '2025-05-31T21:00:00Z',
          '2025-06-02T03:00:00Z',
        ],
        [
          'over whole days only',
          '2025-06-01T00:00:00Z',
          '2025-06-03T00:00:00Z',
        ],
        [
          'from midnight to mid-day',
          '2025-06-01T00:00:00Z',
          '2025-06-02T13:00:00Z',
        ],
        [
          'from mid-day to midnight',
          '2025-05-31T22:00:00Z',
          '2025-06-02T00:00:00Z',
        ],
        ['within one day', '2025-06-01T05:00:00Z', '2025-06-01T09:00:00Z'],
        ['across one midnight', '2025-05-31T23:00:00Z', '2025-06-01T01:00:00Z'],
        ['over everything', '2025-05-30T00:00:00Z', '2025-06-05T00:00:00Z'],
        ['over one hour', '2025-06-02T17:00:00Z', '2025-06-02T18:00:00Z'],
        ['before any usage', '2025-05-01T00:00:00Z', '2025-05-31T20:00:00Z'],
      ])('aggregates exactly to the hour %s', async (_, from, to) => {
        const { store } = await loaded();
        const range = { from: at(from), to: at(to) };
        expect(sorted(await store.aggregate(range))).toEqual(
          bruteForce(data, range.from, range.to),
        );
      });

      it('reads a range that starts or ends inside an hour as covering that hour', async () => {
        const { store } = await loaded();
        expect(
          sorted(
            await store.aggregate({
              from: at('2025-05-31T22:30:00Z'),
              to: at('2025-06-02T07:15:00Z'),
            }),
          ),
        ).toEqual(
          bruteForce(
            data,
            at('2025-05-31T22:00:00Z'),
            at('2025-06-02T08:00:00Z'),
          ),
        );
      });

      it('aggregates per UTC day, over the days that overlap the range', async () => {
        const { store } = await loaded();
        const rows = await store.aggregateDaily({
          from: at('2025-06-01T05:00:00Z'),
          to: at('2025-06-02T12:00:00Z'),
        });
        const dayOf = (g: Generated) =>
          new Date(g.record.ts).toISOString().slice(0, 10);
        expect(sorted(rows)).toEqual(
          bruteForce(
            data,
            at('2025-06-01T00:00:00Z'),
            at('2025-06-03T00:00:00Z'),
            g => `${dayOf(g)}/${g.caller}/${g.modelIndex}`,
            g => ({ day: dayOf(g) }),
          ),
        );
        expect([...new Set(rows.map(r => r.day))].sort()).toEqual([
          '2025-06-01',
          '2025-06-02',
        ]);
      });

      it('returns the fields attribution needs for one record', async () => {
        const { store } = await createStore(databaseId);
        await store.insertUsage([
          usageRecord('one', T0 + 5 * HOUR, {
            ...CALLERS[1].fields,
            model: 'gpt-4o-mini',
            provider: null,
            inputTokens: 7,
            outputTokens: 3,
            costUsd: 0.25,
          }),
        ]);
        expect(await store.aggregate({ from: T0, to: T0 + DAY })).toEqual([
          {
            ...CALLERS[1].expected,
            model: 'gpt-4o-mini',
            provider: null,
            requests: 1,
            unpricedRequests: 0,
            inputTokens: 7,
            outputTokens: 3,
            costUsd: 0.25,
          },
        ]);
        expect(await store.aggregateDaily({ from: T0, to: T0 + DAY })).toEqual([
          expect.objectContaining({ day: '2025-06-01', requests: 1 }),
        ]);
      });

      it('counts unpriced records in unpricedRequests, never in cost', async () => {
        const { store } = await createStore(databaseId);
        await store.insertUsage([
          usageRecord('priced', T0 + HOUR, { costUsd: 1.5 }),
          usageRecord('unpriced-1', T0 + HOUR, { costUsd: null }),
          usageRecord('unpriced-2', T0 + 30 * HOUR, { costUsd: null }),
          usageRecord('self-hosted', T0 + 2 * HOUR, {
            model: 'llama-3-70b',
            provider: 'hosted_vllm',
            costUsd: null,
          }),
        ]);
        const rows = sorted(
          await store.aggregate({ from: T0, to: T0 + 2 * DAY }),
        );
        expect(rows).toEqual([
          expect.objectContaining({
            model: 'gpt-4o',
            requests: 3,
            unpricedRequests: 2,
            inputTokens: 300,
            costUsd: 1.5,
          }),
          expect.objectContaining({
            model: 'llama-3-70b',
            provider: 'hosted_vllm',
            requests: 1,
            unpricedRequests: 1,
            costUsd: 0,
          }),
        ]);
        const daily = await store.aggregateDaily({
          from: T0,
          to: T0 + 2 * DAY,
        });
        expect(
          daily
            .map(r => [r.day, r.model, r.unpricedRequests, r.costUsd])
            .sort(),
        ).toEqual([
          ['2025-06-01', 'gpt-4o', 1, 1.5],
          ['2025-06-01', 'llama-3-70b', 1, 0],
          ['2025-06-02', 'gpt-4o', 1, 0],
        ]);
      });
    });

    describe('across months', () => {
      // 28 March 20:00 to 3 July 05:00, 2025 (whole months, days and hours).
      const data = generate(
        3_000,
        at('2025-03-28T20:00:00Z'),
        at('2025-07-03T05:00:00Z'),
        41,
      );

      async function loaded() {
        const ctx = await createStore(databaseId);
        const records = data.map(g => g.record);
        await ctx.store.insertUsage(records.slice(0, 1_700));
        await ctx.store.insertUsage(records.slice(1_200));
        return ctx;
      }

      it('aggregates exactly to the hour over any mix of months, days and hours', async () => {
        const { store } = await loaded();
        const ranges: Array<[string, string]> = [
          // Whole months only.
          ['2025-04-01T00:00:00Z', '2025-06-01T00:00:00Z'],
          // Hours, days, months, days, hours.
          ['2025-03-29T05:00:00Z', '2025-06-03T07:00:00Z'],
          // Mid-month to mid-month: no whole month.
          ['2025-04-15T00:00:00Z', '2025-05-20T13:00:00Z'],
          // One whole month with an hour either side.
          ['2025-04-30T23:00:00Z', '2025-06-01T01:00:00Z'],
          // From a month start to mid-month.
          ['2025-05-01T00:00:00Z', '2025-06-17T09:00:00Z'],
          // From mid-month to a month start.
          ['2025-04-10T16:00:00Z', '2025-06-01T00:00:00Z'],
          // Everything.
          ['2025-01-01T00:00:00Z', '2025-12-01T00:00:00Z'],
        ];
        for (const [from, to] of ranges) {
          const range = { from: at(from), to: at(to) };
          expect({
            from,
            to,
            rows: sorted(await store.aggregate(range)),
          }).toEqual({
            from,
            to,
            rows: bruteForce(data, range.from, range.to),
          });
        }
      });

      it('aggregates per day across a month boundary', async () => {
        const { store } = await loaded();
        const rows = await store.aggregateDaily({
          from: at('2025-04-29T00:00:00Z'),
          to: at('2025-05-03T00:00:00Z'),
        });
        const dayOf = (g: Generated) =>
          new Date(g.record.ts).toISOString().slice(0, 10);
        expect(sorted(rows)).toEqual(
          bruteForce(
            data,
            at('2025-04-29T00:00:00Z'),
            at('2025-05-03T00:00:00Z'),
            g => `${dayOf(g)}/${g.caller}/${g.modelIndex}`,
            g => ({ day: dayOf(g) }),
          ),
        );
      });
    });

    describe('deleteRawBefore', () => {
      it('deletes old raw records and keeps every rollup', async () => {
        const { knex, store } = await createStore(databaseId);
        const data = generate(200, T0, T0 + 4 * DAY, 31);
        await store.insertUsage(data.map(g => g.record));
        const rollupsBefore = await rollups(knex);
        const cutoff = T0 + 2 * DAY + 5 * HOUR;
        const old = data.filter(g => g.record.ts < cutoff).length;
        expect(old).toBeGreaterThan(0);

        await expect(store.deleteRawBefore(cutoff)).resolves.toBe(old);

        const left = await knex('ai_usage_records').select('ts');
        expect(left).toHaveLength(200 - old);
        expect(left.every(r => Number(r.ts) >= cutoff)).toBe(true);
        expect(await rollups(knex)).toEqual(rollupsBefore);
        expect(
          sorted(await store.aggregate({ from: T0, to: T0 + 4 * DAY })),
        ).toEqual(bruteForce(data, T0, T0 + 4 * DAY));
        await expect(store.deleteRawBefore(cutoff)).resolves.toBe(0);
      });
    });

    describe('cursors', () => {
      it('gets, sets and overwrites a cursor', async () => {
        const { store } = await createStore(databaseId);
        await expect(store.getCursor('litellm')).resolves.toBeUndefined();
        await store.setCursor('litellm', '2025-06-01T00:00:00Z');
        await store.setCursor('other', 'x');
        await expect(store.getCursor('litellm')).resolves.toBe(
          '2025-06-01T00:00:00Z',
        );
        const long = JSON.stringify({ page: 3, ids: 'x'.repeat(5_000) });
        await store.setCursor('litellm', long);
        await expect(store.getCursor('litellm')).resolves.toBe(long);
        await expect(store.getCursor('other')).resolves.toBe('x');
      });
    });

    it('returns bigint and numeric sums as numbers', async () => {
      const { store } = await createStore(databaseId);
      // Beyond 32-bit integers, as tokens summed over a month are.
      const big = 3_000_000_000;
      await store.insertUsage([
        usageRecord('big-1', T0 + HOUR, { inputTokens: big, costUsd: 0.5 }),
        usageRecord('big-2', T0 + DAY + HOUR, {
          inputTokens: big,
          outputTokens: big,
          costUsd: 0.25,
        }),
      ]);
      const [row] = await store.aggregate({
        from: T0 + HOUR,
        to: T0 + 2 * DAY,
      });
      expect(row).toEqual(
        expect.objectContaining({
          requests: 2,
          unpricedRequests: 0,
          inputTokens: 2 * big,
          outputTokens: 50 + big,
          costUsd: 0.75,
        }),
      );
      const daily = await store.aggregateDaily({ from: T0, to: T0 + 2 * DAY });
      for (const r of [row, ...daily]) {
        for (const field of [
          'requests',
          'unpricedRequests',
          'inputTokens',
          'outputTokens',
          'costUsd',
        ] as const) {
          expect(typeof r[field]).toBe('number');
        }
      }
      expect(daily.map(r => [r.day, r.inputTokens])).toEqual(
        expect.arrayContaining([
          ['2025-06-01', big],
          ['2025-06-02', big],
        ]),
      );
      expect(typeof (await store.deleteRawBefore(T0 + DAY))).toBe('number');
    });
  });
});
