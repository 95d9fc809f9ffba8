import { silentLogger } from '../logging';
import { initBackend, toArtifact, trainModel } from '../model';
import { parseMonth } from '../month';
import { registerVersion } from '../registry/registry';
import { useTestDatabase } from '../../test/database';
import { SCORE, measureDrift, psi } from './drift';

const context = {
  runId: 'test',
  logger: silentLogger,
  webhook: { timeoutMs: 500, retries: 0 },
  thresholds: { warn: 0.1, critical: 0.25 },
  backend: 'auto' as const,
};

/**
 * A snapshot of `n` customers; `shift` moves scd_a and frequency and changes the attr_b mix. The
 * label follows the unshifted scd_a, so a model trained on it scores shifted customers higher.
 */
function snapshot(asOf: string, n: number, shift: number) {
  return Array.from({ length: n }, (_, i) => {
    const u = ((i * 7919) % n) / n; // evenly spread in [0, 1)
    return {
      as_of: asOf,
      idx: i,
      attr_a: 1 + (i % 5),
      attr_b: shift > 0 && i % 2 === 0 ? 'd' : ['a', 'b', 'c', 'd'][i % 4],
      scd_a: Math.min(1, u * (1 - shift) + shift),
      scd_b: 1 + (i % 5),
      recency_days: 10 + (i % 60),
      frequency: Math.round(u * 5 + shift * 10),
      monetary: u * 20,
      stores_visited: i % 3,
      label: u > 0.8 ? 1 : 0,
    };
  });
}

describe('drift', () => {
  const testDb = useTestDatabase('drift');

  it('when identical distributions are compared, then PSI is 0; when they differ, then it grows', () => {
    const a = new Map([
      ['1', 50],
      ['2', 50],
    ]);
    expect(psi(a, a)).toBe(0);
    expect(
      psi(
        a,
        new Map([
          ['1', 90],
          ['2', 10],
        ]),
      ),
    ).toBeGreaterThan(0.25);
  });

  it('when there is no champion, then drift has nothing to do (exit 99)', async () => {
    await expect(measureDrift(testDb().db, parseMonth('2020-02'), context)).rejects.toMatchObject({ exitCode: 99 });
  });

  describe('with a champion trained on January', () => {
    beforeAll(async () => {
      const { db } = testDb();
      const january = snapshot('2020-01-31', 2000, 0);
      for (const insert of [january, snapshot('2020-02-29', 2000, 0), snapshot('2020-03-31', 2000, 0.4)]) {
        await db.batchInsert('feature_snapshots', insert, 500);
      }
      await initBackend('auto');
      const trained = await trainModel({
        rows: january,
        labels: january.map((r) => r.label),
        params: { kind: 'logreg', epochs: 5, learningRate: 0.05, batchSize: 128, seed: 1 },
      });
      await registerVersion(db, await toArtifact(trained.model, trained.head), {
        version: 'v1',
        kind: 'logreg',
        backend: 'auto',
        metrics: {},
        params: {},
        lineage: { as_of: '2020-01-31' },
      });
      trained.model.dispose();
      await db('model_aliases').insert({ alias: 'champion', version: 'v1' });
    });

    it('when a month has the training distribution, then no feature is flagged', async () => {
      const report = await measureDrift(testDb().db, parseMonth('2020-02'), context);
      expect(report.reference_as_of).toBe('2020-01-31');
      expect(report.features.map((f) => f.feature)).toContain(SCORE);
      expect(report.features.filter((f) => f.severity !== 'ok')).toEqual([]);
    });

    it('when a month is shifted, then the shifted features and the score distribution are flagged, stored and alerted', async () => {
      const { db } = testDb();
      const report = await measureDrift(db, parseMonth('2020-03'), context);
      const flagged = report.features.filter((f) => f.severity !== 'ok').map((f) => f.feature);
      expect(flagged).toEqual(expect.arrayContaining(['scd_a', 'frequency', 'attr_b', SCORE]));
      expect(flagged).not.toContain('attr_a');
      const stored = await db('drift_reports').where({ as_of: '2020-03-31', feature: 'scd_a' }).first();
      expect(stored).toMatchObject({ severity: 'critical', champion_version: 'v1', reference_as_of: '2020-01-31' });
      const scoreRow = await db('drift_reports').where({ as_of: '2020-03-31', feature: SCORE }).first();
      expect(scoreRow.psi).toBeGreaterThanOrEqual(0.1);
      expect(await db('alerts').where({ kind: 'drift' }).count({ n: '*' })).toEqual([{ n: flagged.length }]);
    });
  });
});
