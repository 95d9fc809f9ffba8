#!/usr/bin/env node
/**
 * with-postgres [--persistent DIR] [--database NAME]... -- command args...
 * Runs the command with DATABASE_URL pointing at companydata. When DATABASE_URL is already set it
 * is used as it is; otherwise an embedded PostgreSQL is started first and stopped afterwards.
 * Also exported: PROPEL_PG_ADMIN_URL (the server's `postgres` database) and, for every extra
 * --database NAME, NAME_DATABASE_URL (e.g. AIRFLOW_DATABASE_URL).
 */
import { spawn } from 'node:child_process';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded';

interface Args {
  persistent: string | null;
  databases: string[];
  command: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { persistent: null, databases: [], command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      args.command = argv.slice(i + 1);
      break;
    } else if (arg === '--persistent') args.persistent = argv[++i] ?? null;
    else if (arg === '--database') args.databases.push(argv[++i] ?? '');
    else throw new Error(`with-postgres: unknown argument ${arg}`);
  }
  if (args.command.length === 0) throw new Error('with-postgres: no command given after --');
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const env = { ...process.env };
  let server: EmbeddedServer | undefined;
  if (!env.DATABASE_URL) {
    server = await startEmbeddedPostgres(args.persistent);
    await server.ensureDatabase('companydata');
    env.DATABASE_URL = server.url('companydata');
    env.PROPEL_PG_ADMIN_URL = server.url('postgres');
    for (const name of args.databases) {
      await server.ensureDatabase(name);
      env[`${name.toUpperCase()}_DATABASE_URL`] = server.url(name);
    }
    process.stderr.write(`with-postgres: embedded PostgreSQL on 127.0.0.1:${server.port}\n`);
  }
  const child = spawn(args.command[0] as string, args.command.slice(1), { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) =>
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 1 : 1))),
  );
  await server?.stop();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
