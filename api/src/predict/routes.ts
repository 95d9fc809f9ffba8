/** POST /predict: one challenge request or a batch of them. */
import { Router, type RequestHandler } from 'express';
import type { FeatureStore } from '../features/store';
import { httpError, parseBody } from '../http/errors';
import type { ModelHolder } from '../model/holder';
import type { Metrics } from '../observability/metrics';
import type { PredictionLog } from '../predictions/log';
import { PredictRequest, batchRequest, type PredictRequestBody } from './schemas';
import { assembleRows, score, type FeatureAssembly } from './service';

export interface PredictDeps {
  holder: ModelHolder;
  store: FeatureStore;
  assembly: FeatureAssembly;
  metrics: Metrics;
  predictionLog?: PredictionLog;
  maxBatch: number;
}

export function predictRouter(deps: PredictDeps, guards: RequestHandler[]): Router {
  const router = Router();
  const batchSchema = batchRequest(deps.maxBatch);

  router.post('/predict', ...guards, async (req, res) => {
    const started = process.hrtime.bigint();
    const isBatch = typeof req.body === 'object' && req.body !== null && 'instances' in req.body;
    const instances: PredictRequestBody[] = isBatch
      ? parseBody(batchSchema, req.body).instances
      : [parseBody(PredictRequest, req.body)];
    const rows = await assembleRows(instances, deps.store, deps.assembly, (i) => (isBatch ? `instances[${i}].` : ''));
    const idxs = instances.map((i) => i.idx);
    const result = await deps.holder.use(async (model) => ({ model, scored: await score(model, idxs, rows) }));
    if (!result) throw httpError(503, 'NO_MODEL', 'no model is loaded yet; try again shortly');

    const version = result.model.version;
    const requestId = String(req.id);
    deps.metrics.predictions.inc({ model_version: version, mode: isBatch ? 'batch' : 'single' }, rows.length);
    const now = new Date().toISOString();
    // Feature lookup and scoring, the part of a request the API itself spends (one value per request).
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
    deps.predictionLog?.add(
      result.scored.map(({ prediction, features }) => ({
        request_id: requestId,
        idx: prediction.idx,
        model_version: version,
        probability: prediction.probability,
        label: prediction.label,
        features,
        created_at: now,
        latency_ms: latencyMs,
      })),
    );
    if (isBatch) {
      res.json({ predictions: result.scored.map((s) => s.prediction), model_version: version, request_id: requestId });
    } else {
      const { label, probability } = result.scored[0]!.prediction;
      res.json({ label, probability, model_version: version, request_id: requestId });
    }
  });
  return router;
}
