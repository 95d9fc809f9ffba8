/** The prediction log records how long each request took to score, for the dashboard's latency chart. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('predictions', (t) => {
    t.double('latency_ms').nullable().comment('time from request to response of the /predict call');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('predictions', (t) => {
    t.dropColumn('latency_ms');
  });
}
