import { TestDatabases } from '@backstage/backend-test-utils';

/** Where PostgreSQL 15 for the store tests comes from (scripts/test sets it). */
export const POSTGRES_CONNECTION_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases the store and router tests run on: SQLite always, and
 * PostgreSQL 15 when {@link POSTGRES_CONNECTION_ENV} names a server.
 *
 * Docker is disabled: with `CI` set and no connection string, TestDatabases
 * would otherwise try to start a `postgres:15` container and fail every
 * PostgreSQL case on a machine without a Docker daemon. Call at the top level
 * of a test file (it registers an `afterAll` that drops the databases).
 */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
    disableDocker: true,
  });
}
