/** The S3 source feeds the ingest jobs like a local directory: the same files give identical tables. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProgram } from '../cli';
import { runJob } from '../cli/run';
import { generate } from '../synth/generate';
import { useTestDatabase } from '../../test/database';
import { startS3, type TestS3 } from '../../test/s3';

const BUCKET = 'propel-ingest';
const PREFIX = 'challenge';
const MONTHS = ['2021-11', '2021-12'];
const TABLES = [
  'customer_profiles',
  'customer_activity',
  'customer_activity_ranked',
  'labels',
  'stores',
  'sales',
  'monthly_sales',
  'rejected_rows',
];

/** Runs a job the way the CLI does (commander applies the flag defaults), with `env` as the environment. */
async function cli(args: string[], env: Record<string, string>): Promise<number> {
  let exitCode = -1;
  const program = buildProgram(async (job, options) => {
    exitCode = (await runJob(job, options, { LOG_LEVEL: 'silent', ...env }, () => undefined)).exitCode;
  });
  await program.parseAsync(['node', 'propel-jobs', ...args]);
  return exitCode;
}

describe('ingest from S3', () => {
  const local = useTestDatabase('ingest_local');
  const remote = useTestDatabase('ingest_s3');
  let dir: string;
  let s3: TestS3;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-ingest-s3-'));
    const source = path.join(dir, 'source');
    const knobs = {
      customers: 600,
      months: 2,
      startMonth: MONTHS[0] as string,
      salesPerMonth: 500,
      seed: 21,
      released: 2,
    };
    await generate(knobs, { source, pool: path.join(dir, 'pool'), manifest: path.join(dir, 'manifest.json') });
    s3 = await startS3([BUCKET]);
    await s3.upload(source, BUCKET, PREFIX);
  });

  afterAll(async () => {
    await s3?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Row count and an order-independent checksum of every table. */
  async function snapshot(db: ReturnType<typeof local>['db']) {
    const out: Record<string, { rows: number; md5: string | null }> = {};
    for (const table of TABLES) {
      const result = await db.raw(
        `SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${table} t`,
      );
      out[table] = result.rows[0];
    }
    return out;
  }

  it('when the same files are ingested from s3rver and from a local directory, then the tables are identical', async () => {
    const sources: { db: typeof local; env: Record<string, string> }[] = [
      { db: local, env: { DATA_SOURCE: path.join(dir, 'source') } },
      {
        db: remote,
        env: { DATA_SOURCE: `s3://${BUCKET}/${PREFIX}`, S3_ENDPOINT: s3.endpoint, S3_ANONYMOUS: 'true' },
      },
    ];
    for (const { db, env } of sources) {
      const withDb = { ...env, DATABASE_URL: db().url };
      expect(await cli(['ingest-clients'], withDb)).toBe(0);
      for (const month of MONTHS) expect(await cli(['ingest-sales', '--month', month], withDb)).toBe(0);
    }

    const fromLocal = await snapshot(local().db);
    const fromS3 = await snapshot(remote().db);
    expect(fromS3).toEqual(fromLocal);
    expect(fromLocal.customer_profiles?.rows).toBe(600);
    expect(fromLocal.stores?.rows).toBe(5);
    expect(fromLocal.monthly_sales?.rows).toBeGreaterThan(0);
    expect(fromLocal.sales?.rows).toBeGreaterThan(0);
    expect(fromLocal.rejected_rows?.rows).toBe(0);
  });
});
