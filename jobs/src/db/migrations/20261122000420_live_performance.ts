/**
 * Live performance: logged predictions joined with known outcomes, per model version and period,
 * and the retraining requests raised when it drops (the MLE module's retraining trigger).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('live_performance', (t) => {
    t.text('model_version').notNullable();
    t.date('period_start').notNullable().comment('first day of the period (a month by default)');
    t.date('period_end').notNullable().comment('last day of the period, inclusive');
    t.integer('predictions').notNullable().comment('predictions logged in the period');
    t.integer('labelled').notNullable().comment('of those, with a known outcome (feedback or labels)');
    t.integer('positives').notNullable();
    t.double('roc_auc').nullable().comment('null below the minimum labelled count or with one class');
    t.double('log_loss').nullable();
    t.double('accuracy').nullable();
    t.double('reference_auc').nullable().comment("the version's holdout ROC-AUC from the registry");
    t.double('auc_drop').nullable().comment('reference_auc - roc_auc');
    t.text('status').notNullable().comment('ok | degraded | insufficient_data');
    t.text('run_id').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['model_version', 'period_start']);
  });
  await knex.schema.createTable('retraining_requests', (t) => {
    t.bigIncrements('id');
    t.text('model_version').notNullable();
    t.date('period_start').notNullable();
    t.text('reason').notNullable();
    t.text('status').notNullable().defaultTo('open').comment('open | done (a later promote closes it)');
    t.text('closed_by').nullable().comment('the version whose promotion closed it');
    t.text('run_id').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['model_version', 'period_start']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('retraining_requests');
  await knex.schema.dropTableIfExists('live_performance');
}
