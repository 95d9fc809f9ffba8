/** The model module shared by the jobs and the API: one encoder, one artifact format, one loader. */
import {
  exportArtifact,
  fromArtifact,
  readArtifactDir,
  toArtifact,
  wrapLoaded,
  type ArtifactMeta,
  type LoadedModel,
} from './artifact';
import { initBackend } from './backend';
import type * as tf from '@tensorflow/tfjs';
import type { ModelHead } from './model';

export { initBackend, BACKEND_PREFERENCES, type BackendPreference } from './backend';
export {
  fitEncoder,
  encodeRows,
  encodedColumns,
  encodedWidth,
  CATEGORICAL_FEATURES,
  NUMERIC_FEATURES,
} from './encoder';
export type { EncoderState, InputRow } from './encoder';
export { evaluate, rocAuc, prAuc, calibrationError, bestF1Threshold, type Metrics } from './metrics';
export {
  createModel,
  trainModel,
  predictRows,
  predictEncoded,
  DEFAULT_TRAIN_PARAMS,
  MODEL_KINDS,
  type ModelKind,
  type ModelHead,
  type TrainParams,
  type Trained,
} from './model';
export {
  toArtifact,
  fromArtifact,
  wrapLoaded,
  type LoadedModel,
  type ArtifactMeta,
  type StoredArtifact,
} from './artifact';
export { loadModelFromRegistry } from '../registry/registry';

/** Loads a directory written by exportModel (models/<version>/). */
export async function loadModelFromDir(dir: string): Promise<LoadedModel> {
  const { artifact, meta } = await readArtifactDir(dir);
  await initBackend('auto');
  return wrapLoaded(await fromArtifact(artifact), artifact.head, meta);
}

/** Exports a model to `<root>/<meta.version>/`; returns the directory. */
export async function exportModel(
  root: string,
  model: tf.LayersModel,
  head: ModelHead,
  meta: ArtifactMeta,
): Promise<string> {
  return exportArtifact(root, await toArtifact(model, head), meta);
}
