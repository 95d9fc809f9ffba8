#!/usr/bin/env node
/** propel-jobs: the one CLI of the pipeline jobs (DESIGN §5). */
import { Command, CommanderError } from 'commander';
import { EXIT } from './errors';
import { jobs } from './cli/registry';
import { runJob } from './cli/run';
import type { JobDefinition } from './cli/job';

export function buildProgram(onRun: (job: JobDefinition, options: Record<string, unknown>) => Promise<void>): Command {
  const program = new Command('propel-jobs')
    .description('Propel pipeline jobs. Exit 0 done, 2 bad input/config, 99 nothing to do, other = failure.')
    .showHelpAfterError()
    .exitOverride();
  const groups = new Map<string, Command>();
  for (const job of jobs) {
    const words = job.name.split(' ');
    let parent = program;
    if (words.length === 2) {
      const group = words[0] as string;
      if (!groups.has(group)) groups.set(group, program.command(group).exitOverride());
      parent = groups.get(group) as Command;
    }
    const command = parent
      .command(words[words.length - 1] as string)
      .description(job.description)
      .allowExcessArguments(false)
      .exitOverride();
    (job.options ? job.options(command) : command).action(async (options: Record<string, unknown>) => {
      await onRun(job, options);
    });
  }
  return program;
}

async function main(): Promise<void> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(async (job, options) => {
    exitCode = (await runJob(job, options, process.env)).exitCode;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not errors; a bad flag or unknown job is bad input.
      exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    } else throw error;
  }
  process.exitCode = exitCode;
}

if (require.main === module) {
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'unhandled rejection', err: String(reason) })}\n`);
    process.exit(EXIT.failure);
  });
  void main();
}
