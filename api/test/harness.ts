/**
 * Builds the real app for component tests: real database, real holder and log, and a model from the
 * real registry or an exported directory (test/models.ts).
 */
import pino from 'pino';
import type { Knex } from 'knex';
import { createApp } from '../src/app';
import { postgresFeatureStore, emptyFeatureStore } from '../src/features/store';
import { ModelHolder } from '../src/model/holder';
import type { ModelSource } from '../src/model/port';
import { createMetrics } from '../src/observability/metrics';
import { PredictionLog, databaseSink, type PredictionSink } from '../src/predictions/log';
import { CHALLENGE_FEATURES, NO_PURCHASE_DEFAULTS } from './models';

export const silent = pino({ level: 'silent' });

export interface Harness {
  app: ReturnType<typeof createApp>;
  holder: ModelHolder;
  metrics: ReturnType<typeof createMetrics>;
  log: PredictionLog;
}

export function buildApp(options: {
  source: ModelSource;
  db?: Knex;
  apiKeys?: string[];
  maxBatch?: number;
  bodyLimit?: string;
  sink?: PredictionSink;
  maxQueue?: number;
}): Harness {
  const metrics = createMetrics({ defaultMetrics: false });
  const holder = new ModelHolder(options.source, metrics, silent);
  const sink = options.sink ?? (options.db ? databaseSink(options.db) : { write: async () => undefined });
  const log = new PredictionLog(
    sink,
    { maxQueue: options.maxQueue ?? 1000, batchSize: 50, flushMs: 60_000 },
    metrics,
    silent,
  );
  const app = createApp({
    logger: silent,
    metrics,
    holder,
    store: options.db
      ? postgresFeatureStore(options.db, [...CHALLENGE_FEATURES, ...Object.keys(NO_PURCHASE_DEFAULTS)])
      : emptyFeatureStore,
    assembly: { required: CHALLENGE_FEATURES, purchaseDefaults: NO_PURCHASE_DEFAULTS },
    db: options.db,
    predictionLog: log,
    apiKeys: options.apiKeys ?? [],
    maxBatch: options.maxBatch ?? 100,
    bodyLimit: options.bodyLimit ?? '1mb',
  });
  return { app, holder, metrics, log };
}
