/** synth generate: determinism, the real layout and value ranges, SCD2 integrity, a learnable signal, drift. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REAL_DATA_DIR } from '../../test/fixtures';
import { runJob } from '../cli/run';
import { rocAuc } from './auc';
import { generate, type DataPaths } from './generate';
import { synthGenerateJob } from './jobs';
import type { Knobs } from './plan';

const FIXTURES = REAL_DATA_DIR;
const KNOBS: Knobs = {
  customers: 2500,
  months: 5,
  startMonth: '2020-11',
  salesPerMonth: 1500,
  seed: 5,
  driftMonth: '2021-02',
  released: 3,
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-synth-'));
const pathsIn = (name: string): DataPaths => ({
  source: path.join(root, name, 'source'),
  pool: path.join(root, name, 'pool'),
  manifest: path.join(root, name, 'manifest.json'),
});

/** sha256 of every file under a folder, by relative path. */
function hashes(dir: string): Record<string, string> {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(dir, f)).isFile(),
  );
  return Object.fromEntries(
    files.sort().map((f) => [
      f,
      createHash('sha256')
        .update(fs.readFileSync(path.join(dir, f)))
        .digest('hex'),
    ]),
  );
}

const readCsv = (file: string) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toContain('\r');
  const [header, ...rows] = text.slice(0, -1).split('\n');
  return { header: header as string, rows: rows.map((r) => r.split(',')) };
};

const a = pathsIn('a');
const csv = (relative: string, paths = a) => readCsv(path.join(paths.source, relative));
const poolCsv = (relative: string) => readCsv(path.join(a.pool, relative));

