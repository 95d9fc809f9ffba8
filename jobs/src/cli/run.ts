/**
 * Runs one job with the CLI contract of DESIGN §5: config parsed once, pino logs on stderr,
 * exit 0 / 2 (bad input or config) / 99 (nothing to do) / other (failure), and a one-line JSON
 * summary as the last stdout line. The central error handler of the jobs lives here.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadConfig, requireDatabaseUrl, type Config } from '../config';
import { connect, type Db } from '../db/connection';
import { EXIT, PropelError, badInput, toPropelError } from '../errors';
import { createLogger } from '../logging';
import { createProgress } from '../progress';
import type { JobContext, JobDefinition } from './job';

export interface JobOutcome {
  exitCode: number;
  summary: Record<string, unknown>;
}

/** Turns a zod failure on CLI flags into BAD_INPUT naming the flag (camelCase → --kebab-case). */
function flagError(error: z.ZodError): PropelError {
  const problems = error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return { setting: flag, message: `${flag}: ${issue.message}` };
  });
  return badInput(problems.map((p) => p.message).join('; '), { setting: problems[0]?.setting });
}

export async function runJob(
  job: JobDefinition,
  rawOptions: Record<string, unknown>,
  env: Record<string, string | undefined>,
  writeStdout: (line: string) => void = (line) => process.stdout.write(line),
): Promise<JobOutcome> {
  const started = Date.now();
  let config: Config | undefined;
  let runId: string = randomUUID();
  let logger = createLogger({ level: 'info', name: job.name, runId });
  let db: Db | undefined;
  let summary: Record<string, unknown>;
  let exitCode: number;
  try {
    config = loadConfig(env);
    runId = config.runId ?? runId;
    logger = createLogger({ level: config.logLevel, name: job.name, runId });
    const parsed = job.schema.safeParse(rawOptions);
    if (!parsed.success) throw flagError(parsed.error);
    const activeConfig = config;
    const context: JobContext = {
      config: activeConfig,
      logger,
      runId,
      db: () => (db ??= connect(requireDatabaseUrl(activeConfig))),
      progress: (options) =>
        createProgress({ intervalSeconds: activeConfig.progressIntervalSeconds, ...options, logger }),
    };
    logger.info({ options: parsed.data }, `${job.name}: started`);
    const result = await job.run(context, parsed.data);
    exitCode = EXIT.ok;
    summary = { job: job.name, status: 'ok', run_id: runId, ...result };
    logger.info(`${job.name}: done`);
  } catch (thrown) {
    const error = toPropelError(thrown);
    exitCode = error.exitCode;
    const status = exitCode === EXIT.nothingToDo ? 'skipped' : 'failed';
    const logFields = { err: error.operational ? undefined : thrown, code: error.code, ...error.context };
    if (status === 'skipped') logger.info(logFields, error.message);
    else logger.error(logFields, error.message);
    summary = {
      job: job.name,
      status,
      run_id: runId,
      error: { code: error.code, message: error.message, ...error.context },
    };
  } finally {
    await db?.destroy();
  }
  summary.duration_ms = Date.now() - started;
  writeStdout(`${JSON.stringify(summary)}\n`);
  return { exitCode, summary };
}
