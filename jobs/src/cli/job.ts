/** What a job is to the CLI: a name, its options (validated by a zod schema) and a function. */
import type { Command } from 'commander';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db/connection';
import type { Logger } from '../logging';
import type { Progress, ProgressOptions } from '../progress';

export interface JobContext {
  config: Config;
  logger: Logger;
  runId: string;
  /** The companydata connection, opened on first use and closed when the job ends. */
  db(): Db;
  progress(options: Omit<ProgressOptions, 'logger'>): Progress;
}

/** The job's result: merged into the one-line JSON summary printed last on stdout. */
export type JobResult = Record<string, unknown>;

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /** Adds the job's flags to its commander command. */
  options?: (command: Command) => Command;
  /** Validates the parsed flags (commander's camelCase keys); errors name the flag. */
  schema: Schema;
  run(context: JobContext, options: z.output<Schema>): Promise<JobResult>;
}

/** Helps type inference when declaring a job. */
export const defineJob = <S extends z.ZodType>(job: JobDefinition<S>): JobDefinition<S> => job;
