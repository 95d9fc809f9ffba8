/** The prediction API's tables: the prediction log (batched inserts) and feedback (actual outcomes). */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('predictions', (t) => {
    t.bigIncrements('id');
    t.text('request_id').notNullable().comment('X-Request-Id of the HTTP request (shared by a batch)');
    t.bigInteger('idx').notNullable();
    t.text('model_version').notNullable();
    t.double('probability').notNullable();
    t.smallint('label').notNullable();
    t.jsonb('features').notNullable().comment('the row the model scored (store + request + defaults)');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['created_at']);
    t.index(['model_version', 'created_at']);
    t.index(['request_id']);
  });
  await knex.schema.createTable('feedback', (t) => {
    t.bigIncrements('id');
    t.bigInteger('idx').notNullable();
    t.smallint('label').notNullable().comment('the actual outcome');
    t.text('request_id').nullable().unique().comment('the prediction it is for, when known');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['idx']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('feedback');
  await knex.schema.dropTableIfExists('predictions');
}
