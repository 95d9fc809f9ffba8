/**
 * The model: an MLP (default) or a logistic regression over the encoded features, trained with
 * class weights (the minority class counts as much as the majority) and seeded. Because class
 * weights scale the learned odds by w1/w0, predictions subtract log(w1/w0) from the logit: the
 * imbalance is handled in the loss and the probabilities stay calibrated to the real base rate.
 * An artifact holds the tfjs topology and weights plus the encoder, threshold and offset.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../synth/random';
import { encodeRows, encodedWidth, fitEncoder, type EncoderState, type InputRow } from './encoder';
import { bestF1Threshold, evaluate, type Metrics } from './metrics';

export type ModelKind = 'mlp' | 'logreg';
export const MODEL_KINDS: readonly ModelKind[] = ['mlp', 'logreg'];

export interface TrainParams {
  kind: ModelKind;
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  hiddenUnits: number;
}

export const DEFAULT_TRAIN_PARAMS: TrainParams = {
  kind: 'mlp',
  seed: 42,
  epochs: 8,
  batchSize: 512,
  learningRate: 0.01,
  hiddenUnits: 16,
};

/** A compiled, untrained model for `inputWidth` encoded columns. */
export function createModel(
  inputWidth: number,
  params: Pick<TrainParams, 'kind' | 'seed' | 'learningRate' | 'hiddenUnits'>,
): tf.LayersModel {
  const model = tf.sequential();
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: params.seed + offset });
  if (params.kind === 'mlp') {
    model.add(
      tf.layers.dense({
        inputShape: [inputWidth],
        units: params.hiddenUnits,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
    );
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(2) }));
  } else {
    model.add(
      tf.layers.dense({ inputShape: [inputWidth], units: 1, activation: 'sigmoid', kernelInitializer: init(1) }),
    );
  }
  model.compile({ optimizer: tf.train.adam(params.learningRate), loss: 'binaryCrossentropy' });
  return model;
}

/** Everything beside the weights that turns rows into calibrated probabilities. */
export interface ModelHead {
  kind: ModelKind;
  encoder: EncoderState;
  threshold: number;
  /** Subtracted from the network's logit (undoes the class weights' shift of the odds). */
  logitOffset: number;
  prior: number;
}

export interface Trained {
  model: tf.LayersModel;
  head: ModelHead;
  params: TrainParams;
  trainMetrics: Metrics;
  rows: number;
}

/** Probabilities for encoded rows, in batches so memory stays bounded. */
export async function predictEncoded(
  model: tf.LayersModel,
  head: ModelHead,
  x: Float32Array,
  batch = 4096,
): Promise<Float64Array> {
  const width = encodedWidth(head.encoder);
  const n = x.length / width;
  const out = new Float64Array(n);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const values = tf.tidy(() => {
      const input = tf.tensor2d(x.subarray(start * width, (start + count) * width), [count, width]);
      return model.predict(input) as tf.Tensor;
    });
    const raw = await values.data();
    values.dispose();
    for (let i = 0; i < count; i++) {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, raw[i] ?? NaN));
      const logit = Math.log(p / (1 - p)) - head.logitOffset;
      out[start + i] = 1 / (1 + Math.exp(-logit));
    }
  }
  return out;
}

export async function predictRows(
  model: tf.LayersModel,
  head: ModelHead,
  rows: readonly InputRow[],
): Promise<Float64Array> {
  return predictEncoded(model, head, encodeRows(head.encoder, rows));
}

/** Seeded row order: the same seed and rows give the same batches on every run. */
function shuffledOrder(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRng(seed, 'train-shuffle');
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] ?? i;
    order[i] = order[j] ?? j;
    order[j] = t;
  }
  return order;
}

export interface TrainInput {
  rows: readonly InputRow[];
  labels: ArrayLike<number>;
  params?: Partial<TrainParams>;
  /** Fine-tune: start from this model and keep its encoder (the champion's). */
  from?: { model: tf.LayersModel; head: ModelHead };
  onEpoch?: (epoch: number, loss: number) => void;
}

export async function trainModel(input: TrainInput): Promise<Trained> {
  const params: TrainParams = {
    ...DEFAULT_TRAIN_PARAMS,
    ...(input.from ? { kind: input.from.head.kind } : {}),
    ...input.params,
  };
  const n = input.rows.length;
  if (n === 0) throw new Error('no training rows');
  let positives = 0;
  for (let i = 0; i < n; i++) positives += input.labels[i] === 1 ? 1 : 0;
  const prior = positives / n;
  const encoder = input.from ? input.from.head.encoder : fitEncoder(input.rows);
  const width = encodedWidth(encoder);
  const encoded = encodeRows(encoder, input.rows);
  const order = shuffledOrder(n, params.seed);
  const x = new Float32Array(n * width);
  const y = new Float32Array(n);
  order.forEach((row, i) => {
    x.set(encoded.subarray(row * width, (row + 1) * width), i * width);
    y[i] = input.labels[row] === 1 ? 1 : 0;
  });
  const w1 = positives > 0 ? n / (2 * positives) : 1;
  const w0 = positives < n ? n / (2 * (n - positives)) : 1;
  let model: tf.LayersModel;
  if (input.from) {
    model = input.from.model;
    model.compile({ optimizer: tf.train.adam(params.learningRate / 2), loss: 'binaryCrossentropy' });
  } else {
    model = createModel(width, params);
  }
  const xs = tf.tensor2d(x, [n, width]);
  const ys = tf.tensor2d(y, [n, 1]);
  try {
    await model.fit(xs, ys, {
      epochs: params.epochs,
      batchSize: params.batchSize,
      shuffle: false,
      verbose: 0,
      classWeight: { 0: w0, 1: w1 },
      callbacks: {
        onEpochEnd: async (epoch, logs) => input.onEpoch?.(epoch, Number(logs?.loss ?? NaN)),
      },
    });
  } finally {
    xs.dispose();
    ys.dispose();
  }
  const head: ModelHead = { kind: params.kind, encoder, threshold: 0.5, logitOffset: Math.log(w1 / w0), prior };
  const probs = await predictEncoded(model, head, encoded);
  head.threshold = bestF1Threshold(input.labels, probs);
  return { model, head, params, trainMetrics: evaluate(input.labels, probs, head.threshold, prior), rows: n };
}
