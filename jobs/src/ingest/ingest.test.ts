import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runJob } from '../cli/run';
import { useTestDatabase } from '../../test/database';
import { fingerprints } from '../../test/tables';
import { ingestClientsJob, ingestSalesJob } from './jobs';

const CLIENT_TABLES = ['customer_profiles', 'customer_activity', 'customer_activity_ranked', 'labels', 'stores'];
const SALES_TABLES = ['sales', 'monthly_sales'];

const CLEAN = {
  'customer_profiles.csv': 'idx,attr_a,attr_b,attr_c\n0,3,c,yes\n1,4,d,no\n2,1,a,yes\n',
  'customer_activity.csv':
    'idx,valid_from,valid_to,scd_a,scd_b\n0,2019-01-01,2020-01-15,0.25,2\n0,2020-01-15,,0.5,3\n1,2019-06-01,,0.9,5\n2,2019-03-01,,0.1,1\n',
  'labels.csv': 'idx,label\n0,0\n1,1\n2,0\n',
  'stores.csv': 'idx,location\n1,New York\n2,Lisbon\n',
  'sales/2020-01-01/sales.csv':
    'idx,value,date,store_idx\n0,1.5,2020-01-03,1\n1,2.0,2020-01-31,2\n1,0.5,2020-01-10,1\n',
  'sales/2020-02-01/sales.csv': 'idx,value,date,store_idx\n2,9.9,2020-02-29,2\n',
};

