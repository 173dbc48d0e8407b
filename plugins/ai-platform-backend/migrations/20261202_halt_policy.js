// @ts-check

/**
 * Halts by policy: the SLO of `spec.governance.haltOn` that halted a
 * pipeline, so a human resume can hold while that SLO still fails.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ai_pipeline_halts', table => {
    table
      .string('policy_slo', 63)
      .nullable()
      .comment('the haltOn SLO that halted it; null for a halt by hand');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ai_pipeline_halts', table => {
    table.dropColumn('policy_slo');
  });
};
