import { ServiceUnavailableError } from '@backstage/errors';
import { Knex } from 'knex';

/**
 * PostgreSQL's serialization_failure and deadlock_detected: the database
 * rolled the transaction back and running it again may well succeed.
 */
const RETRYABLE_POSTGRES_CODES = new Set(['40001', '40P01']);

/** Attempts of one transaction, first included. */
export const TRANSACTION_ATTEMPTS = 5;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 1_000;

/**
 * Whether a database error says "run the whole transaction again":
 * PostgreSQL's serialization failure or deadlock, or SQLite's busy
 * database (`SQLITE_BUSY` and its extended codes: another connection held
 * the file past the driver's busy timeout).
 */
export function isRetryableDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return RETRYABLE_POSTGRES_CODES.has(code) || code.startsWith('SQLITE_BUSY');
}

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Runs `fn` in a transaction of `db`; when the database aborts it with an
 * error {@link isRetryableDatabaseError} accepts, runs the whole transaction
 * again, up to {@link TRANSACTION_ATTEMPTS} times, after an exponential
 * backoff with jitter (half fixed, half random), so that replicas that
 * collided do not collide again in step. `fn` must therefore keep its state
 * inside (it may run more than once) and do nothing outside the database.
 *
 * When every attempt failed that way the caller gets a 503 (the batch can
 * be sent again), not the driver's error (a 500 with SQL in it). Every other
 * error is thrown as it is, at once.
 */
export async function retryTransaction<T>(
  db: Knex,
  fn: (tx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (!isRetryableDatabaseError(error)) throw error;
      if (attempt >= TRANSACTION_ATTEMPTS) {
        throw new ServiceUnavailableError(
          `The database stayed contended (${
            (error as { code: string }).code
          }) through ${TRANSACTION_ATTEMPTS} attempts; nothing was written, send the request again`,
        );
      }
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}
