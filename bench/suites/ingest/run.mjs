// Ingest benchmark driver (run inside with-postgres: DATABASE_URL is set). Alternates the two
// loaders over the same 5M-row file, takes the median of each, and samples the ingest's peak RSS
// (VmHWM) on 1M and 10M rows.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const work = path.join(root, 'bench', 'work', 'ingest');
const cli = path.join(root, 'jobs', 'dist', 'cli.js');
const url = process.env.DATABASE_URL;
const RATIO_ROWS = Number(process.env.BENCH_INGEST_ROWS ?? 5_000_000);
const RSS_ROWS = [1_000_000, 10_000_000];
const REPEATS = 3;

/** A sales month of `rows` rows in the real format, written in large chunks (generated once). */
function salesSource(rows) {
  const dir = path.join(work, `${rows}`);
  const file = path.join(dir, 'sales', '2020-01-01', 'sales.csv');
  if (fs.existsSync(file)) return { dir, file };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(`${file}.tmp`, 'w');
  fs.writeSync(fd, 'idx,value,date,store_idx\n');
  let chunk = [];
  for (let i = 0; i < rows; i++) {
    chunk.push(
      `${(i * 7919) % 150000},${(i % 101) / 10},2020-01-${String((i % 31) + 1).padStart(2, '0')},${(i % 5) + 1}\n`,
    );
    if (chunk.length === 100_000) {
      fs.writeSync(fd, chunk.join(''));
      chunk = [];
    }
  }
  fs.writeSync(fd, chunk.join(''));
  fs.closeSync(fd);
  fs.renameSync(`${file}.tmp`, file);
  return { dir, file };
}

/** Runs a command, sampling its peak resident set (VmHWM) from /proc; returns seconds and MiB. */
function measure(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    let peakKb = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* exited */
      }
    };
    const timer = setInterval(sample, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMiB: peakKb / 1024 });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const client = new pg.Client({ connectionString: url });
await client.connect();
execFileSync(process.execPath, [cli, 'migrate'], { stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' } });
await client.query(
  `INSERT INTO stores (idx, location) SELECT i, 'store ' || i FROM generate_series(1, 5) i ON CONFLICT DO NOTHING`,
);

const ratioSource = salesSource(RATIO_ROWS);
const ingest = () =>
  measure(process.execPath, [cli, 'ingest-sales', '--month', '2020-01'], {
    DATA_SOURCE: ratioSource.dir,
    LOG_LEVEL: 'warn',
  });
const psqlCopy = async () => {
  // The same table: sale_month gets a default for the duration of the \copy.
  await client.query('TRUNCATE sales, monthly_sales');
  await client.query(`ALTER TABLE sales ALTER COLUMN sale_month SET DEFAULT '2020-01-01'`);
  try {
    return await measure('psql', [
      url,
      '-q',
      '-c',
      `\\copy sales (idx, value, date, store_idx) FROM '${ratioSource.file}' CSV HEADER`,
    ]);
  } finally {
    await client.query('ALTER TABLE sales ALTER COLUMN sale_month DROP DEFAULT');
  }
};
const times = { ingest: [], psql: [] };
for (let i = 0; i < REPEATS; i++) {
  await client.query('TRUNCATE sales, monthly_sales');
  times.ingest.push((await ingest()).seconds);
  times.psql.push((await psqlCopy()).seconds);
  console.error(
    `round ${i + 1}: ingest-sales ${times.ingest.at(-1).toFixed(2)} s, psql \\copy ${times.psql.at(-1).toFixed(2)} s`,
  );
}
const ingestRate = RATIO_ROWS / median(times.ingest);
const psqlRate = RATIO_ROWS / median(times.psql);

const rss = [];
for (const rows of RSS_ROWS) {
  const source = salesSource(rows);
  await client.query('TRUNCATE sales, monthly_sales');
  const run = await measure(process.execPath, [cli, 'ingest-sales', '--month', '2020-01'], {
    DATA_SOURCE: source.dir,
    LOG_LEVEL: 'warn',
  });
  rss.push({ rows, ...run });
  console.error(`rss: ${rows} rows, peak ${run.peakMiB.toFixed(1)} MiB, ${run.seconds.toFixed(1)} s`);
}
await client.end();

const fmtRows = (n) => `${n / 1e6}M`;
const result = {
  name: 'ingest',
  title: 'Ingest: ingest-sales vs psql \\copy, and peak memory as the month grows',
  command: 'make bench (BENCH_SUITES=ingest bash bench/run.sh)',
  measured_at: new Date().toISOString().slice(0, 10),
  columns: ['measurement', 'rows', 'rows/s (median of 3)', 'seconds', 'peak RSS MiB', 'ratio'],
  rows: [
    ['psql \\copy into sales (baseline)', fmtRows(RATIO_ROWS), Math.round(psqlRate), median(times.psql), '', 1],
    [
      'ingest-sales (validate every row, COPY, monthly_sales)',
      fmtRows(RATIO_ROWS),
      Math.round(ingestRate),
      median(times.ingest),
      '',
      Math.round((ingestRate / psqlRate) * 100) / 100,
    ],
    ...rss.map((r, i) => [
      'ingest-sales peak RSS',
      fmtRows(r.rows),
      Math.round(r.rows / r.seconds),
      r.seconds,
      Math.round(r.peakMiB),
      i === 0 ? 1 : Math.round((r.peakMiB / rss[0].peakMiB) * 100) / 100,
    ]),
  ],
  notes: [
    'ratio: rows/s relative to psql \\copy for the first two rows; peak RSS relative to the 1M-row run for the last two.',
    'Both loaders write the same table (sales, with its indexes) on the same embedded PostgreSQL, alternating, three rounds.',
    'ingest-sales also parses and checks every field in Node, replaces the month in one transaction and recomputes monthly_sales.',
  ],
};
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench', 'results', 'ingest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.error('bench/results/ingest.json written');
