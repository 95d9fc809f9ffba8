import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../test/database';
import { registerVersion, setAlias } from '../registry/registry';
import { toArtifact } from './artifact';
import { encodeRows, encodedColumns, fitEncoder } from './encoder';
import {
  createModel,
  encodedWidth,
  exportModel,
  initBackend,
  loadModelFromDir,
  loadModelFromRegistry,
  predictRows,
  rocAuc,
  trainModel,
  type InputRow,
} from './index';

/** Small rows where attr_b = 'a' and high scd_a raise the odds of label 1. */
function rows(n: number): { rows: InputRow[]; labels: number[] } {
  const out: InputRow[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const attrB = ['a', 'b', 'c'][i % 3] as string;
    const scdA = (i * 37) % 100;
    out.push({
      attr_a: (i % 5) + 1,
      attr_b: attrB,
      scd_a: scdA,
      scd_b: i % 2,
      recency_days: i % 90,
      frequency: i % 4,
      monetary: (i % 7) * 10,
      stores_visited: i % 3,
    });
    labels.push((attrB === 'a' ? 40 : 0) + scdA > 70 ? 1 : 0);
  }
  return { rows: out, labels };
}

describe('model', () => {
  const testDb = useTestDatabase('model');
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('when a row has an unseen category and missing values, then it encodes to the unseen and missing slots', () => {
    const state = fitEncoder([
      { attr_b: 'a', scd_a: 1 },
      { attr_b: 'b', scd_a: 3 },
    ]);
    const columns = encodedColumns(state);
    const [encoded] = [
      encodeRows(state, [
        { attr_b: 'z', scd_a: null },
        { attr_b: null, scd_a: 3 },
      ]),
    ];
    const row = (r: number) => Object.fromEntries(columns.map((c, i) => [c, encoded[r * columns.length + i]]));
    expect(row(0)).toMatchObject({ 'attr_b=a': 0, 'attr_b=b': 0, 'attr_b=__unseen__': 1, 'attr_b=__missing__': 0 });
    expect(row(0)).toMatchObject({ scd_a: 0, scd_a__missing__: 1 });
    expect(row(1)).toMatchObject({ 'attr_b=__unseen__': 0, 'attr_b=__missing__': 1, scd_a: 1, scd_a__missing__: 0 });
    expect(Array.from(encoded).every(Number.isFinite)).toBe(true);
  });

  it('when created, then the mlp and the logreg take the encoded width and output one probability', async () => {
    await initBackend('cpu');
    for (const kind of ['mlp', 'logreg'] as const) {
      const model = createModel(7, { kind, seed: 1, learningRate: 0.01, hiddenUnits: 4 });
      expect(model.inputs[0]?.shape).toEqual([null, 7]);
      expect(model.outputs[0]?.shape).toEqual([null, 1]);
      model.dispose();
    }
  });

  it('when fitted for two epochs twice with the same seed, then it learns the signal and both runs agree', async () => {
    await initBackend('cpu');
    const data = rows(600);
    const params = { epochs: 2, batchSize: 64, learningRate: 0.05, seed: 7 };
    const first = await trainModel({ ...data, params });
    const second = await trainModel({ ...data, params });
    expect(first.trainMetrics.roc_auc).toBeGreaterThan(0.8);
    expect(second.trainMetrics.roc_auc).toBe(first.trainMetrics.roc_auc);
    expect(first.head.threshold).toBe(second.head.threshold);
    first.model.dispose();
    second.model.dispose();
  });

  it('when saved to a directory and to the registry and loaded back, then predictions are identical', async () => {
    const backend = await initBackend('auto');
    expect(['tensorflow', 'wasm']).toContain(backend);
    const data = rows(300);
    const trained = await trainModel({ ...data, params: { epochs: 2, batchSize: 64, seed: 3 } });
    const probe: InputRow[] = [...data.rows.slice(0, 20), { attr_b: 'unseen' }, {}];
    const meta = {
      version: '20261122T000000000Z-mlp',
      kind: 'mlp',
      backend,
      metrics: trained.trainMetrics as unknown as Record<string, unknown>,
      params: { ...trained.params },
      lineage: { as_of: '2026-01-31' },
    };
    const root = mkdtempSync(path.join(os.tmpdir(), 'propel-model-'));
    dirs.push(root);
    const dir = await exportModel(root, trained.model, trained.head, meta);
    const fromDir = await loadModelFromDir(dir);
    const { db } = testDb();
    await registerVersion(db, await toArtifact(trained.model, trained.head), meta);
    await setAlias(db, 'champion', meta.version);
    const fromRegistry = await loadModelFromRegistry(db);
    const expected = Array.from(await predictRows(trained.model, trained.head, probe));
    expect(await fromDir.predict(probe)).toEqual(expected);
    expect(await fromRegistry.predict(probe)).toEqual(expected);
    expect(fromRegistry.version).toBe(meta.version);
    expect(fromDir.threshold).toBe(trained.head.threshold);
    expect(encodedWidth(fromDir.head.encoder)).toBe(encodedWidth(trained.head.encoder));
    expect(rocAuc(data.labels.slice(0, 20), expected.slice(0, 20))).toBeGreaterThan(0.5);
    fromDir.dispose();
    fromRegistry.dispose();
    trained.model.dispose();
  });
});
