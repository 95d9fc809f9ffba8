/** A load killed with SIGKILL in the middle of its COPY leaves the previous state; a rerun completes exactly. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../test/database';
import { fingerprints } from '../../test/tables';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const BIG_ROWS = 1_500_000;

function writeSource(rows: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-kill-'));
  fs.mkdirSync(path.join(dir, 'sales', '2020-01-01'), { recursive: true });
  const out = fs.openSync(path.join(dir, 'sales', '2020-01-01', 'sales.csv'), 'w');
  fs.writeSync(out, 'idx,value,date,store_idx\n');
  const chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    chunk.push(`${i % 150000},${(i % 100) / 10},2020-01-${String((i % 28) + 1).padStart(2, '0')},${(i % 5) + 1}\n`);
    if (chunk.length === 50_000) fs.writeSync(out, chunk.splice(0).join(''));
  }
  fs.writeSync(out, chunk.join(''));
  fs.closeSync(out);
  return dir;
}

function runCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
  return { child, exited };
}

describe('when ingest-sales is killed with SIGKILL mid-COPY', () => {
  const testDb = useTestDatabase('kill');

  it('then the previous month is intact, and a rerun loads the file exactly', async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (make build)`);
    const { db, url, name } = testDb();
    const env = { DATABASE_URL: url };
    await db('stores').insert([1, 2, 3, 4, 5].map((idx) => ({ idx, location: `store ${idx}` })));

    const small = writeSource(1000);
    const first = await runCli(['ingest-sales', '--month', '2020-01'], { ...env, DATA_SOURCE: small }).exited;
    expect(first.code).toBe(0);
    const before = await fingerprints(db, ['sales', 'monthly_sales']);
    expect(before.sales?.rows).toBe(1000);

    const big = writeSource(BIG_ROWS);
    const { child, exited } = runCli(['ingest-sales', '--month', '2020-01'], { ...env, DATA_SOURCE: big });
    // Kill once the server has received rows of this COPY (PostgreSQL's COPY progress view).
    const deadline = Date.now() + 60_000;
    let copied = 0;
    while (copied === 0 && Date.now() < deadline) {
      const { rows } = await db.raw(
        `SELECT COALESCE(max(tuples_processed), 0)::bigint AS n FROM pg_stat_progress_copy WHERE datname = ?`,
        [name],
      );
      copied = Number(rows[0].n);
      if (copied === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(BIG_ROWS);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    // Rows of the killed, uncommitted transaction are never visible.
    expect(await fingerprints(db, ['sales', 'monthly_sales'])).toEqual(before);

    const rerun = await runCli(['ingest-sales', '--month', '2020-01'], { ...env, DATA_SOURCE: big }).exited;
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout.trim().split('\n').pop() as string)).toMatchObject({
      status: 'ok',
      rows_written: BIG_ROWS,
    });
    const { rows } = await db.raw(`SELECT count(*)::int AS n FROM sales`);
    expect(rows[0].n).toBe(BIG_ROWS);
  });
});
