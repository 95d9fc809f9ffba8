/** Prometheus metrics of the API (prom-client), one registry per app so tests stay independent. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'propel_api_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'propel_http_request_duration_seconds',
      help: 'Latency of HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    predictions: new Counter({
      name: 'propel_predictions_total',
      help: 'Rows scored, by model version and kind of request (single or batch).',
      labelNames: ['model_version', 'mode'] as const,
      registers: [registry],
    }),
    modelLoads: new Counter({
      name: 'propel_model_loads_total',
      help: 'Model load events by outcome (loaded, failed) and version.',
      labelNames: ['outcome', 'version'] as const,
      registers: [registry],
    }),
    modelLoadSeconds: new Histogram({
      name: 'propel_model_load_seconds',
      help: 'Time to load a model fully before swapping it in.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    modelInfo: new Gauge({
      name: 'propel_model_info',
      help: 'The served model (value 1), labelled with version, kind and backend.',
      labelNames: ['version', 'kind', 'backend'] as const,
      registers: [registry],
    }),
    predictionLogWritten: new Counter({
      name: 'propel_prediction_log_written_total',
      help: 'Prediction log entries written.',
      registers: [registry],
    }),
    predictionLogDropped: new Counter({
      name: 'propel_prediction_log_dropped_total',
      help: 'Prediction log entries dropped (queue full or write failed), never waited for.',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
