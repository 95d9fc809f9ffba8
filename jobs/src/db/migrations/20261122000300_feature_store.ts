/**
 * Point-in-time feature snapshots (one per month, keyed by the month's last day), their build
 * records, and feature_store: the challenge's table of the latest snapshot, as a view.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('feature_snapshots', (t) => {
    t.date('as_of').notNullable().comment('last day of the month: nothing later is used');
    t.integer('idx').notNullable();
    t.smallint('attr_a').nullable();
    t.text('attr_b').nullable();
    t.double('scd_a').nullable().comment('activity row valid at as_of');
    t.smallint('scd_b').nullable();
    t.integer('recency_days').notNullable().comment('days since the last purchase up to as_of, capped');
    t.integer('frequency').notNullable().comment('purchases in the recent months up to as_of');
    t.decimal('monetary', 14, 4).notNullable().comment('sum of purchase values in the recent months');
    t.integer('stores_visited').notNullable().comment('distinct stores in the recent months');
    t.smallint('label').nullable();
    t.primary(['as_of', 'idx']);
  });
  await knex.schema.createTable('feature_snapshot_runs', (t) => {
    t.date('as_of').primary();
    t.integer('row_count').notNullable();
    t.text('content_hash').notNullable().comment('md5 over the ordered rows: equal hash = identical snapshot');
    t.text('run_id').notNullable();
    t.timestamp('built_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`
    CREATE VIEW feature_store AS
    SELECT idx, attr_a, attr_b, scd_a, scd_b, label, recency_days, frequency, monetary, stores_visited, as_of
    FROM feature_snapshots
    WHERE as_of = (SELECT max(as_of) FROM feature_snapshots)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP VIEW IF EXISTS feature_store');
  await knex.schema.dropTableIfExists('feature_snapshot_runs');
  await knex.schema.dropTableIfExists('feature_snapshots');
}
