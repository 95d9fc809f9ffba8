/** store_sales_report: average sale value and number of sales per store and month. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('store_sales_report', (t) => {
    t.integer('store_idx').notNullable();
    t.text('location').notNullable();
    t.date('sale_month').notNullable();
    t.integer('sales_count').notNullable();
    t.decimal('avg_value', 12, 4).notNullable();
    t.decimal('total_value', 14, 4).notNullable();
    t.primary(['store_idx', 'sale_month']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('store_sales_report');
}
