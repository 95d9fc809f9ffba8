/** The real challenge files (read-only fixtures) load unchanged. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJob } from '../cli/run';
import { useTestDatabase } from '../../test/database';
import { REAL_DATA_DIR } from '../../test/fixtures';
import { ingestClientsJob, ingestSalesJob } from './jobs';

const lines = (file: string) => fs.readFileSync(path.join(REAL_DATA_DIR, file), 'utf8').trimEnd().split('\n').slice(1);

/**
 * The fixtures hold no customer_activity.csv (the real bucket does): the source links the real
 * files and adds a one-row-per-customer activity file so ingest-clients has all four.
 */
function realSource(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-real-'));
  for (const file of ['customer_profiles.csv', 'labels.csv', 'stores.csv']) {
    fs.symlinkSync(path.join(REAL_DATA_DIR, file), path.join(dir, file));
  }
  fs.mkdirSync(path.join(dir, 'sales', '2020-01-01'), { recursive: true });
  fs.symlinkSync(
    path.join(REAL_DATA_DIR, 'sales', '2020-01-01', 'sales.csv'),
    path.join(dir, 'sales', '2020-01-01', 'sales.csv'),
  );
  const activity = lines('customer_profiles.csv').map((l) => `${l.split(',')[0]},2019-01-01,,0.5,3`);
  fs.writeFileSync(
    path.join(dir, 'customer_activity.csv'),
    `idx,valid_from,valid_to,scd_a,scd_b\n${activity.join('\n')}\n`,
  );
  return dir;
}

describe('the real challenge files', () => {
  const testDb = useTestDatabase('real_data');

  beforeAll(async () => {
    const env = { DATABASE_URL: testDb().url, DATA_SOURCE: realSource(), LOG_LEVEL: 'silent' };
    expect((await runJob(ingestClientsJob, {}, env, () => undefined)).exitCode).toBe(0);
    expect((await runJob(ingestSalesJob, { month: '2020-01' }, env, () => undefined)).exitCode).toBe(0);
  });

  it.each([
    [
      'customer_profiles.csv',
      `SELECT concat_ws(',', idx, attr_a, attr_b, attr_c) AS line FROM customer_profiles ORDER BY idx`,
    ],
    ['labels.csv', `SELECT concat_ws(',', idx, label) AS line FROM labels ORDER BY idx`],
    ['stores.csv', `SELECT concat_ws(',', idx, location) AS line FROM stores ORDER BY idx`],
  ])('when %s is loaded, then the table holds exactly its rows', async (file, sql) => {
    const { rows } = await testDb().db.raw<{ rows: Array<{ line: string }> }>(sql);
    expect(rows.map((r) => r.line)).toEqual(lines(file));
  });

  it('when labels are loaded, then 13,723 of the 150,000 customers are positive', async () => {
    const { rows } = await testDb().db.raw(`SELECT count(*)::int AS n, sum(label)::int AS ones FROM labels`);
    expect(rows[0]).toEqual({ n: 150000, ones: 13723 });
  });

  it('when sales 2020-01 is loaded, then its 412 rows and 5 monthly sums match the file', async () => {
    const fileRows = lines('sales/2020-01-01/sales.csv');
    const { rows } = await testDb().db.raw<{ rows: Array<{ line: string }> }>(
      `SELECT concat_ws(',', idx, value::numeric(10, 1), date, store_idx) AS line FROM sales WHERE sale_month = '2020-01-01'`,
    );
    expect(fileRows).toHaveLength(412);
    expect(rows.map((r) => r.line).sort()).toEqual([...fileRows].sort());
    // Sums in tenths, as integers: exact.
    const tenths = new Map<number, number>();
    for (const row of fileRows) {
      const [, value, , store] = row.split(',');
      tenths.set(Number(store), (tenths.get(Number(store)) ?? 0) + Math.round(Number(value) * 10));
    }
    const monthly = await testDb().db.raw(
      `SELECT store_idx, round(value * 10)::int AS tenths FROM monthly_sales WHERE sale_month = '2020-01-01' ORDER BY store_idx`,
    );
    expect(monthly.rows).toHaveLength(5);
    expect(monthly.rows).toEqual(
      [...tenths.entries()].sort((a, b) => a[0] - b[0]).map(([s, t]) => ({ store_idx: s, tenths: t })),
    );
  });
});
