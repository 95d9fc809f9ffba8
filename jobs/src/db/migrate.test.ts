import { migrateDownAll, migrateLatest } from './migrate';
import { useTestDatabase } from '../../test/database';

const tables = async (db: ReturnType<ReturnType<typeof useTestDatabase>>['db']) =>
  (
    await db.raw<{ rows: Array<{ tablename: string }> }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex%' ORDER BY 1`,
    )
  ).rows.map((r) => r.tablename);

describe('migrate', () => {
  const testDb = useTestDatabase('migrate');

  it('when run again on a migrated database, then it applies nothing and changes no table', async () => {
    const { db } = testDb();
    const before = await tables(db);
    const result = await migrateLatest(db);
    expect(result.applied).toEqual([]);
    expect(await tables(db)).toEqual(before);
    expect(before).toEqual(expect.arrayContaining(['customer_profiles', 'sales', 'monthly_sales', 'rejected_rows']));
  });

  it('when ds_user writes, then postgres refuses; when it reads a table created after the grant, then it may', async () => {
    const { db } = testDb();
    await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE ds_user');
      await expect(trx.raw(`INSERT INTO stores (idx, location) VALUES (99, 'Nowhere')`)).rejects.toThrow(
        /permission denied/,
      );
    });
    await db.raw('CREATE TABLE created_after_grant (x int)');
    await db.raw('INSERT INTO created_after_grant VALUES (7)');
    const rows = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE ds_user');
      return (await trx.raw<{ rows: Array<{ x: number }> }>('SELECT x FROM created_after_grant')).rows;
    });
    expect(rows).toEqual([{ x: 7 }]);
    await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE ds_user');
      await expect(trx.raw('DELETE FROM created_after_grant')).rejects.toThrow(/permission denied/);
    });
  });

  it('when mle_user and analyst write, then postgres accepts', async () => {
    const { db } = testDb();
    for (const role of ['mle_user', 'analyst']) {
      await db.transaction(async (trx) => {
        await trx.raw(`SET LOCAL ROLE ${role}`);
        await trx.raw(`INSERT INTO stores (idx, location) VALUES (1, 'Lisbon')`);
        await trx.raw('DELETE FROM stores WHERE idx = 1');
      });
    }
  });

  it('when rolled back, then every table is dropped, and migrating again restores them', async () => {
    const { db } = testDb();
    const before = await tables(db);
    await db.raw('DROP TABLE IF EXISTS created_after_grant');
    await migrateDownAll(db);
    expect(await tables(db)).toEqual([]);
    await migrateLatest(db);
    expect(await tables(db)).toEqual(before.filter((t) => t !== 'created_after_grant'));
  });
});
