/**
 * The prediction API process: parse the config once, start the API (lifecycle.ts), and stop it
 * gracefully on SIGTERM/SIGINT.
 */
import pino from 'pino';
import { badConfig, toPropelError } from '@propel/jobs/dist/errors';
import { loadApiConfig } from './config';
import { startApi } from './lifecycle';
import type { ModelPackage } from './model/sources';

/** The model package, checked at start so a missing export fails with a clear message. */
async function modelPackage(): Promise<ModelPackage> {
  const name = '@propel/jobs';
  const pkg = (await import(name)) as Partial<ModelPackage>;
  for (const key of [
    'loadModelFromDir',
    'loadModelFromRegistry',
    'CHALLENGE_FEATURES',
    'NO_PURCHASE_DEFAULTS',
  ] as const) {
    if (pkg[key] === undefined) throw badConfig('MODEL_DIR', `${name} does not export ${key}; build the jobs package`);
  }
  return pkg as ModelPackage;
}

async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'propel-api' } });
  const api = await startApi(config, await modelPackage(), logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      api.stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (require.main === module) {
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', msg: 'unhandled rejection', error: String(reason) })}\n`);
    process.exit(1);
  });
  main().catch((error: unknown) => {
    const e = toPropelError(error);
    process.stderr.write(`${JSON.stringify({ level: 'fatal', code: e.code, msg: e.message, ...e.context })}\n`);
    process.exit(e.exitCode);
  });
}
