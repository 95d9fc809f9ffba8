/**
 * A real (small) logistic regression trained in the tests on seeded synthetic customers, serving the
 * API's model port until the model package's loader is wired in. Test-only: production loads models
 * from the registry or MODEL_DIR.
 */
import { NO_PURCHASE_DEFAULTS } from '@propel/jobs/dist/features/schema';
import type { FeatureValues, ModelSource, ServingModel } from '../src/model/port';

export const CHALLENGE = ['attr_a', 'attr_b', 'scd_a', 'scd_b'] as const;
export const PURCHASE_DEFAULTS = NO_PURCHASE_DEFAULTS;
const CATEGORIES = ['a', 'b', 'c', 'd'];

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const num = (v: unknown, fallback = 0) => (typeof v === 'number' ? v : fallback);

function encode(row: FeatureValues): number[] {
  const b = String(row.attr_b ?? '');
  return [
    1,
    num(row.attr_a) / 5,
    ...CATEGORIES.map((c) => (b === c ? 1 : 0)),
    num(row.scd_a),
    num(row.scd_b) / 10,
    Math.min(num(row.frequency), 20) / 20,
    Math.min(num(row.monetary), 200) / 200,
  ];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Trains on `rows` generated customers with a seeded signal; `shift` changes the learned model. */
export function trainModel(
  version: string,
  options: { seed?: number; rows?: number; shift?: number } = {},
): ServingModel {
  const rand = random(options.seed ?? 7);
  const data: Array<[number[], number]> = [];
  for (let i = 0; i < (options.rows ?? 1500); i++) {
    const row: FeatureValues = {
      attr_a: 1 + Math.floor(rand() * 5),
      attr_b: CATEGORIES[Math.floor(rand() * 4)] as string,
      scd_a: rand(),
      scd_b: Math.floor(rand() * 10),
      frequency: Math.floor(rand() * 10),
      monetary: rand() * 100,
    };
    const z = -2.5 + 2 * num(row.scd_a) + 0.3 * num(row.frequency) - 0.2 * num(row.attr_a) + (options.shift ?? 0);
    data.push([encode(row), rand() < sigmoid(z) ? 1 : 0]);
  }
  const weights = new Array<number>(encode({}).length).fill(0);
  for (let epoch = 0; epoch < 150; epoch++) {
    const gradient = weights.map(() => 0);
    for (const [x, y] of data) {
      const error = sigmoid(x.reduce((s, v, j) => s + v * (weights[j] as number), 0)) - y;
      x.forEach((v, j) => (gradient[j] = (gradient[j] as number) + error * v));
    }
    weights.forEach((w, j) => (weights[j] = w - (2 * (gradient[j] as number)) / data.length));
  }
  let disposed = false;
  return {
    version,
    kind: 'logreg',
    threshold: 0.2,
    backend: 'js',
    metrics: { rows: data.length },
    lineage: { trained_by: 'api test' },
    get disposed() {
      return disposed;
    },
    async predict(rows) {
      if (disposed) throw new Error(`model ${version} used after dispose`);
      return rows.map((row) => sigmoid(encode(row).reduce((s, v, j) => s + v * (weights[j] as number), 0)));
    },
    dispose() {
      disposed = true;
    },
  } as ServingModel;
}

/** A source over models trained in the test; `champion` is what wantedVersion answers. */
export function trainedSource(models: ServingModel[], champion?: string) {
  const byVersion = new Map(models.map((m) => [m.version, m]));
  const source: ModelSource & { champion: string | undefined; loads: number } = {
    name: 'test',
    champion,
    loads: 0,
    async wantedVersion() {
      return source.champion;
    },
    async load(version: string) {
      source.loads += 1;
      const model = byVersion.get(version);
      if (!model) throw new Error(`no model ${version}`);
      return model;
    },
    async list() {
      return [...byVersion.keys()].map((version) => ({ version }));
    },
  };
  return source;
}
