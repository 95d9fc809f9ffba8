/**
 * What the dashboard shows, read from companydata in one round of bounded queries (each has a
 * window or a LIMIT): the registry and its decisions, drift, validation, alerts, live performance
 * and the prediction log's volume and latency.
 */
import type { Knex } from 'knex';

export interface TrafficPoint {
  t: string;
  predictions: number;
  p50_ms: number | null;
  p95_ms: number | null;
}

const rows = async <T>(db: Knex, sql: string, bindings: Record<string, unknown> = {}): Promise<T[]> =>
  (await db.raw<{ rows: T[] }>(sql, bindings)).rows;

/** Model versions with their training snapshot and holdout metrics, newest first. */
const MODELS = `
  SELECT v.version, v.kind, v.created_at, v.lineage->>'as_of' AS as_of, v.lineage->>'backend' AS backend,
         (v.metrics #>> '{holdout,roc_auc}')::float8 AS holdout_auc,
         (v.metrics #>> '{holdout,log_loss}')::float8 AS holdout_log_loss,
         (v.metrics #>> '{train,roc_auc}')::float8 AS train_auc,
         a.alias IS NOT NULL AS champion
  FROM model_versions v
  LEFT JOIN model_aliases a ON a.alias = 'champion' AND a.version = v.version
  ORDER BY v.created_at DESC, v.version DESC
  LIMIT 20`;

const PROMOTIONS = `
  SELECT at, action, to_char(as_of, 'YYYY-MM-DD') AS as_of, champion_version, challenger_version,
         champion_auc, challenger_auc, holdout_rows, decision, reason
  FROM promotion_log ORDER BY id DESC LIMIT 30`;

/** PSI per feature for the last 12 snapshots that have a drift report. */
const DRIFT = `
  SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, feature, psi, severity, champion_version
  FROM drift_reports
  WHERE as_of IN (SELECT DISTINCT as_of FROM drift_reports ORDER BY as_of DESC LIMIT 12)
  ORDER BY as_of, feature`;

/** The latest validation run of each dataset, with its failed expectations. */
const VALIDATION = `
  SELECT r.run_id, r.dataset, to_char(r.month, 'YYYY-MM-DD') AS month, r.status, r.created_at,
         count(e.id)::int AS expectations,
         count(e.id) FILTER (WHERE e.passed)::int AS passed,
         COALESCE(json_agg(json_build_object('expectation', e.expectation, 'severity', e.severity,
                    'observed', e.observed, 'threshold', e.threshold) ORDER BY e.id)
                  FILTER (WHERE NOT e.passed), '[]') AS failures
  FROM (SELECT DISTINCT ON (dataset) * FROM validation_runs ORDER BY dataset, created_at DESC) r
  LEFT JOIN validation_results e ON e.run_id = r.run_id
  GROUP BY r.run_id, r.dataset, r.month, r.status, r.created_at
  ORDER BY r.dataset`;

const ALERTS = `
  SELECT kind, severity, message, occurrences, first_seen, last_seen
  FROM alerts WHERE status = 'open'
  ORDER BY (severity = 'critical') DESC, last_seen DESC LIMIT 50`;

const LIVE_PERFORMANCE = `
  SELECT model_version, to_char(period_start, 'YYYY-MM-DD') AS period_start, predictions, labelled,
         roc_auc, reference_auc, auc_drop, status
  FROM live_performance
  WHERE period_start >= (SELECT max(period_start) FROM live_performance) - interval '12 months'
  ORDER BY period_start, model_version`;

const RETRAINING = `
  SELECT model_version, to_char(period_start, 'YYYY-MM-DD') AS period_start, reason, requested_at
  FROM retraining_requests WHERE status = 'open' ORDER BY requested_at DESC LIMIT 20`;

/**
 * Predictions per time bucket over the last 7 days with latency percentiles. The bucket follows the
 * span of the data (minutes for a fresh deployment, days for a week), so the chart is never one bar.
 */
const TRAFFIC = `
  WITH recent AS (SELECT created_at, latency_ms, request_id FROM predictions WHERE created_at > now() - interval '7 days'),
  span AS (SELECT max(created_at) - min(created_at) AS width FROM recent),
  bucket AS (
    SELECT CASE WHEN width < interval '3 hours' THEN 'minute' WHEN width < interval '3 days' THEN 'hour' ELSE 'day' END
      AS unit
    FROM span)
  SELECT (SELECT unit FROM bucket) AS unit,
         to_char(date_trunc((SELECT unit FROM bucket), created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS t,
         count(*)::int AS predictions,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50_ms,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95_ms
  FROM recent
  GROUP BY 2 ORDER BY 2`;

export async function dashboardData(db: Knex) {
  const [models, promotions, drift, validation, alerts, livePerformance, retraining, traffic] = await Promise.all([
    rows<Record<string, unknown>>(db, MODELS),
    rows<Record<string, unknown>>(db, PROMOTIONS),
    rows<{ as_of: string; feature: string; psi: number; severity: string }>(db, DRIFT),
    rows<Record<string, unknown>>(db, VALIDATION),
    rows<Record<string, unknown>>(db, ALERTS),
    rows<Record<string, unknown>>(db, LIVE_PERFORMANCE),
    rows<Record<string, unknown>>(db, RETRAINING),
    rows<TrafficPoint & { unit: string }>(db, TRAFFIC),
  ]);
  return {
    generated_at: new Date().toISOString(),
    models,
    promotions,
    drift,
    validation,
    alerts,
    live_performance: livePerformance,
    retraining_requests: retraining,
    traffic: {
      unit: traffic[0]?.unit ?? 'minute',
      points: traffic.map(({ unit: _unit, ...point }) => point),
    },
  };
}

export type DashboardData = Awaited<ReturnType<typeof dashboardData>>;
