import { z } from 'zod';
import { badInput, nothingToDo } from '../errors';
import { defineJob } from './job';
import { runJob } from './run';

const capture = () => {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line) };
};

const echoJob = defineJob({
  name: 'echo',
  description: 'test job',
  schema: z.object({ count: z.coerce.number().int().positive() }),
  run: async (_ctx, { count }) => ({ rows_written: count }),
});

describe('runJob', () => {
  const env = { LOG_LEVEL: 'silent' };

  it('when the job succeeds, then it exits 0 and prints one JSON summary line', async () => {
    const out = capture();
    const outcome = await runJob(echoJob, { count: '3' }, env, out.write);
    expect(outcome.exitCode).toBe(0);
    expect(out.lines).toHaveLength(1);
    const summary = JSON.parse(out.lines[0] as string);
    expect(summary).toMatchObject({ job: 'echo', status: 'ok', rows_written: 3 });
    expect(typeof summary.duration_ms).toBe('number');
  });

  it('when a flag is invalid, then it exits 2 naming the flag in kebab case', async () => {
    const out = capture();
    const job = defineJob({
      ...echoJob,
      schema: z.object({ maxBadRatio: z.coerce.number().max(1) }),
      run: async () => ({}),
    });
    const outcome = await runJob(job, { maxBadRatio: '5' }, env, out.write);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary).toMatchObject({
      status: 'failed',
      error: { code: 'BAD_INPUT', setting: '--max-bad-ratio' },
    });
  });

  it('when the job has nothing to do, then it exits 99 and reports skipped', async () => {
    const job = defineJob({ ...echoJob, run: async () => Promise.reject(nothingToDo('no new month')) });
    const outcome = await runJob(job, { count: 1 }, env, capture().write);
    expect(outcome.exitCode).toBe(99);
    expect(outcome.summary).toMatchObject({ status: 'skipped', error: { message: 'no new month' } });
  });

  it('when the input is bad, then it exits 2 with the file and line in the summary', async () => {
    const job = defineJob({
      ...echoJob,
      run: async () => Promise.reject(badInput('bad value', { file: 'sales.csv', line: 7, column: 'value' })),
    });
    const outcome = await runJob(job, { count: 1 }, env, capture().write);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({ file: 'sales.csv', line: 7, column: 'value' });
  });

  it('when the job throws an unexpected error, then it exits 1 (a failure Airflow retries)', async () => {
    const job = defineJob({ ...echoJob, run: async () => Promise.reject(new Error('connection reset')) });
    const outcome = await runJob(job, { count: 1 }, env, capture().write);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.summary).toMatchObject({
      status: 'failed',
      error: { code: 'INTERNAL', message: 'connection reset' },
    });
  });

  it('when the config is invalid, then it exits 2 naming the env var, before the job runs', async () => {
    let ran = false;
    const job = defineJob({ ...echoJob, run: async () => ((ran = true), {}) });
    const outcome = await runJob(job, { count: 1 }, { LOG_LEVEL: 'loud' }, capture().write);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({ code: 'BAD_CONFIG', setting: 'LOG_LEVEL' });
    expect(ran).toBe(false);
  });

  it('when a job needs the database and DATABASE_URL is unset, then it exits 2 naming it', async () => {
    const job = defineJob({ ...echoJob, run: async (ctx) => (ctx.db(), {}) });
    const outcome = await runJob(job, { count: 1 }, env, capture().write);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({ setting: 'DATABASE_URL' });
  });
});
