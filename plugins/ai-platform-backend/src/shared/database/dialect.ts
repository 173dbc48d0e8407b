import { Knex } from 'knex';

/** Whether `db` talks to PostgreSQL (the `pg` client) rather than SQLite. */
export function isPostgres(db: Knex): boolean {
  return String(db.client.config.client).includes('pg');
}
