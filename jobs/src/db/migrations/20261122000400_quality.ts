/** Data quality: validation runs and their per-expectation results, and alerts (one row per incident). */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('validation_runs', (t) => {
    t.text('run_id').primary();
    t.text('dataset').notNullable().comment('clients | sales | features');
    t.date('month').nullable().comment('the sales month or the features as_of');
    t.text('status').notNullable().comment('passed | warning | failed (a critical expectation failed)');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dataset', 'month', 'created_at']);
  });
  await knex.schema.createTable('validation_results', (t) => {
    t.bigIncrements('id');
    t.text('run_id').notNullable().references('run_id').inTable('validation_runs').onDelete('CASCADE');
    t.text('expectation').notNullable();
    t.text('column').nullable();
    t.text('severity').notNullable().comment('critical | warning');
    t.boolean('passed').notNullable();
    t.double('observed').nullable();
    t.text('threshold').notNullable();
    t.text('details').nullable();
    t.index(['run_id']);
  });
  await knex.schema.createTable('alerts', (t) => {
    t.bigIncrements('id');
    t.text('incident_key').notNullable().unique().comment('one row per incident: repeats update it');
    t.text('kind').notNullable();
    t.text('severity').notNullable();
    t.text('message').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('link').nullable();
    t.text('status').notNullable().defaultTo('open');
    t.integer('occurrences').notNullable().defaultTo(1);
    t.timestamp('first_seen', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('alerts');
  await knex.schema.dropTableIfExists('validation_results');
  await knex.schema.dropTableIfExists('validation_runs');
}
