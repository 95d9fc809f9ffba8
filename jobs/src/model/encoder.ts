/**
 * The feature encoder: fitted on training rows only and saved in the model artifact, so the API
 * encodes a request exactly as training did. Categorical features get a one-hot vocabulary plus an
 * "unseen" and a "missing" slot; numeric features are standardised, a missing value becomes the
 * training mean (0 after scaling) and sets the feature's missing indicator.
 */
import { FEATURE_COLUMNS, type FeatureRow } from '../features/schema';

/** attr_b is a letter; every other feature is a number (attr_a and scd_b are small ordinals). */
export const CATEGORICAL_FEATURES: readonly string[] = ['attr_b'];
export const NUMERIC_FEATURES: readonly string[] = FEATURE_COLUMNS.filter((f) => !CATEGORICAL_FEATURES.includes(f));

export type InputRow = Partial<Record<keyof FeatureRow, number | string | null | undefined>>;

export interface EncoderState {
  version: 1;
  categorical: Record<string, string[]>;
  numeric: Record<string, { mean: number; std: number }>;
}

const UNSEEN = '__unseen__';
const MISSING = '__missing__';

function isMissing(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value))
  );
}

function asNumber(value: unknown): number | undefined {
  if (isMissing(value)) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Fits vocabularies (sorted, so the order does not depend on row order) and scaling. */
export function fitEncoder(rows: readonly InputRow[]): EncoderState {
  const categorical: Record<string, string[]> = {};
  for (const feature of CATEGORICAL_FEATURES) {
    const seen = new Set<string>();
    for (const row of rows) {
      const v = row[feature as keyof FeatureRow];
      if (!isMissing(v)) seen.add(String(v));
    }
    categorical[feature] = [...seen].sort();
  }
  const numeric: Record<string, { mean: number; std: number }> = {};
  for (const feature of NUMERIC_FEATURES) {
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (const row of rows) {
      const v = asNumber(row[feature as keyof FeatureRow]);
      if (v === undefined) continue;
      n++;
      sum += v;
      sumSq += v * v;
    }
    const mean = n > 0 ? sum / n : 0;
    const variance = n > 1 ? Math.max(0, sumSq / n - mean * mean) : 0;
    numeric[feature] = { mean, std: variance > 1e-12 ? Math.sqrt(variance) : 1 };
  }
  return { version: 1, categorical, numeric };
}

/** The encoded column names, in order (for lineage and debugging). */
export function encodedColumns(state: EncoderState): string[] {
  const columns: string[] = [];
  for (const feature of CATEGORICAL_FEATURES) {
    for (const value of state.categorical[feature] ?? []) columns.push(`${feature}=${value}`);
    columns.push(`${feature}=${UNSEEN}`, `${feature}=${MISSING}`);
  }
  for (const feature of NUMERIC_FEATURES) columns.push(feature, `${feature}${MISSING}`);
  return columns;
}

export function encodedWidth(state: EncoderState): number {
  return encodedColumns(state).length;
}

/** Encodes rows into one flat row-major Float32Array of rows.length × encodedWidth(state). */
export function encodeRows(state: EncoderState, rows: readonly InputRow[]): Float32Array {
  const width = encodedWidth(state);
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    let c = r * width;
    for (const feature of CATEGORICAL_FEATURES) {
      const vocab = state.categorical[feature] ?? [];
      const v = row[feature as keyof FeatureRow];
      if (isMissing(v)) out[c + vocab.length + 1] = 1;
      else {
        const i = vocab.indexOf(String(v));
        out[c + (i >= 0 ? i : vocab.length)] = 1;
      }
      c += vocab.length + 2;
    }
    for (const feature of NUMERIC_FEATURES) {
      const { mean, std } = state.numeric[feature] ?? { mean: 0, std: 1 };
      const v = asNumber(row[feature as keyof FeatureRow]);
      if (v === undefined) out[c + 1] = 1;
      else out[c] = (v - mean) / std;
      c += 2;
    }
  });
  return out;
}
