import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { isPostgres } from './dialect';

/**
 * The package's migrations (`migrations/` at the package root, shipped with
 * it): one knex migration directory shared by every store of the plugin.
 */
const migrationsDir = resolvePackagePath(
  '@aiplatform/plugin-ai-platform-backend',
  'migrations',
);

/** Keys PostgreSQL advisory locks take: "aiplatform" in ASCII, then 1 for migrations. */
const MIGRATION_LOCK_KEY = [0x6169706c, 1] as const;

/**
 * Runs `fn` holding a PostgreSQL advisory lock, on a connection of its own
 * (outside the pool, which `fn` may need whole), so replicas that start at
 * once migrate one after the other. Without it both create knex's
 * migration tables at the same time: one fails ("relation already exists"),
 * or both insert a lock row and every later start finds the migrations
 * "already locked". Other databases run `fn` as it is.
 */
async function withMigrationLock<T>(db: Knex, fn: () => Promise<T>) {
  if (!isPostgres(db)) return fn();
  const connection = await db.client.acquireRawConnection();
  try {
    await connection.query('SELECT pg_advisory_lock($1, $2)', [
      ...MIGRATION_LOCK_KEY,
    ]);
    return await fn();
  } finally {
    // Closing the session releases the lock.
    await db.client.destroyRawConnection(connection);
  }
}

/** Applies the package's migrations; shared by every knex store of the plugin. */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await withMigrationLock(client, () =>
      client.migrate.latest({ directory: migrationsDir }),
    );
  }
  return client;
}
