/**
 * Model artifacts: the tfjs topology + weights and the head (encoder, threshold, offset), in memory
 * (for the registry's jsonb column) and as a directory `models/<version>/` (model.json and
 * weights.bin in tfjs' layers format, plus propel.json), loadable without a database.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelHead } from './model';
import { predictRows } from './model';
import type { InputRow } from './encoder';

export interface ArtifactMeta {
  version: string;
  kind: string;
  backend: string;
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
  lineage: Record<string, unknown>;
}

/** The JSON form stored in model_versions.artifact. */
export interface StoredArtifact {
  format: 'propel-model/1';
  head: ModelHead;
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: string;
}

function joinWeights(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (!Array.isArray(data)) return data;
  const total = data.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

/** Serialises a trained model and its head. */
export async function toArtifact(model: tf.LayersModel, head: ModelHead): Promise<StoredArtifact> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('tfjs did not hand over the model artifacts');
  return {
    format: 'propel-model/1',
    head,
    modelTopology: captured.modelTopology,
    weightSpecs: captured.weightSpecs ?? [],
    weightData: Buffer.from(joinWeights(captured.weightData as ArrayBuffer | ArrayBuffer[] | undefined)).toString(
      'base64',
    ),
  };
}

export async function fromArtifact(artifact: StoredArtifact): Promise<tf.LayersModel> {
  if (artifact.format !== 'propel-model/1') throw new Error(`unknown model artifact format ${String(artifact.format)}`);
  const bytes = Buffer.from(artifact.weightData, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifact.modelTopology as object,
      weightSpecs: artifact.weightSpecs,
      weightData,
    }),
  );
}

/** A model loaded in memory, ready to score (the API's ServingModel). */
export interface LoadedModel {
  readonly version: string;
  readonly kind: string;
  readonly threshold: number;
  readonly backend: string;
  readonly metrics: Record<string, unknown>;
  readonly lineage: Record<string, unknown>;
  readonly head: ModelHead;
  readonly model: tf.LayersModel;
  predict(rows: InputRow[]): Promise<number[]>;
  dispose(): void;
}

export function wrapLoaded(model: tf.LayersModel, head: ModelHead, meta: ArtifactMeta): LoadedModel {
  return {
    version: meta.version,
    kind: meta.kind,
    threshold: head.threshold,
    backend: meta.backend,
    metrics: meta.metrics,
    lineage: meta.lineage,
    head,
    model,
    predict: async (rows) => Array.from(await predictRows(model, head, rows)),
    dispose: () => model.dispose(),
  };
}

/** Writes `dir/<version>/` (model.json, weights.bin, propel.json); returns the directory. */
export async function exportArtifact(root: string, artifact: StoredArtifact, meta: ArtifactMeta): Promise<string> {
  const dir = path.join(root, meta.version);
  const tmp = `${dir}.tmp-${process.pid}`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  await fs.writeFile(
    path.join(tmp, 'model.json'),
    JSON.stringify({
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      modelTopology: artifact.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifact.weightSpecs }],
    }),
  );
  await fs.writeFile(path.join(tmp, 'weights.bin'), Buffer.from(artifact.weightData, 'base64'));
  await fs.writeFile(path.join(tmp, 'propel.json'), JSON.stringify({ ...meta, head: artifact.head }, null, 2));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(tmp, dir);
  return dir;
}

/** Reads a directory written by exportArtifact back into the stored form. */
export async function readArtifactDir(dir: string): Promise<{ artifact: StoredArtifact; meta: ArtifactMeta }> {
  const modelJson = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const { head, ...meta } = JSON.parse(await fs.readFile(path.join(dir, 'propel.json'), 'utf8')) as ArtifactMeta & {
    head: ModelHead;
  };
  const buffers = await Promise.all(
    modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFile(path.join(dir, p))),
  );
  return {
    artifact: {
      format: 'propel-model/1',
      head,
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: Buffer.concat(buffers).toString('base64'),
    },
    meta,
  };
}
