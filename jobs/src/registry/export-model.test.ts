import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../test/database';
import { runJob } from '../cli/run';
import { exportModelJob } from '../lifecycle/jobs';
import { initBackend, loadModelFromDir, toArtifact, trainModel, type InputRow } from '../model';
import { loadModelFromRegistry, registerVersion, setAlias } from './registry';

const ROWS: InputRow[] = Array.from({ length: 200 }, (_, i) => ({
  attr_a: (i % 5) + 1,
  attr_b: ['a', 'b', 'c'][i % 3] as string,
  scd_a: (i * 37) % 100,
  scd_b: i % 2,
}));
const LABELS = ROWS.map((r) => ((r.scd_a as number) > 60 ? 1 : 0));

async function register(db: Parameters<typeof registerVersion>[0], version: string, seed: number) {
  const trained = await trainModel({ rows: ROWS, labels: LABELS, params: { kind: 'logreg', epochs: 2, seed } });
  await registerVersion(db, await toArtifact(trained.model, trained.head), {
    version,
    kind: 'logreg',
    backend: 'cpu',
    metrics: { roc_auc: 0.9 },
    params: {},
    lineage: { as_of: '2020-01-31' },
  });
  trained.model.dispose();
}

describe('export-model', () => {
  const testDb = useTestDatabase('export_model');
  const out = mkdtempSync(path.join(os.tmpdir(), 'propel-export-'));
  const env = () => ({ DATABASE_URL: testDb().url, LOG_LEVEL: 'silent', MODEL_EXPORT_DIR: out });
  const quiet = () => undefined;
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('when there is no champion, then there is nothing to export (exit 99) and nothing is written', async () => {
    const outcome = await runJob(exportModelJob, {}, env(), quiet);
    expect(outcome.exitCode).toBe(99);
    expect(readdirSync(out)).toEqual([]);
  });

  it('when a newer version was kept out, then the champion is exported and serves as it does from the registry', async () => {
    await initBackend('auto');
    const { db } = testDb();
    await register(db, 'v-champion', 1);
    await register(db, 'v-newer-challenger', 2);
    await setAlias(db, 'champion', 'v-champion');

    const outcome = await runJob(exportModelJob, {}, env(), quiet);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.summary).toMatchObject({ version: 'v-champion', champion: true, dir: path.join(out, 'v-champion') });
    const fromDir = await loadModelFromDir(path.join(out, 'v-champion'));
    const fromRegistry = await loadModelFromRegistry(db, 'v-champion');
    expect(await fromDir.predict(ROWS.slice(0, 10))).toEqual(await fromRegistry.predict(ROWS.slice(0, 10)));
    expect(fromDir.lineage).toMatchObject({ as_of: '2020-01-31' });

    const again = await runJob(exportModelJob, { version: 'v-newer-challenger' }, env(), quiet);
    expect(again.summary).toMatchObject({ version: 'v-newer-challenger', champion: false });
    expect(readdirSync(out).sort()).toEqual(['v-champion', 'v-newer-challenger']);
    fromDir.dispose();
    fromRegistry.dispose();
  });

  it('when the version is not in the registry, then it exits 2 naming --version', async () => {
    const outcome = await runJob(exportModelJob, { version: 'nope' }, env(), quiet);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({ setting: '--version' });
  });
});
