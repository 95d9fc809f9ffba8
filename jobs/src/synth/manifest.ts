/** The generator's manifest: what was generated (knobs, months, rows, hashes) and the ceiling AUC. */
import fs from 'node:fs';
import path from 'node:path';
import type { WrittenFile } from './files';
import type { Knobs, Plan } from './plan';

export interface Manifest {
  generator: 'propel-synth';
  version: 1;
  knobs: {
    customers: number;
    months: number;
    start_month: string;
    sales_per_month: number;
    seed: number;
    drift_month: string | null;
    released: number;
  };
  /** Every generated month in order; `released_at_generation` = written to the source by generate. */
  months: { month: string; rows: number; released_at_generation: boolean; drifted: boolean }[];
  rows: Record<string, number>;
  label_rate: number;
  /** ROC-AUC of the true probabilities against the drawn labels: no model can expect to beat it. */
  bayes_auc: number;
  /** The same ceiling in expectation over label draws. */
  bayes_auc_expected: number;
  /** Univariate AUCs of observable features (category order / purchase count) against the labels. */
  feature_auc: Record<string, number>;
  /** sha256 of each generated file (activity: the full history, as in the pool). */
  files: Record<string, { rows: number; sha256: string }>;
  /** The generative model's constants, for the record. */
  model: unknown;
}

export interface ManifestInput {
  knobs: Knobs;
  plan: Plan;
  files: Record<string, WrittenFile>;
  monthRows: Record<string, number>;
  labelRate: number;
  bayesAuc: number;
  bayesAucExpected: number;
  featureAuc: Record<string, number>;
  model: unknown;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function buildManifest(input: ManifestInput): Manifest {
  const { knobs, plan } = input;
  const drifted = new Set(plan.drifted.map((m) => m.id));
  const sales = Object.values(input.monthRows).reduce((a, b) => a + b, 0);
  return {
    generator: 'propel-synth',
    version: 1,
    knobs: {
      customers: knobs.customers,
      months: knobs.months,
      start_month: knobs.startMonth,
      sales_per_month: knobs.salesPerMonth,
      seed: knobs.seed,
      drift_month: knobs.driftMonth ?? null,
      released: knobs.released,
    },
    months: plan.months.map((m, i) => ({
      month: m.id,
      rows: input.monthRows[m.id] ?? 0,
      released_at_generation: i < plan.released.length,
      drifted: drifted.has(m.id),
    })),
    rows: {
      customer_profiles: input.files['customer_profiles.csv']?.rows ?? 0,
      customer_activity: input.files['customer_activity.csv']?.rows ?? 0,
      labels: input.files['labels.csv']?.rows ?? 0,
      stores: 5,
      sales: sales,
    },
    label_rate: round4(input.labelRate),
    bayes_auc: round4(input.bayesAuc),
    bayes_auc_expected: round4(input.bayesAucExpected),
    feature_auc: Object.fromEntries(Object.entries(input.featureAuc).map(([k, v]) => [k, round4(v)])),
    files: Object.fromEntries(Object.entries(input.files).map(([k, f]) => [k, { rows: f.rows, sha256: f.sha256 }])),
    model: input.model,
  };
}

/** Writes the manifest atomically (temp file + rename). */
export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.promises.rename(temp, file);
}

/** The manifest at `file`, or undefined when there is none (e.g. a source with the real data). */
export async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}
