// @ts-check

/**
 * Signals: raw points, hourly and daily rollups, the latest point per series,
 * pipeline halts and the governance audit log.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_signal_points', table => {
    table.string('pipeline', 255).notNullable();
    table.string('stage', 128).notNullable().defaultTo('');
    table.string('signal', 32).notNullable();
    table.bigInteger('ts').notNullable().comment('epoch ms');
    table.string('source', 64).notNullable().defaultTo('');
    table.double('value').notNullable();
    // The key makes ingestion idempotent: a replayed point is ignored.
    table.primary(['pipeline', 'stage', 'signal', 'ts', 'source']);
  });

  await knex.schema.createTable('ai_signal_rollups', table => {
    table.string('pipeline', 255).notNullable();
    table.string('stage', 128).notNullable();
    table.string('signal', 32).notNullable();
    table.string('resolution', 8).notNullable().comment('hour | day');
    table.bigInteger('bucket').notNullable().comment('bucket start, epoch ms');
    table.bigInteger('count').notNullable();
    table.double('sum').notNullable();
    table.double('min').notNullable();
    table.double('max').notNullable();
    table.primary(['pipeline', 'stage', 'signal', 'resolution', 'bucket']);
    table.index(
      ['pipeline', 'resolution', 'bucket'],
      'ai_signal_rollups_range_idx',
    );
  });

  await knex.schema.createTable('ai_signal_latest', table => {
    table.string('pipeline', 255).notNullable();
    table.string('stage', 128).notNullable();
    table.string('signal', 32).notNullable();
    table.bigInteger('ts').notNullable();
    table.double('value').notNullable();
    table.primary(['pipeline', 'stage', 'signal']);
  });

  await knex.schema.createTable('ai_pipeline_halts', table => {
    table.string('pipeline', 255).primary();
    table.boolean('halted').notNullable();
    table.text('reason').notNullable();
    table.string('actor', 255).notNullable();
    table.bigInteger('at').notNullable();
  });

  await knex.schema.createTable('ai_audit_events', table => {
    table.string('id', 64).primary();
    table.bigInteger('at').notNullable();
    table.string('type', 64).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('actor', 255).notNullable();
    table.text('message').notNullable();
    table.text('details').nullable();
    table.index(['at'], 'ai_audit_events_at_idx');
    table.index(['entity_ref', 'at'], 'ai_audit_events_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_audit_events');
  await knex.schema.dropTable('ai_pipeline_halts');
  await knex.schema.dropTable('ai_signal_latest');
  await knex.schema.dropTable('ai_signal_rollups');
  await knex.schema.dropTable('ai_signal_points');
};
