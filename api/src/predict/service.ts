/**
 * Scoring a request: each instance's row is the feature store's row for its idx (when known), with
 * the request's own values on top; an unknown idx must bring the four challenge features, and its
 * purchase features are "no purchases".
 */
import { PropelError } from '@propel/jobs/dist/errors';
import type { FeatureStore } from '../features/store';
import type { FeatureValues, ServingModel } from '../model/port';
import type { PredictRequestBody, PredictionOut } from './schemas';

export interface FeatureAssembly {
  /** Names of the features an unknown idx must send. */
  required: readonly string[];
  /** Purchase features of a customer without history. */
  purchaseDefaults: Readonly<FeatureValues>;
}

export interface ScoredRow {
  prediction: PredictionOut;
  features: FeatureValues;
}

/** Builds each instance's feature row; a 400 lists every missing feature of every instance. */
export async function assembleRows(
  instances: PredictRequestBody[],
  store: FeatureStore,
  assembly: FeatureAssembly,
  fieldPrefix: (i: number) => string,
): Promise<FeatureValues[]> {
  const stored = await store.lookup(instances.map((i) => i.idx)).catch((error: unknown) => {
    throw new PropelError('UNAVAILABLE', 'the feature store cannot be read; try again shortly', { cause: error });
  });
  const problems: Array<{ field: string; message: string }> = [];
  const rows = instances.map((instance, i) => {
    const sent = Object.fromEntries(
      Object.entries(instance.features).filter(([, v]) => v !== undefined),
    ) as FeatureValues;
    const known = stored.get(instance.idx);
    if (known) return { ...known, ...sent };
    for (const name of assembly.required) {
      if (sent[name] === undefined) {
        problems.push({
          field: `${fieldPrefix(i)}features.${name}`,
          message: `required: idx ${instance.idx} is not in the feature store`,
        });
      }
    }
    return { ...assembly.purchaseDefaults, ...sent };
  });
  if (problems.length > 0) {
    throw new PropelError('BAD_INPUT', `${problems.length} missing feature(s)`, { context: { details: problems } });
  }
  return rows;
}

/** Scores rows with one model call; label = probability >= the model's threshold. */
export async function score(model: ServingModel, idxs: number[], rows: FeatureValues[]): Promise<ScoredRow[]> {
  const probabilities = await model.predict(rows);
  return rows.map((features, i) => {
    const raw = probabilities[i];
    if (raw === undefined || !Number.isFinite(raw)) {
      throw new PropelError('INTERNAL', `model ${model.version} returned no probability for row ${i}`);
    }
    const probability = Math.min(1, Math.max(0, raw));
    return {
      prediction: { idx: idxs[i] as number, label: probability >= model.threshold ? 1 : 0, probability },
      features,
    };
  });
}
