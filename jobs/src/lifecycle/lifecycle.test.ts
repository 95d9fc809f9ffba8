import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { useTestDatabase } from '../../test/database';
import type { Db } from '../db/connection';
import { PropelError } from '../errors';
import { buildFeatures } from '../features/build';
import { parseMonth } from '../month';
import { initBackend, toArtifact, trainModel } from '../model';
import { CHALLENGER, CHAMPION, aliasVersion, registerVersion, setAlias } from '../registry/registry';
import { createRng } from '../synth/random';
import { isHoldout } from './data';
import { promote, type PromoteOptions } from './promote';
import { rollback } from './rollback';
import { score } from './score';
import { train, type TrainOptions } from './train';

const logger = pino({ level: 'silent' });
const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'daredata');

/** A snapshot where attr_b = 'a' and a high scd_a make label 1 likely (or random labels). */
async function seedSnapshot(db: Db, monthId: string, n: number, signal: boolean): Promise<string> {
  const month = parseMonth(monthId);
  const rng = createRng(monthId.length + n, `snapshot-${monthId}`);
  const rows = Array.from({ length: n }, (_, idx) => {
    const attrB = ['a', 'b', 'c', 'd'][idx % 4] as string;
    const scdA = rng.next() * 10;
    const logit = signal ? -2 + (attrB === 'a' ? 1.5 : 0) + 0.4 * (scdA - 5) : -1.5;
    const label = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    return {
      as_of: month.end,
      idx,
      attr_a: (idx % 5) + 1,
      attr_b: attrB,
      scd_a: scdA,
      scd_b: idx % 3,
      recency_days: idx % 60,
      frequency: idx % 4,
      monetary: idx % 9,
      stores_visited: idx % 2,
      label,
    };
  });
  await db.batchInsert('feature_snapshots', rows, 1000);
  await db('feature_snapshot_runs').insert({
    as_of: month.end,
    row_count: n,
    content_hash: `hash-${monthId}`,
    run_id: 't',
  });
  return month.end;
}

const trainOptions = (monthId: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
  month: parseMonth(monthId),
  kind: 'logreg',
  strategy: 'retrain',
  epochs: 5,
  batchSize: 64,
  seed: 1,
  windowMonths: 1,
  holdoutPercent: 20,
  backend: 'auto',
  runId: 'test',
  ...extra,
});

const promoteOptions = (monthId: string): PromoteOptions => ({
  month: parseMonth(monthId),
  margin: 0.005,
  minAucLift: 0.02,
  holdoutPercent: 20,
  backend: 'auto',
  runId: 'test',
});

/** Registers a model fitted on random labels as the alias `alias` with lineage as_of `asOf`. */
async function registerNoiseModel(db: Db, alias: string, asOf: string, version: string): Promise<void> {
  const rng = createRng(9, version);
  const rows = Array.from({ length: 400 }, (_, i) => ({ attr_b: ['a', 'b'][i % 2], scd_a: rng.next() * 10 }));
  const labels = rows.map(() => (rng.next() < 0.2 ? 1 : 0));
  const trained = await trainModel({ rows, labels, params: { kind: 'logreg', epochs: 1, seed: 2 } });
  const meta = { version, kind: 'logreg', backend: 'test', metrics: {}, params: {}, lineage: { as_of: asOf } };
  await registerVersion(db, await toArtifact(trained.model, trained.head), meta);
  await setAlias(db, alias, version);
  trained.model.dispose();
}