beforeAll(async () => {
  await generate(KNOBS, a);
  await generate(KNOBS, pathsIn('b'));
  await generate({ ...KNOBS, seed: 6 }, pathsIn('c'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('synth generate', () => {
  it('when run twice with the same seed and knobs, then every file is byte-identical; another seed changes them', () => {
    const all = (name: string) => hashes(path.join(root, name));
    const first = all('a');
    expect(Object.keys(first)).toHaveLength(1 + 4 + 3 + 3);
    expect(all('b')).toEqual(first);
    const other = all('c');
    for (const [file, hash] of Object.entries(first)) {
      if (file === path.join('source', 'stores.csv')) expect(other[file]).toBe(hash);
      else expect(other[file]).not.toBe(hash);
    }
  });

  it('when compared with the real files, then headers match and stores.csv is identical', () => {
    for (const file of ['customer_profiles.csv', 'labels.csv', 'stores.csv', 'sales/2020-01-01/sales.csv']) {
      const realHeader = fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n')[0];
      const generated = file.startsWith('sales/') ? 'sales/2020-11-01/sales.csv' : file;
      expect(csv(generated).header).toBe(realHeader);
    }
    expect(fs.readFileSync(path.join(a.source, 'stores.csv'))).toEqual(
      fs.readFileSync(path.join(FIXTURES, 'stores.csv')),
    );
    expect(csv('customer_activity.csv').header).toBe('idx,valid_from,valid_to,scd_a,scd_b');
  });

  it('when the client files are read, then every value is in the real ranges with ~9% ones', () => {
    const profiles = csv('customer_profiles.csv').rows;
    expect(profiles.map((r) => r[0])).toEqual(Array.from({ length: KNOBS.customers }, (_, i) => String(i)));
    for (const [, attrA, attrB, attrC] of profiles) {
      expect(attrA).toMatch(/^[1-5]$/);
      expect(attrB).toMatch(/^[abcd]$/);
      expect(attrC).toMatch(/^(yes|no)$/);
    }
    const labels = csv('labels.csv').rows;
    expect(labels.every(([idx, label], i) => idx === String(i) && (label === '0' || label === '1'))).toBe(true);
    const rate = labels.filter((r) => r[1] === '1').length / labels.length;
    expect(rate).toBeGreaterThan(0.06);
    expect(rate).toBeLessThan(0.13);
  });

  it('when the sales files are read, then values have one decimal in 0.0-10.0, dates fall in the month, rows follow idx', () => {
    for (const [dir, month] of [
      [a.source, '2020-11'],
      [a.source, '2021-01'],
      [a.pool, '2021-03'],
    ] as const) {
      const { rows } = readCsv(path.join(dir, `sales/${month}-01/sales.csv`));
      expect(rows.length).toBeGreaterThan(KNOBS.salesPerMonth * 0.8);
      expect(rows.length).toBeLessThan(KNOBS.salesPerMonth * 1.2);
      let previous = -1;
      for (const [idx, value, date, store] of rows) {
        expect(value).toMatch(/^(10\.0|\d\.\d)$/);
        expect(date?.slice(0, 7)).toBe(month);
        expect(Number.isNaN(Date.parse(date as string))).toBe(false);
        expect(store).toMatch(/^[1-5]$/);
        expect(Number(idx)).toBeGreaterThanOrEqual(previous);
        expect(Number(idx)).toBeLessThan(KNOBS.customers);
        previous = Number(idx);
      }
    }
  });

  it('when the activity history is read, then it is SCD2: contiguous, non-overlapping, exactly one current row', () => {
    const check = (rows: string[][], asOf: string) => {
      const byCustomer = new Map<string, string[][]>();
      for (const row of rows) {
        const history = byCustomer.get(row[0] as string);
        if (history) history.push(row);
        else byCustomer.set(row[0] as string, [row]);
      }
      expect(byCustomer.size).toBe(KNOBS.customers);
      let changed = 0;
      for (const history of byCustomer.values()) {
        expect(history.filter((r) => r[2] === '')).toHaveLength(1);
        expect(history[history.length - 1]?.[2]).toBe('');
        history.forEach(([, from = '', to = '', scdA, scdB], i) => {
          expect(from <= asOf).toBe(true);
          expect(Number(scdA)).toBeGreaterThanOrEqual(0);
          expect(Number(scdA)).toBeLessThanOrEqual(1);
          expect(scdB).toMatch(/^[1-5]$/);
          const next = history[i + 1];
          if (next) {
            expect(to >= from).toBe(true);
            const dayAfter = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
            expect(next[1]).toBe(dayAfter);
          }
        });
        if (history.length > 1) changed++;
      }
      return changed;
    };
    const full = poolCsv('customer_activity.csv').rows;
    const released = csv('customer_activity.csv').rows;
    expect(check(full, '2021-03-31')).toBeGreaterThan(KNOBS.customers * 0.3);
    expect(check(released, '2021-01-31')).toBeGreaterThan(0);
    expect(released.length).toBeLessThan(full.length);
  });

  it('when the manifest is read, then its counts match the files and the Bayes AUC is well above chance', () => {
    const manifest = JSON.parse(fs.readFileSync(a.manifest, 'utf8'));
    expect(manifest.rows.customer_profiles).toBe(KNOBS.customers);
    expect(manifest.rows.customer_activity).toBe(poolCsv('customer_activity.csv').rows.length);
    expect(manifest.months.map((m: { month: string }) => m.month)).toEqual([
      '2020-11',
      '2020-12',
      '2021-01',
      '2021-02',
      '2021-03',
    ]);
    expect(manifest.months[2]).toMatchObject({ released_at_generation: true, drifted: false });
    expect(manifest.months[3]).toMatchObject({ released_at_generation: false, drifted: true });
    expect(manifest.months[0].rows).toBe(csv('sales/2020-11-01/sales.csv').rows.length);
    expect(manifest.bayes_auc).toBeGreaterThan(0.75);
    expect(manifest.bayes_auc_expected).toBeGreaterThan(0.75);
  });

  it('when a simple score is built from the released files, then it ranks labels well but below the Bayes ceiling', () => {
    const labels = csv('labels.csv').rows.map((r) => Number(r[1]));
    const current = new Map(
      csv('customer_activity.csv')
        .rows.filter((r) => r[2] === '')
        .map((r) => [r[0], r]),
    );
    const purchases = new Array<number>(KNOBS.customers).fill(0);
    for (const month of ['2020-11', '2020-12', '2021-01']) {
      for (const [idx] of csv(`sales/${month}-01/sales.csv`).rows) purchases[Number(idx)]! += 1;
    }
    const score = csv('customer_profiles.csv').rows.map(([idx, attrA, attrB, attrC]) => {
      const activity = current.get(idx) as string[];
      return (
        Number(attrA) / 5 +
        'abcd'.indexOf(attrB as string) / 4 +
        (attrC === 'yes' ? 0.3 : 0) +
        Number(activity[3]) +
        Math.log1p(purchases[Number(idx)] as number)
      );
    });
    const auc = rocAuc(score, labels);
    const manifest = JSON.parse(fs.readFileSync(a.manifest, 'utf8'));
    expect(auc).toBeGreaterThan(0.68);
    expect(auc).toBeLessThan(manifest.bayes_auc);
  });

  it('when a drift month is set, then from it on the store mix shifts and the value-label relation reverses', () => {
    const labels = csv('labels.csv').rows.map((r) => Number(r[1]));
    const valueGap = (rows: string[][]) => {
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const byLabel = (l: number) => rows.filter((r) => labels[Number(r[0])] === l).map((r) => Number(r[1]));
      const newYork = rows.filter((r) => r[3] === '1').length / rows.length;
      return { newYork, gap: mean(byLabel(1)) - mean(byLabel(0)) };
    };
    const before = valueGap(csv('sales/2021-01-01/sales.csv').rows);
    const after = valueGap(poolCsv('sales/2021-02-01/sales.csv').rows);
    expect(before.gap).toBeGreaterThan(0.5);
    expect(after.gap).toBeLessThan(0);
    expect(before.newYork).toBeGreaterThan(0.45);
    expect(after.newYork).toBeLessThan(0.35);
  });

  it('when knobs contradict each other, then the job exits 2 naming the flag', async () => {
    const env = {
      LOG_LEVEL: 'silent',
      DATA_SOURCE: path.join(root, 'bad/source'),
      DATA_POOL: path.join(root, 'bad/pool'),
    };
    const quiet = () => undefined;
    const released = await runJob(synthGenerateJob, { customers: '50', months: '2', released: '3' }, env, quiet);
    expect(released.exitCode).toBe(2);
    expect(released.summary.error).toMatchObject({ setting: '--released' });
    const drift = await runJob(synthGenerateJob, { customers: '50', months: '2', driftMonth: '2030-01' }, env, quiet);
    expect(drift.summary.error).toMatchObject({ setting: '--drift-month' });
    const s3 = await runJob(synthGenerateJob, { customers: '50' }, { ...env, DATA_SOURCE: 's3://bucket/x' }, quiet);
    expect(s3.summary.error).toMatchObject({ setting: 'DATA_SOURCE' });
    expect(fs.existsSync(path.join(root, 'bad'))).toBe(false);
  });

  it('when run through the CLI job with the demo flags, then it writes released months and reports the Bayes AUC', async () => {
    const paths = pathsIn('job');
    const env = {
      LOG_LEVEL: 'silent',
      DATA_SOURCE: paths.source,
      DATA_POOL: paths.pool,
      SYNTH_MANIFEST: paths.manifest,
    };
    const outcome = await runJob(
      synthGenerateJob,
      { customers: '300', months: '4', seed: '9', startMonth: '2020-01', salesPerMonth: '400' },
      env,
      () => undefined,
    );
    expect(outcome.exitCode).toBe(0);
    expect(outcome.summary).toMatchObject({ released: ['2020-01'], pending: ['2020-02', '2020-03', '2020-04'] });
    expect(typeof outcome.summary.bayes_auc).toBe('number');
    expect(fs.existsSync(path.join(paths.pool, 'sales/2020-04-01/sales.csv'))).toBe(true);
  });
});