/** A source directory with the clean files, `overrides` replacing some. */
function makeSource(overrides: Record<string, string | null> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-ingest-'));
  for (const [file, content] of Object.entries({ ...CLEAN, ...overrides })) {
    if (content === null) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('ingest-clients and ingest-sales', () => {
  const testDb = useTestDatabase('ingest');
  const run = (
    job: typeof ingestClientsJob | typeof ingestSalesJob,
    source: string,
    options: Record<string, unknown>,
  ) => runJob(job, options, { DATABASE_URL: testDb().url, DATA_SOURCE: source, LOG_LEVEL: 'silent' }, () => undefined);
  const loadAll = async (source: string) => {
    expect((await run(ingestClientsJob, source, {})).exitCode).toBe(0);
    expect((await run(ingestSalesJob, source, { month: '2020-01' })).exitCode).toBe(0);
    expect((await run(ingestSalesJob, source, { month: '2020-02' })).exitCode).toBe(0);
  };
  const state = () => fingerprints(testDb().db, [...CLIENT_TABLES, ...SALES_TABLES]);

  it('when each ingest runs twice, then the tables are identical (counts and checksums)', async () => {
    const source = makeSource();
    await loadAll(source);
    const first = await state();
    await loadAll(source);
    expect(await state()).toEqual(first);
    expect(first.customer_profiles?.rows).toBe(3);
    expect(first.sales?.rows).toBe(4);
  });

  it('when clients load, then activity is ranked with 1 = the latest row of each customer', async () => {
    const { rows } = await testDb().db.raw(
      `SELECT idx, valid_from, activity_rank FROM customer_activity_ranked ORDER BY idx, activity_rank`,
    );
    expect(rows).toEqual([
      { idx: 0, valid_from: '2020-01-15', activity_rank: 1 },
      { idx: 0, valid_from: '2019-01-01', activity_rank: 2 },
      { idx: 1, valid_from: '2019-06-01', activity_rank: 1 },
      { idx: 2, valid_from: '2019-03-01', activity_rank: 1 },
    ]);
  });

  it('when a month loads, then only its monthly_sales rows are the sums per store', async () => {
    const { rows } = await testDb().db.raw(
      `SELECT store_idx, location, sale_month, value FROM monthly_sales ORDER BY sale_month, store_idx`,
    );
    expect(rows).toEqual([
      { store_idx: 1, location: 'New York', sale_month: '2020-01-01', value: 2 },
      { store_idx: 2, location: 'Lisbon', sale_month: '2020-01-01', value: 2 },
      { store_idx: 2, location: 'Lisbon', sale_month: '2020-02-01', value: 9.9 },
    ]);
  });

  it('when a month is reloaded from a changed file, then only that month changes', async () => {
    const before = await state();
    const source = makeSource({ 'sales/2020-02-01/sales.csv': 'idx,value,date,store_idx\n2,1.0,2020-02-01,1\n' });
    expect((await run(ingestSalesJob, source, { month: '2020-02' })).exitCode).toBe(0);
    const { rows } = await testDb().db.raw(`SELECT sale_month, count(*)::int AS n FROM sales GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { sale_month: '2020-01-01', n: 3 },
      { sale_month: '2020-02-01', n: 1 },
    ]);
    await loadAll(makeSource());
    expect(await state()).toEqual(before);
  });

  describe.each([
    [
      'a header mismatch',
      ingestSalesJob,
      { 'sales/2020-01-01/sales.csv': 'idx,amount,date,store_idx\n0,1.5,2020-01-03,1\n' },
      /sales\/2020-01-01\/sales\.csv: header mismatch: expected columns idx,value,date,store_idx, found idx,amount,date,store_idx/,
    ],
    [
      'a short row',
      ingestSalesJob,
      { 'sales/2020-01-01/sales.csv': 'idx,value,date,store_idx\n0,1.5,2020-01-03,1\n1,2.0,2020-01-04\n' },
      /sales\.csv:3: expected 4 columns, found 3/,
    ],
    [
      'a value that is not a number',
      ingestSalesJob,
      { 'sales/2020-01-01/sales.csv': 'idx,value,date,store_idx\n0,abc,2020-01-03,1\n' },
      /sales\.csv:2, column value: expected a number, got "abc"/,
    ],
    [
      'a value out of range',
      ingestSalesJob,
      { 'sales/2020-01-01/sales.csv': 'idx,value,date,store_idx\n0,1.0,2020-01-03,1\n0,10.5,2020-01-03,1\n' },
      /sales\.csv:3, column value: 10\.5 is outside 0\.\.10/,
    ],
    [
      'a sale dated outside the month',
      ingestSalesJob,
      { 'sales/2020-01-01/sales.csv': 'idx,value,date,store_idx\n0,1.0,2020-02-01,1\n' },
      /sales\.csv:2, column date: 2020-02-01 is outside the month 2020-01/,
    ],
    [
      'an impossible date',
      ingestSalesJob,
      { 'sales/2020-01-01/sales.csv': 'idx,value,date,store_idx\n0,1.0,2020-01-32,1\n' },
      /sales\.csv:2, column date: 2020-01-32 is not a calendar date/,
    ],
    [
      'an unknown category',
      ingestClientsJob,
      { 'customer_profiles.csv': 'idx,attr_a,attr_b,attr_c\n0,3,e,yes\n' },
      /customer_profiles\.csv:2, column attr_b: expected one of a\|b\|c\|d, got "e"/,
    ],
    [
      'a missing client file',
      ingestClientsJob,
      { 'customer_activity.csv': null },
      /source file not found: expected .*customer_activity\.csv/,
    ],
  ])('when a file has %s', (_label, job, overrides, message) => {
    it('then the job exits 2 naming the place, and nothing stored changes', async () => {
      const before = await state();
      const outcome = await run(job, makeSource(overrides), job === ingestSalesJob ? { month: '2020-01' } : {});
      expect(outcome.exitCode).toBe(2);
      expect((outcome.summary.error as { message: string }).message).toMatch(message);
      expect(await state()).toEqual(before);
    });
  });

  it('when the month file is missing, then the job exits 2 naming the expected path', async () => {
    const outcome = await run(ingestSalesJob, makeSource(), { month: '2020-03' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({
      message: expect.stringMatching(/no sales file for 2020-03: expected .*sales\/2020-03-01\/sales\.csv$/),
    });
  });

  it('when --month is not a month, then the job exits 2 naming the flag', async () => {
    const outcome = await run(ingestSalesJob, makeSource(), { month: '2020-1' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({ setting: '--month' });
  });

  describe('when bad rows are quarantined', () => {
    const dirty = {
      'sales/2020-01-01/sales.csv':
        'idx,value,date,store_idx\n0,1.5,2020-01-03,1\n1,oops,2020-01-04,2\n1,2.0,2020-01-31,2\n2,0.5,2020-01-10,1\n',
    };

    it('then rows under the ratio go to rejected_rows with file, line and reason, and the rest load', async () => {
      const outcome = await run(ingestSalesJob, makeSource(dirty), {
        month: '2020-01',
        onBadRows: 'quarantine',
        maxBadRatio: '0.5',
      });
      expect(outcome.exitCode).toBe(0);
      expect(outcome.summary).toMatchObject({ rows_read: 4, rows_written: 3, rows_rejected: 1 });
      const { rows } = await testDb().db.raw(
        `SELECT dataset, sale_month, file, line, reason, raw FROM rejected_rows WHERE dataset = 'sales'`,
      );
      expect(rows).toEqual([
        {
          dataset: 'sales',
          sale_month: '2020-01-01',
          file: expect.stringMatching(/sales\/2020-01-01\/sales\.csv$/),
          line: 3,
          reason: 'value: expected a number, got "oops"',
          raw: '1,oops,2020-01-04,2',
        },
      ]);
    });

    it('then a rerun replaces the month and its rejected rows instead of adding to them', async () => {
      await run(ingestSalesJob, makeSource(dirty), { month: '2020-01', onBadRows: 'quarantine', maxBadRatio: '0.5' });
      const { rows } = await testDb().db.raw(`SELECT count(*)::int AS n FROM rejected_rows WHERE dataset = 'sales'`);
      expect(rows[0].n).toBe(1);
    });

    it('then rows over the ratio fail the job with exit 2 and change nothing', async () => {
      const before = await state();
      const outcome = await run(ingestSalesJob, makeSource(dirty), {
        month: '2020-01',
        onBadRows: 'quarantine',
        maxBadRatio: '0.1',
      });
      expect(outcome.exitCode).toBe(2);
      expect((outcome.summary.error as { message: string }).message).toMatch(
        /1 of 4 rows are bad \(25\.00% > --max-bad-ratio 0\.1\); first at line 3, column value/,
      );
      expect(await state()).toEqual(before);
    });
  });
});
