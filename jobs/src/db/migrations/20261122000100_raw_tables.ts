/** The challenge's raw tables, loaded as-is by ingest-clients / ingest-sales, and rejected_rows. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_profiles', (t) => {
    t.integer('idx').primary();
    t.smallint('attr_a').notNullable();
    t.text('attr_b').notNullable();
    t.text('attr_c').notNullable();
  });
  await knex.schema.createTable('customer_activity', (t) => {
    t.integer('idx').notNullable();
    t.date('valid_from').notNullable();
    t.date('valid_to').nullable();
    t.double('scd_a').notNullable();
    t.smallint('scd_b').notNullable();
    t.index(['idx', 'valid_from']);
  });
  await knex.schema.createTable('customer_activity_ranked', (t) => {
    t.integer('idx').notNullable();
    t.date('valid_from').notNullable();
    t.date('valid_to').nullable();
    t.double('scd_a').notNullable();
    t.smallint('scd_b').notNullable();
    t.integer('activity_rank').notNullable().comment('1 = the latest row of the customer');
    t.index(['idx', 'activity_rank']);
  });
  await knex.schema.createTable('labels', (t) => {
    t.integer('idx').primary();
    t.smallint('label').notNullable();
  });
  await knex.schema.createTable('stores', (t) => {
    t.integer('idx').primary();
    t.text('location').notNullable();
  });
  await knex.schema.createTable('sales', (t) => {
    t.integer('idx').notNullable().comment('customer idx');
    t.decimal('value', 12, 4).notNullable();
    t.date('date').notNullable();
    t.integer('store_idx').notNullable();
    t.date('sale_month').notNullable().comment('first day of the month of the source file; the unit of replacement');
    t.index(['sale_month']);
    t.index(['idx', 'date']);
  });
  await knex.schema.createTable('monthly_sales', (t) => {
    t.integer('store_idx').notNullable();
    t.text('location').notNullable();
    t.date('sale_month').notNullable();
    t.decimal('value', 14, 4).notNullable().comment('sum of sales.value for the store and month');
    t.primary(['store_idx', 'sale_month']);
  });
  await knex.schema.createTable('rejected_rows', (t) => {
    t.bigIncrements('id');
    t.text('run_id').notNullable();
    t.text('dataset').notNullable().comment('customer_profiles, sales, ...');
    t.date('sale_month').nullable().comment('for sales: the month whose file held the row');
    t.text('file').notNullable();
    t.integer('line').notNullable();
    t.text('reason').notNullable();
    t.text('raw').notNullable();
    t.timestamp('rejected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dataset', 'sale_month']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'rejected_rows',
    'monthly_sales',
    'sales',
    'stores',
    'labels',
    'customer_activity_ranked',
    'customer_activity',
    'customer_profiles',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
