// @ts-check

/**
 * Halt enforcement: what each halt enforcer did to each target for the last
 * halt or resume of a pipeline, with what its resume needs (`undo`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ai_halt_enforcement', table => {
    table.string('pipeline', 255).notNullable();
    table
      .integer('position')
      .notNullable()
      .comment('order within the pipeline');
    table.string('enforcer', 128).notNullable();
    table.text('target').notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('applied | failed | pending');
    table.text('message').notNullable();
    table.text('undo').nullable().comment('JSON object');
    table.bigInteger('updated_at').notNullable().comment('epoch ms');
    table.primary(['pipeline', 'position']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ai_halt_enforcement');
};
