/**
 * drift --as-of: population stability index (PSI) of every feature of a snapshot, and of the
 * champion's score distribution, against the champion's training snapshot. Numeric features and
 * the score use the reference's deciles as bins (missing values are a bin of their own); attr_b
 * uses its categories. Warning and critical thresholds raise alerts; the report replaces the
 * month's previous one.
 */
import type { Db } from '../db/connection';
import { nothingToDo } from '../errors';
import { FEATURE_COLUMNS } from '../features/schema';
import { snapshotBatches } from '../lifecycle/data';
import type { Logger } from '../logging';
import { initBackend, type BackendPreference, type LoadedModel } from '../model';
import type { Month } from '../month';
import { loadModelFromRegistry } from '../registry/registry';
import { raiseAlert, type WebhookOptions } from './alerts';

export interface DriftThresholds {
  warn: number;
  critical: number;
}

/** The drift_reports row of the champion's score distribution (beside one row per feature). */
export const SCORE = 'score';

export interface FeatureDrift {
  feature: string;
  psi: number;
  severity: 'ok' | 'warning' | 'critical';
}

const EPSILON = 1e-4;
const CATEGORICAL = new Set(['attr_b']);

/** PSI of two distributions given as counts per bin (same bin keys). */
export function psi(reference: Map<string, number>, current: Map<string, number>): number {
  const refTotal = [...reference.values()].reduce((a, b) => a + b, 0) || 1;
  const curTotal = [...current.values()].reduce((a, b) => a + b, 0) || 1;
  let sum = 0;
  for (const bin of new Set([...reference.keys(), ...current.keys()])) {
    const r = Math.max((reference.get(bin) ?? 0) / refTotal, EPSILON);
    const c = Math.max((current.get(bin) ?? 0) / curTotal, EPSILON);
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

/** Counts per bin of one feature in both snapshots, bins from the reference. */
async function binCounts(db: Db, feature: string, referenceAsOf: string, asOf: string) {
  const params = { ref: referenceAsOf, cur: asOf };
  const snapshot = `CASE WHEN as_of = :ref THEN 'reference' ELSE 'current' END`;
  const sql = CATEGORICAL.has(feature)
    ? `SELECT ${snapshot} AS snapshot, COALESCE(${feature}::text, 'missing') AS bin, count(*)::int AS n
       FROM feature_snapshots WHERE as_of IN (:ref, :cur) GROUP BY 1, 2`
    : `WITH e AS (
         SELECT percentile_cont(ARRAY[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]) WITHIN GROUP (ORDER BY ${feature}::float8) AS edges
         FROM feature_snapshots WHERE as_of = :ref)
       SELECT ${snapshot} AS snapshot,
              CASE WHEN ${feature} IS NULL THEN 'missing' ELSE width_bucket(${feature}::float8, (SELECT edges FROM e))::text END AS bin,
              count(*)::int AS n
       FROM feature_snapshots WHERE as_of IN (:ref, :cur) GROUP BY 1, 2`;
  const { rows } = await db.raw<{ rows: Array<{ snapshot: string; bin: string; n: number }> }>(sql, params);
  const reference = new Map<string, number>();
  const current = new Map<string, number>();
  for (const r of rows) (r.snapshot === 'reference' ? reference : current).set(r.bin, r.n);
  return { reference, current };
}

/** The model's scores of every customer of a snapshot. */
async function snapshotScores(db: Db, model: LoadedModel, asOf: string): Promise<number[]> {
  const scores: number[] = [];
  for await (const batch of snapshotBatches(db, asOf, 5000)) scores.push(...(await model.predict(batch)));
  return scores;
}

/** Counts per bin of the champion's scores on both snapshots, bins = deciles of the reference scores. */
async function scoreCounts(db: Db, model: LoadedModel, referenceAsOf: string, asOf: string) {
  const reference = await snapshotScores(db, model, referenceAsOf);
  const current = await snapshotScores(db, model, asOf);
  const sorted = Float64Array.from(reference).sort();
  const edges = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => sorted[Math.floor((k * sorted.length) / 10)] as number);
  const count = (scores: number[]) => {
    const bins = new Map<string, number>();
    for (const s of scores) {
      const bin = String(edges.filter((e) => s >= e).length);
      bins.set(bin, (bins.get(bin) ?? 0) + 1);
    }
    return bins;
  };
  return { reference: count(reference), current: count(current) };
}

export async function measureDrift(
  db: Db,
  month: Month,
  context: {
    runId: string;
    logger: Logger;
    webhook: WebhookOptions;
    thresholds: DriftThresholds;
    backend: BackendPreference;
  },
): Promise<{ champion: string; reference_as_of: string; features: FeatureDrift[] }> {
  const champion = (await db('model_aliases as a')
    .join('model_versions as v', 'v.version', 'a.version')
    .where('a.alias', 'champion')
    .first('v.version', db.raw(`v.lineage->>'as_of' AS as_of`))) as { version: string; as_of: string } | undefined;
  if (!champion) throw nothingToDo('no champion model yet: there is no training snapshot to compare with');
  const reference = (await db('feature_snapshots')
    .whereRaw(`date_trunc('month', as_of) = date_trunc('month', ?::date)`, [champion.as_of])
    .first('as_of')) as { as_of: string } | undefined;
  if (!reference) throw nothingToDo(`the champion's training snapshot (${champion.as_of}) is no longer stored`);
  const { warn, critical } = context.thresholds;
  const features: FeatureDrift[] = [];
  const judge = (feature: string, counts: { reference: Map<string, number>; current: Map<string, number> }) => {
    const value = Math.round(psi(counts.reference, counts.current) * 1e6) / 1e6;
    features.push({ feature, psi: value, severity: value >= critical ? 'critical' : value >= warn ? 'warning' : 'ok' });
  };
  for (const feature of FEATURE_COLUMNS) judge(feature, await binCounts(db, feature, reference.as_of, month.end));
  await initBackend(context.backend, context.logger);
  const model = await loadModelFromRegistry(db, champion.version);
  try {
    judge(SCORE, await scoreCounts(db, model, reference.as_of, month.end));
  } finally {
    model.dispose();
  }
  await db.transaction(async (trx) => {
    await trx('drift_reports').where({ as_of: month.end }).delete();
    await trx('drift_reports').insert(
      features.map((f) => ({
        as_of: month.end,
        feature: f.feature,
        reference_as_of: reference.as_of,
        champion_version: champion.version,
        psi: f.psi,
        severity: f.severity,
        run_id: context.runId,
      })),
    );
  });
  for (const f of features.filter((d) => d.severity !== 'ok')) {
    await raiseAlert(
      db,
      {
        kind: 'drift',
        severity: f.severity === 'critical' ? 'critical' : 'warning',
        incidentKey: `drift:${month.id}:${f.feature}`,
        message:
          f.feature === SCORE
            ? `${month.id}: the champion's score distribution drifted from its training data (PSI ${f.psi.toFixed(3)})`
            : `${month.id}: ${f.feature} drifted from the champion's training data (PSI ${f.psi.toFixed(3)})`,
        details: { ...f, reference_as_of: reference.as_of, champion: champion.version },
      },
      context.webhook,
      context.logger,
    );
  }
  return { champion: champion.version, reference_as_of: reference.as_of, features };
}
