/**
 * Start and graceful stop of the API: wire the real dependencies from the config, listen, load the
 * model (the API answers /health at once and /ready when the model is in); stop = no new
 * connections, open requests drained, prediction log flushed, pool closed.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { connect } from '@propel/jobs/dist/db/connection';
import { badConfig } from '@propel/jobs/dist/errors';
import { createApp } from './app';
import type { ApiConfig } from './config';
import { emptyFeatureStore, postgresFeatureStore } from './features/store';
import { ModelHolder } from './model/holder';
import { directorySource, registrySource, type ModelPackage } from './model/sources';
import { createMetrics, type Metrics } from './observability/metrics';
import { PredictionLog, databaseSink, jsonlSink } from './predictions/log';

export interface RunningApi {
  server: Server;
  port: number;
  holder: ModelHolder;
  /** Graceful stop; safe to call twice. */
  stop(reason: string): Promise<void>;
}

function predictionLog(config: ApiConfig, db: Knex | undefined, metrics: Metrics, logger: Logger) {
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

export async function startApi(config: ApiConfig, pkg: ModelPackage, logger: Logger): Promise<RunningApi> {
  const db = config.databaseUrl ? connect(config.databaseUrl, { pool: { min: 0, max: 10 } }) : undefined;
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
    store: db
      ? postgresFeatureStore(db, [...pkg.CHALLENGE_FEATURES, ...Object.keys(pkg.NO_PURCHASE_DEFAULTS)])
      : emptyFeatureStore,
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
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, source: source.name, apiKeys: config.apiKeys.length > 0 }, 'listening');
  await holder.start(config.modelPollSeconds);

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down: no new connections, draining open requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections become idle as their last response ends: close them as they do.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await closed;
      clearInterval(idle);
      clearTimeout(grace);
      await holder.stop();
      await log?.close();
      await db?.destroy();
      holder.current?.dispose();
      logger.info('stopped');
    })();
    return stopping;
  };
  return { server, port, holder, stop };
}
