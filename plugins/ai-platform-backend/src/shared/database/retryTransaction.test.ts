import { TestDatabaseId } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import {
  TRANSACTION_ATTEMPTS,
  isRetryableDatabaseError,
  retryTransaction,
} from './retryTransaction';

jest.setTimeout(60_000);

/** A promise and the function that resolves it. */
function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

async function counters(knex: Knex) {
  await knex.schema.createTable('counters', t => {
    t.integer('id').primary();
    t.integer('n').notNullable();
  });
  await knex('counters').insert([
    { id: 1, n: 0 },
    { id: 2, n: 0 },
  ]);
}

async function values(knex: Knex) {
  return (await knex('counters').orderBy('id').select('n')).map(r =>
    Number(r.n),
  );
}

/** A knex on a SQLite file, its connection waiting `busyTimeoutMs` for a lock. */
function sqliteFile(filename: string, busyTimeoutMs: number): Knex {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      afterCreate: (
        conn: { pragma(p: string): unknown },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.pragma(`busy_timeout = ${busyTimeoutMs}`);
        done(null, conn);
      },
    },
  });
}

describe('isRetryableDatabaseError', () => {
  it.each([
    ['40001', true], // PostgreSQL serialization_failure
    ['40P01', true], // PostgreSQL deadlock_detected
    ['SQLITE_BUSY', true],
    ['SQLITE_BUSY_SNAPSHOT', true],
    ['23505', false], // unique_violation: running again fails again
    ['23502', false], // not_null_violation
    ['SQLITE_CONSTRAINT_NOTNULL', false],
    [undefined, false],
  ])('code %s: %s', (code, retryable) => {
    expect(
      isRetryableDatabaseError(Object.assign(new Error('x'), { code })),
    ).toBe(retryable);
  });

  it('is false for what is not an error object', () => {
    expect(isRetryableDatabaseError(null)).toBe(false);
    expect(isRetryableDatabaseError('40P01')).toBe(false);
  });
});

describe('retryTransaction', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it('throws any other error at once, after rolling back', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await counters(knex);
      let attempts = 0;
      await expect(
        retryTransaction(knex, async tx => {
          attempts += 1;
          await tx('counters').where({ id: 1 }).update({ n: 5 });
          await tx('counters').insert({ id: 2, n: 0 }); // duplicate key
        }),
      ).rejects.toHaveProperty(
        'message',
        expect.stringMatching(/unique|duplicate/i),
      );
      expect(attempts).toBe(1);
      expect(await values(knex)).toEqual([0, 0]);
    });

    it(`gives up after ${TRANSACTION_ATTEMPTS} attempts with a 503 that shows no SQL`, async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      await counters(knex);
      let attempts = 0;
      const error = await retryTransaction(knex, async tx => {
        attempts += 1;
        await tx('counters').where({ id: 1 }).increment('n', 1);
        throw Object.assign(
          new Error('update "counters" set ... - could not serialize access'),
          { code: '40001' },
        );
      }).catch(e => e);
      expect(attempts).toBe(TRANSACTION_ATTEMPTS);
      expect(error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: `The database stayed contended (40001) through ${TRANSACTION_ATTEMPTS} attempts; nothing was written, send the request again`,
      });
      // Every attempt was rolled back.
      expect(await values(knex)).toEqual([0, 0]);
    });
  });

  // Deadlocks need two connections: PostgreSQL's (SQLite's pool has one).
  const postgres = databases
    .eachSupportedId()
    .filter(([id]) => id.startsWith('POSTGRES'));
  if (postgres.length) {
    describe.each(postgres)('on %s', databaseId => {
      it('runs again the transaction PostgreSQL chose as a deadlock victim, and both commit', async () => {
        const knex = await databases.init(databaseId as TestDatabaseId);
        await counters(knex);
        // A locks row 1 then row 2; B locks row 2 then row 1: a real deadlock.
        const aHolds = signal();
        const bHolds = signal();
        const attempts = { a: 0, b: 0 };
        const run = (
          name: 'a' | 'b',
          first: number,
          second: number,
          held: ReturnType<typeof signal>,
          other: ReturnType<typeof signal>,
        ) =>
          retryTransaction(knex, async tx => {
            attempts[name] += 1;
            await tx('counters').where({ id: first }).increment('n', 1);
            if (attempts[name] === 1) {
              held.resolve();
              await other.promise;
            }
            await tx('counters').where({ id: second }).increment('n', 1);
          });

        await Promise.all([
          run('a', 1, 2, aHolds, bHolds),
          run('b', 2, 1, bHolds, aHolds),
        ]);

        // One of them ran twice; each counted once in the end.
        expect(attempts.a + attempts.b).toBe(3);
        expect(await values(knex)).toEqual([2, 2]);
      });
    });
  }

  it('runs a transaction again when SQLite is busy (another connection writes the file)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-retry-'));
    const file = path.join(dir, 'busy.sqlite');
    // No busy timeout: SQLITE_BUSY at once, not after the driver's 5 s.
    const writer = sqliteFile(file, 0);
    const other = sqliteFile(file, 0);
    const release = signal();
    try {
      await counters(writer);
      const writing = signal();
      const holder = retryTransaction(writer, async tx => {
        await tx('counters').where({ id: 1 }).increment('n', 1);
        writing.resolve();
        await release.promise;
      });
      await writing.promise;

      let attempts = 0;
      await retryTransaction(other, async tx => {
        attempts += 1;
        // The first attempt met the writer's lock; let it commit.
        if (attempts === 2) release.resolve();
        await tx('counters').where({ id: 2 }).increment('n', 1);
      });
      release.resolve(); // (had the first attempt not met the lock)
      await holder;

      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(await values(other)).toEqual([1, 1]);
    } finally {
      release.resolve();
      await writer.destroy();
      await other.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
