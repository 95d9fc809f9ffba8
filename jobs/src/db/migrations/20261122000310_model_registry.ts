/**
 * The model registry: versions (artifact, metrics, params, lineage), aliases (champion,
 * challenger), the append-only promotion log, and batch scores.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('model_versions', (t) => {
    t.text('version').primary().comment('timestamped, e.g. 20261122T130501Z-mlp');
    t.text('kind').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('artifact').notNullable().comment('tfjs topology, weights (base64), encoder, threshold');
    t.jsonb('metrics').notNullable();
    t.jsonb('params').notNullable();
    t.jsonb('lineage').notNullable().comment('as_of, row_count, snapshot_hash, git_sha, backend');
  });
  await knex.schema.createTable('model_aliases', (t) => {
    t.text('alias').primary();
    t.text('version').notNullable().references('version').inTable('model_versions');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('promotion_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('action').notNullable().comment('promote | keep | rollback');
    t.date('as_of').nullable();
    t.text('champion_version').nullable().comment('the champion before the decision');
    t.text('challenger_version').nullable();
    t.double('champion_auc').nullable();
    t.double('challenger_auc').nullable();
    t.double('prior_log_loss').nullable();
    t.double('challenger_log_loss').nullable();
    t.integer('holdout_rows').nullable();
    t.text('decision').notNullable().comment('the champion after the decision');
    t.text('reason').notNullable();
    t.text('run_id').nullable();
  });
  await knex.raw(`
    CREATE FUNCTION promotion_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'promotion_log is append-only'; END $$`);
  await knex.raw(`
    CREATE TRIGGER promotion_log_append_only BEFORE UPDATE OR DELETE ON promotion_log
    FOR EACH ROW EXECUTE FUNCTION promotion_log_append_only()`);
  await knex.schema.createTable('scores', (t) => {
    t.date('as_of').notNullable();
    t.integer('idx').notNullable();
    t.double('probability').notNullable();
    t.smallint('label').nullable();
    t.text('model_version').notNullable();
    t.timestamp('scored_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['as_of', 'idx']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('scores');
  await knex.schema.dropTableIfExists('promotion_log');
  await knex.raw('DROP FUNCTION IF EXISTS promotion_log_append_only()');
  await knex.schema.dropTableIfExists('model_aliases');
  await knex.schema.dropTableIfExists('model_versions');
}
