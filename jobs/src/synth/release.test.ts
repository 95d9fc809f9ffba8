/** synth release-month and status: the simulated passing of time over the source and the pool. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REAL_DATA_DIR } from '../../test/fixtures';
import { runJob } from '../cli/run';
import { localSource } from '../sources/local';
import { copyMonth } from './files';
import { generate, type DataPaths } from './generate';
import { synthReleaseMonthJob, synthStatusJob } from './jobs';
import { readManifest } from './manifest';
import { dataStatus, releaseNextMonth, statusTable } from './release';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-release-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const KNOBS = { customers: 400, months: 3, startMonth: '2022-08', salesPerMonth: 300, seed: 3, released: 1 };

async function freshData(name: string): Promise<DataPaths> {
  const paths = {
    source: path.join(root, name, 'source'),
    pool: path.join(root, name, 'pool'),
    manifest: path.join(root, name, 'manifest.json'),
  };
  await generate(KNOBS, paths);
  return paths;
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const tree = (dir: string) =>
  Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => [f, sha(path.join(dir, f))]),
  );
const envOf = (paths: DataPaths) => ({
  LOG_LEVEL: 'silent',
  DATA_SOURCE: paths.source,
  DATA_POOL: paths.pool,
  SYNTH_MANIFEST: paths.manifest,
});
const quiet = () => undefined;

describe('synth release-month', () => {
  it('when a month is released, then exactly that month moves, unchanged, and the activity catches up to it', async () => {
    const paths = await freshData('one');
    const manifest = await readManifest(paths.manifest);
    const activityBefore = fs.readFileSync(path.join(paths.source, 'customer_activity.csv'), 'utf8');

    const outcome = await runJob(synthReleaseMonthJob, {}, envOf(paths), quiet);

    expect(outcome.exitCode).toBe(0);
    expect(outcome.summary).toMatchObject({ month: '2022-09', as_of: '2022-09-30', pending_left: 1 });
    expect(Object.keys(tree(paths.source)).filter((f) => f.startsWith('sales'))).toEqual([
      path.join('sales', '2022-08-01', 'sales.csv'),
      path.join('sales', '2022-09-01', 'sales.csv'),
    ]);
    expect(Object.keys(tree(paths.pool))).toEqual([
      'customer_activity.csv',
      path.join('sales', '2022-10-01', 'sales.csv'),
    ]);
    expect(sha(path.join(paths.source, 'sales/2022-09-01/sales.csv'))).toBe(
      manifest?.files['sales/2022-09-01/sales.csv']?.sha256,
    );
    const activityAfter = fs.readFileSync(path.join(paths.source, 'customer_activity.csv'), 'utf8');
    expect(activityAfter.split('\n').length).toBeGreaterThan(activityBefore.split('\n').length);
    expect(activityAfter.split('\n').some((line) => line.split(',')[1]?.startsWith('2022-09'))).toBe(true);
    expect(activityBefore.split('\n').some((line) => line.split(',')[1]?.startsWith('2022-09'))).toBe(false);
  });

  it('when the pool is empty, then release exits 99 and changes nothing', async () => {
    const paths = await freshData('drain');
    expect((await runJob(synthReleaseMonthJob, {}, envOf(paths), quiet)).exitCode).toBe(0);
    expect((await runJob(synthReleaseMonthJob, {}, envOf(paths), quiet)).exitCode).toBe(0);
    // Everything released: the source's activity is the full history.
    expect(sha(path.join(paths.source, 'customer_activity.csv'))).toBe(
      sha(path.join(paths.pool, 'customer_activity.csv')),
    );
    const before = { source: tree(paths.source), pool: tree(paths.pool) };

    const outcome = await runJob(synthReleaseMonthJob, {}, envOf(paths), quiet);

    expect(outcome.exitCode).toBe(99);
    expect(outcome.summary).toMatchObject({ status: 'skipped', error: { code: 'NOTHING_TO_DO' } });
    expect({ source: tree(paths.source), pool: tree(paths.pool) }).toEqual(before);
  });

  it('when a release was cut off after copying, then the rerun finishes it like an uninterrupted one', async () => {
    const clean = await freshData('clean');
    const cut = await freshData('cut');
    await releaseNextMonth(clean.source, clean.pool);
    await copyMonth(cut.pool, cut.source, '2022-09'); // the first step only, then "killed"

    await releaseNextMonth(cut.source, cut.pool);

    expect(tree(cut.source)).toEqual(tree(clean.source));
    expect(tree(cut.pool)).toEqual(tree(clean.pool));
  });
});

describe('synth status', () => {
  it('when months are released and pending, then the summary and the table list both', async () => {
    const paths = await freshData('status');
    const lines: string[] = [];
    const outcome = await runJob(synthStatusJob, {}, envOf(paths), (line) => lines.push(line));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.summary).toMatchObject({
      released: ['2022-08'],
      pending: ['2022-09', '2022-10'],
      next_month: '2022-09',
      synthetic: { seed: 3, customers: 400 },
    });

    const manifest = await readManifest(paths.manifest);
    const table = statusTable(await dataStatus(localSource(paths.source), paths.pool, manifest), manifest);
    expect(table).toMatch(/2022-08\s+source\s+\d+/);
    expect(table).toMatch(/2022-10\s+pool\s+\d+/);
    expect(table).toContain('released 1, pending 2, next 2022-09');
  });

  it('when the source holds real data without a manifest or pool, then status lists its months only', async () => {
    const fixtures = REAL_DATA_DIR;
    const status = await dataStatus(localSource(fixtures), path.join(root, 'no-pool'));
    expect(status).toMatchObject({ released: ['2020-01'], pending: [], next_month: null, synthetic: null });
  });
});
