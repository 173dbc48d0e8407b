// @ts-check

/**
 * Gateway usage: raw records (idempotent on id), hourly and daily rollups
 * keyed by what read-time attribution needs, and collector cursors.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_usage_records', table => {
    table.string('id', 255).primary().comment('the gateway request id');
    table.bigInteger('ts').notNullable();
    table.string('entity_candidates', 1024).notNullable().defaultTo('');
    table.string('team', 255).notNullable().defaultTo('');
    table.string('key_alias', 255).notNullable().defaultTo('');
    table.string('tag', 255).notNullable().defaultTo('');
    table.string('model', 255).notNullable();
    table.string('provider', 128).notNullable().defaultTo('');
    table.bigInteger('input_tokens').notNullable();
    table.bigInteger('output_tokens').notNullable();
    table.double('cost_usd').nullable();
    table.string('cost_source', 16).notNullable();
    table.string('price_source', 255).nullable();
    table.integer('duration_ms').nullable();
    table.string('status', 32).nullable();
    table.index(['ts'], 'ai_usage_records_ts_idx');
  });

  await knex.schema.createTable('ai_usage_rollups', table => {
    table.string('resolution', 8).notNullable().comment('hour | day | month');
    table.bigInteger('bucket').notNullable();
    table.string('entity_candidates', 1024).notNullable();
    table.string('team', 255).notNullable();
    table.string('key_alias', 255).notNullable();
    table.string('tag', 255).notNullable();
    table.string('model', 255).notNullable();
    table.string('provider', 128).notNullable();
    table.bigInteger('requests').notNullable();
    table.bigInteger('unpriced_requests').notNullable();
    table.bigInteger('input_tokens').notNullable();
    table.bigInteger('output_tokens').notNullable();
    table.double('cost_usd').notNullable();
    table.primary([
      'resolution',
      'bucket',
      'entity_candidates',
      'team',
      'key_alias',
      'tag',
      'model',
      'provider',
    ]);
  });

  await knex.schema.createTable('ai_collector_cursors', table => {
    table.string('key', 255).primary();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_collector_cursors');
  await knex.schema.dropTable('ai_usage_rollups');
  await knex.schema.dropTable('ai_usage_records');
};