describe('model lifecycle', () => {
  const testDb = useTestDatabase('lifecycle');

  beforeAll(async () => {
    await initBackend('auto');
  });

  beforeEach(async () => {
    await testDb().db.raw(
      'TRUNCATE scores, promotion_log, model_aliases, model_versions, feature_snapshots, feature_snapshot_runs, labels, customer_profiles CASCADE',
    );
  });

  it('when the first challenger passes the gate, then it becomes champion; a worse challenger is kept out; both scores are logged', async () => {
    const { db } = testDb();
    await seedSnapshot(db, '2026-01', 3000, true);
    const first = await train(db, trainOptions('2026-01'), logger);
    expect(first.holdout.roc_auc).toBeGreaterThan(0.7);
    const again = await train(db, trainOptions('2026-01'), logger);
    expect(again).toMatchObject({ version: first.version, reused: true });

    const promoted = await promote(db, promoteOptions('2026-01'), logger);
    expect(promoted).toMatchObject({ promoted: true, champion: first.version, champion_auc: null });
    expect(promoted.reason).toMatch(/first model/);
    expect(await aliasVersion(db, CHAMPION)).toBe(first.version);
    await expect(promote(db, promoteOptions('2026-01'), logger)).rejects.toMatchObject({
      code: 'NOTHING_TO_DO',
      exitCode: 99,
    });

    const feb = await seedSnapshot(db, '2026-02', 3000, true);
    await registerNoiseModel(db, CHALLENGER, feb, 'noise-challenger');
    const kept = await promote(db, promoteOptions('2026-02'), logger);
    expect(kept.promoted).toBe(false);
    expect(kept.champion).toBe(first.version);
    expect(kept.reason).toMatch(/gate failed|does not beat champion/);
    const log = await db('promotion_log').where({ as_of: feb }).first();
    expect(log).toMatchObject({
      action: 'keep',
      champion_version: first.version,
      challenger_version: 'noise-challenger',
    });
    expect(log.champion_auc).toBeGreaterThan(0.7);
    expect(log.challenger_auc).toBeLessThan(log.champion_auc);
    expect(await aliasVersion(db, CHAMPION)).toBe(first.version);
  });

  it('when the challenger beats the champion by the margin on the same holdout, then it is promoted, logged, and the open retraining request closed', async () => {
    const { db } = testDb();
    const jan = await seedSnapshot(db, '2026-01', 3000, true);
    await registerNoiseModel(db, CHAMPION, jan, 'weak-champion');
    await seedSnapshot(db, '2026-02', 3000, true);
    // live-performance found the champion degraded and asked for retraining.
    await db('retraining_requests').insert({
      model_version: 'weak-champion',
      period_start: '2026-02-01',
      reason: 'ROC-AUC dropped',
      run_id: 'test',
    });
    const challenger = await train(db, trainOptions('2026-02'), logger);
    const result = await promote(db, promoteOptions('2026-02'), logger);
    expect(result).toMatchObject({ promoted: true, champion: challenger.version, previous_champion: 'weak-champion' });
    expect(await db('retraining_requests').select('status', 'closed_by')).toEqual([
      { status: 'done', closed_by: challenger.version },
    ]);
    expect(result.challenger_auc).toBeGreaterThan((result.champion_auc ?? 1) + 0.005);
    const holdoutRows = (
      await db('feature_snapshots')
        .where({ as_of: parseMonth('2026-02').end })
        .pluck('idx')
    ).filter((idx: number) => isHoldout(idx, 20)).length;
    expect(result.holdout_rows).toBe(holdoutRows);
    const log = await db('promotion_log').where({ action: 'promote' }).first();
    expect(log).toMatchObject({
      champion_version: 'weak-champion',
      challenger_version: challenger.version,
      decision: challenger.version,
    });
    expect(log.champion_auc).not.toBeNull();

    const rolled = await rollback(db, 'weak-champion', 'test');
    expect(rolled).toEqual({ champion: 'weak-champion', previous: challenger.version });
    expect(await aliasVersion(db, CHAMPION)).toBe('weak-champion');
    expect(await db('promotion_log').where({ action: 'rollback' }).first()).toMatchObject({
      champion_version: challenger.version,
      decision: 'weak-champion',
    });
    await expect(db('promotion_log').delete()).rejects.toThrow(/append-only/);
    await expect(rollback(db, 'no-such-version', 'test')).rejects.toBeInstanceOf(PropelError);

    const scored = await score(db, { month: parseMonth('2026-02'), batchSize: 700, backend: 'auto' }, logger);
    expect(scored).toMatchObject({ rows: 3000, model_version: 'weak-champion' });
    const stats = await db('scores')
      .where({ as_of: parseMonth('2026-02').end })
      .first(
        db.raw('count(*)::int AS n'),
        db.raw('count(DISTINCT model_version)::int AS versions'),
        db.raw('min(probability) AS lo'),
        db.raw('max(probability) AS hi'),
      );
    expect(stats).toMatchObject({ n: 3000, versions: 1 });
    expect(stats.lo).toBeGreaterThan(0);
    expect(stats.hi).toBeLessThan(1);
  });

  it('when trained on the real fixture (random labels, profiles without signal), then the gate refuses to promote and says why', async () => {
    const { db } = testDb();
    const profiles = parse(readFileSync(path.join(FIXTURES, 'customer_profiles.csv')), { columns: true }) as Array<
      Record<string, string>
    >;
    const labels = parse(readFileSync(path.join(FIXTURES, 'labels.csv')), { columns: true }) as Array<
      Record<string, string>
    >;
    await db.batchInsert(
      'customer_profiles',
      profiles.map((p) => ({ idx: Number(p.idx), attr_a: Number(p.attr_a), attr_b: p.attr_b, attr_c: p.attr_c })),
      5000,
    );
    await db.batchInsert(
      'labels',
      labels.map((l) => ({ idx: Number(l.idx), label: Number(l.label) })),
      5000,
    );
    await buildFeatures(db, parseMonth('2026-01'), 'test');
    await train(db, trainOptions('2026-01', { epochs: 2 }), logger);
    const result = await promote(db, promoteOptions('2026-01'), logger);
    expect(result.promoted).toBe(false);
    expect(result.champion).toBeNull();
    expect(result.reason).toMatch(/gate failed: .*does not beat the prior baseline/);
    expect(result.holdout_rows).toBeGreaterThan(25000);
    expect(await aliasVersion(db, CHAMPION)).toBeUndefined();
    expect(await db('promotion_log').first()).toMatchObject({ action: 'keep', decision: 'none' });
  });
});
