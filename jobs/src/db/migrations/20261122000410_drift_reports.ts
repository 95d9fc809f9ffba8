/** Drift reports: PSI of each feature of a snapshot against the champion's training snapshot. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('drift_reports', (t) => {
    t.date('as_of').notNullable();
    t.text('feature').notNullable();
    t.date('reference_as_of').notNullable().comment("the champion's training snapshot");
    t.text('champion_version').notNullable();
    t.double('psi').notNullable();
    t.text('severity').notNullable().comment('ok | warning | critical');
    t.text('run_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['as_of', 'feature']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('drift_reports');
}
