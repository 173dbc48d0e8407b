/*
 * A PostgreSQL server for tests that need their own database on it (several
 * knex pools on one database, as replicas of the backend would have), which
 * TestDatabases cannot give: it hands out one knex per database.
 */
import knexFactory, { Knex } from 'knex';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { POSTGRES_CONNECTION_ENV } from './testDatabases';

/** The server: the one scripts/test found, else the local default. */
export const POSTGRES_URL =
  process.env[POSTGRES_CONNECTION_ENV] ||
  'postgresql://postgres@127.0.0.1:5432';

/**
 * Why no PostgreSQL can be used, or undefined when one answers. Synchronous
 * (a child process opens a TCP connection), so a test file can choose
 * between `describe` and `describe.skip` at load time. When
 * {@link POSTGRES_CONNECTION_ENV} is set, the server was promised: the
 * answer is always undefined, so an unreachable one fails the tests
 * instead of skipping them.
 */
export function postgresUnavailableReason(): string | undefined {
  if (process.env[POSTGRES_CONNECTION_ENV]) return undefined;
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `const u = new URL(process.argv[1]);
       const s = require('net').connect(+(u.port || 5432), u.hostname);
       s.on('connect', () => process.exit(0));
       s.on('error', () => process.exit(1));
       setTimeout(() => process.exit(1), 3000);`,
      POSTGRES_URL,
    ],
    { timeout: 10_000 },
  );
  return probe.status === 0
    ? undefined
    : `no PostgreSQL answers at ${POSTGRES_URL} (set ${POSTGRES_CONNECTION_ENV} to use another server)`;
}

function databaseUrl(database: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, empty database on {@link POSTGRES_URL}; `drop` removes it. */
export async function createPostgresDatabase(prefix: string): Promise<{
  name: string;
  /** A new knex with its own pool on the database. */
  connect(pool?: { min?: number; max?: number }): Knex;
  drop(): Promise<void>;
}> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({
    client: 'pg',
    connection: databaseUrl('postgres'),
    pool: { min: 0, max: 1 },
  });
  await admin.raw(`CREATE DATABASE ${name}`);
  const clients: Knex[] = [];
  return {
    name,
    connect(pool = {}) {
      const client = knexFactory({
        client: 'pg',
        connection: databaseUrl(name),
        pool: { min: 0, max: 10, ...pool },
      });
      clients.push(client);
      return client;
    },
    async drop() {
      await Promise.all(clients.map(c => c.destroy()));
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
