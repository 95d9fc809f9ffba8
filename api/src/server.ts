/**
 * The prediction API process: parse the config once, wire the real dependencies, listen, load the
 * model (the API answers /health at once and /ready when the model is in), and shut down gracefully:
 * stop accepting, drain open requests, flush the prediction log.
 */
import type { Server } from 'node:http';
import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import { connect } from '@propel/jobs/dist/db/connection';
import { badConfig, toPropelError } from '@propel/jobs/dist/errors';
import { createApp } from './app';
import { loadApiConfig, type ApiConfig } from './config';
import { emptyFeatureStore, postgresFeatureStore } from './features/store';
import { ModelHolder } from './model/holder';
import { directorySource, registrySource, type ModelPackage } from './model/sources';
import { createMetrics } from './observability/metrics';
import { PredictionLog, databaseSink, jsonlSink } from './predictions/log';

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

function predictionLog(
  config: ApiConfig,
  db: Knex | undefined,
  metrics: ReturnType<typeof createMetrics>,
  logger: Logger,
) {
  const mode = config.predictionLog === 'auto' ? (db ? 'db' : 'file') : config.predictionLog;
  if (mode === 'off') return undefined;
  if (mode === 'db' && !db) throw badConfig('PREDICTION_LOG', 'is "db" but DATABASE_URL is not set');
  const sink = mode === 'db' && db ? databaseSink(db) : jsonlSink(config.predictionLogFile);
  const options = {
    maxQueue: config.predictionLogQueue,
    batchSize: config.predictionLogBatch,
    flushMs: config.predictionLogFlushMs,
  };
  logger.info({ mode, file: mode === 'file' ? config.predictionLogFile : undefined }, 'prediction log');
  return new PredictionLog(sink, options, metrics, logger);
}

async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const logger = pino({ level: config.logLevel, base: { service: 'propel-api' } });
  const db = config.databaseUrl ? connect(config.databaseUrl, { pool: { min: 0, max: 10 } }) : undefined;
  const pkg = await modelPackage();
  let source;
  if (config.modelDir) source = directorySource(pkg, config.modelDir);
  else if (db && config.databaseUrl) source = registrySource(pkg, db, config.databaseUrl, logger);
  else throw badConfig('MODEL_DIR', 'set MODEL_DIR (an exported model) or DATABASE_URL (the registry champion)');

  const metrics = createMetrics();
  const holder = new ModelHolder(source, metrics, logger);
  const log = predictionLog(config, db, metrics, logger);
  const app = createApp({
    logger,
    metrics,
    holder,
    store: db ? postgresFeatureStore(db) : emptyFeatureStore,
    assembly: { required: pkg.CHALLENGE_FEATURES, purchaseDefaults: pkg.NO_PURCHASE_DEFAULTS },
    db,
    predictionLog: log,
    apiKeys: config.apiKeys,
    maxBatch: config.maxBatch,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
  });

  const server: Server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  // Longer than nginx's upstream keepalive_timeout, so nginx closes idle connections first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  logger.info({ port: config.port, source: source.name, apiKeys: config.apiKeys.length > 0 }, 'listening');
  await holder.start(config.modelPollSeconds);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, draining open requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
    await closed;
    clearTimeout(grace);
    await holder.stop();
    await log?.close();
    await db?.destroy();
    holder.current?.dispose();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
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
