/**
 * Real models for the API tests: trained with the jobs' model code (the same encoder, network and
 * artifact format as `propel-jobs train`) on seeded synthetic customers, then put where production
 * finds them: registered in the registry (and promoted with the same NOTIFY) or exported to a
 * directory. The API loads them back through @propel/jobs' own loaders.
 */
import type { Knex } from 'knex';
import * as jobsPackage from '@propel/jobs';
import { registerVersion, setAlias } from '@propel/jobs/dist/registry/registry';
import type { ModelPackage } from '../src/model/sources';

/** The model package exactly as server.ts loads it. */
export const modelPackage: ModelPackage = jobsPackage;
export const { CHALLENGE_FEATURES, NO_PURCHASE_DEFAULTS } = jobsPackage;

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Customers whose label depends on scd_a, frequency and attr_a; `shift` moves the relation. */
function customers(seed: number, shift: number, n = 1500) {
  const rand = random(seed);
  const rows: jobsPackage.InputRow[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = {
      attr_a: 1 + Math.floor(rand() * 5),
      attr_b: ['a', 'b', 'c', 'd'][Math.floor(rand() * 4)] as string,
      scd_a: rand(),
      scd_b: Math.floor(rand() * 10),
      recency_days: Math.floor(rand() * 365),
      frequency: Math.floor(rand() * 10),
      monetary: rand() * 100,
      stores_visited: Math.floor(rand() * 4),
    };
    rows.push(row);
    labels.push(rand() < sigmoid(-2.5 + (2 + shift) * row.scd_a + 0.3 * row.frequency - 0.2 * row.attr_a) ? 1 : 0);
  }
  return { rows, labels };
}

export interface TestModelOptions {
  seed?: number;
  shift?: number;
}

/** Trains a small logistic regression; returns what the registry and an export store. */
export async function trainTestModel(version: string, options: TestModelOptions = {}) {
  const backend = await jobsPackage.initBackend('auto');
  const trained = await jobsPackage.trainModel({
    ...customers(options.seed ?? 7, options.shift ?? 0),
    params: { kind: 'logreg', epochs: 3, batchSize: 128, learningRate: 0.05, seed: options.seed ?? 7 },
  });
  const meta = {
    version,
    kind: 'logreg',
    backend,
    metrics: { ...trained.trainMetrics },
    params: { ...trained.params },
    lineage: { as_of: '2020-01-31', trained_by: 'api test' },
  };
  return { trained, meta };
}

/** Trains and registers a version (not promoted). */
export async function registerTestModel(db: Knex, version: string, options: TestModelOptions = {}): Promise<void> {
  const { trained, meta } = await trainTestModel(version, options);
  await registerVersion(db, await jobsPackage.toArtifact(trained.model, trained.head), meta);
  trained.model.dispose();
}

/** Makes `version` the champion, announced with NOTIFY like `propel-jobs promote` does. */
export const promoteTestModel = (db: Knex, version: string) => setAlias(db, 'champion', version);

/** Trains and exports a version to `<root>/<version>/`, the layout MODEL_DIR points at. */
export async function exportTestModel(root: string, version: string, options: TestModelOptions = {}): Promise<string> {
  const { trained, meta } = await trainTestModel(version, options);
  const dir = await jobsPackage.exportModel(root, trained.model, trained.head, meta);
  trained.model.dispose();
  return dir;
}
