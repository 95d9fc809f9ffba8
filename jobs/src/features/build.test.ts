import { parseMonth } from '../month';
import { useTestDatabase } from '../../test/database';
import { buildFeatures } from './build';
import { NO_PURCHASE_DEFAULTS } from './schema';

const FEB = parseMonth('2020-02');
const MAR = parseMonth('2020-03');

describe('build-features', () => {
  const testDb = useTestDatabase('features');

  beforeAll(async () => {
    const { db } = testDb();
    await db('customer_profiles').insert([
      { idx: 1, attr_a: 2, attr_b: 'b', attr_c: 'yes' },
      { idx: 2, attr_a: 4, attr_b: 'c', attr_c: 'no' },
    ]);
    await db('labels').insert([
      { idx: 1, label: 1 },
      { idx: 2, label: 0 },
    ]);
    await db('stores').insert([
      { idx: 1, location: 'Lisbon' },
      { idx: 2, location: 'Paris' },
    ]);
    // Customer 1's activity changes on 2020-03-10: a February snapshot must not see the new row.
    await db('customer_activity').insert([
      { idx: 1, valid_from: '2019-01-01', valid_to: '2020-03-09', scd_a: 0.25, scd_b: 2 },
      { idx: 1, valid_from: '2020-03-10', valid_to: null, scd_a: 0.75, scd_b: 4 },
      { idx: 2, valid_from: '2019-05-01', valid_to: null, scd_a: 0.5, scd_b: 3 },
    ]);
    // Customer 1 buys in January, February and (after the February snapshot) in March.
    await db('sales').insert([
      { idx: 1, value: 1.5, date: '2020-01-15', store_idx: 1, sale_month: '2020-01-01' },
      { idx: 1, value: 2.5, date: '2020-02-20', store_idx: 2, sale_month: '2020-02-01' },
      { idx: 1, value: 9.0, date: '2020-03-01', store_idx: 1, sale_month: '2020-03-01' },
    ]);
  });

  const row = async (asOf: string, idx: number) => testDb().db('feature_snapshots').where({ as_of: asOf, idx }).first();

  it('when a snapshot is built, then no activity or sale dated after its month is used', async () => {
    await buildFeatures(testDb().db, FEB, 'test');
    expect(await row(FEB.end, 1)).toEqual({
      as_of: '2020-02-29',
      idx: 1,
      attr_a: 2,
      attr_b: 'b',
      scd_a: 0.25, // the 2020-03-10 row would leak 0.75
      scd_b: 2,
      recency_days: 9, // last sale 2020-02-20: the 2020-03-01 sale (9.0) is after the month
      frequency: 2,
      monetary: 4,
      stores_visited: 2,
      label: 1,
    });
  });

  it('when the next month is built, then its snapshot sees that month and keeps the earlier one', async () => {
    await buildFeatures(testDb().db, MAR, 'test');
    expect(await row(MAR.end, 1)).toMatchObject({
      scd_a: 0.75,
      scd_b: 4,
      recency_days: 30,
      frequency: 3,
      monetary: 13,
    });
    expect(await row(FEB.end, 1)).toMatchObject({ scd_a: 0.25, frequency: 2 });
  });

  it('when a customer never bought, then the purchase features are the no-purchase defaults', async () => {
    expect(await row(MAR.end, 2)).toMatchObject({ ...NO_PURCHASE_DEFAULTS, scd_a: 0.5, label: 0 });
  });

  it('when a snapshot is rebuilt, then its content hash and rows are identical', async () => {
    const { db } = testDb();
    const first = await db('feature_snapshot_runs').where({ as_of: FEB.end }).first();
    const rebuilt = await buildFeatures(db, FEB, 'test-again');
    expect(rebuilt).toEqual({ as_of: FEB.end, row_count: 2, content_hash: first.content_hash });
    expect(await db('feature_snapshots').where({ as_of: FEB.end }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('when the data under a snapshot changes, then its hash changes', async () => {
    const { db } = testDb();
    const before = (await db('feature_snapshot_runs').where({ as_of: FEB.end }).first()).content_hash;
    await db('labels').where({ idx: 2 }).update({ label: 1 });
    const after = await buildFeatures(db, FEB, 'test');
    await db('labels').where({ idx: 2 }).update({ label: 0 });
    await buildFeatures(db, FEB, 'test');
    expect(after.content_hash).not.toBe(before);
  });

  it('when ds_user reads feature_store, then it sees the latest snapshot only', async () => {
    const rows = await testDb().db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE ds_user');
      return trx('feature_store').select('idx', 'as_of', 'attr_a', 'attr_b', 'scd_a', 'scd_b', 'label').orderBy('idx');
    });
    expect(rows).toEqual([
      { idx: 1, as_of: '2020-03-31', attr_a: 2, attr_b: 'b', scd_a: 0.75, scd_b: 4, label: 1 },
      { idx: 2, as_of: '2020-03-31', attr_a: 4, attr_b: 'c', scd_a: 0.5, scd_b: 3, label: 0 },
    ]);
  });
});
