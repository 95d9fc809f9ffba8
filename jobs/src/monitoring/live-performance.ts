/**
 * live-performance: the served model measured on what really happened. Logged predictions are joined
 * with their known outcome (feedback for that request, else the latest feedback for the customer,
 * else the customer's label) and judged per model version and period against the version's own
 * holdout ROC-AUC. A drop of LIVE_PERF_MAX_AUC_DROP or more marks the period degraded; for the
 * champion that raises an alert and opens a retraining request (the retraining trigger), which the
 * next promotion closes.
 */
import type { Db } from '../db/connection';
import { nothingToDo } from '../errors';
import type { Logger } from '../logging';
import { raiseAlert, type WebhookOptions } from '../quality/alerts';
import { CHAMPION, aliasVersion } from '../registry/registry';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export interface LivePerformanceOptions {
  period: Period;
  /** First day included (YYYY-MM-DD); default: the start of the period `periods - 1` periods ago. */
  since?: string;
  periods: number;
  maxAucDrop: number;
  minLabelled: number;
}

export interface PeriodPerformance {
  model_version: string;
  period_start: string;
  period_end: string;
  predictions: number;
  labelled: number;
  positives: number;
  roc_auc: number | null;
  log_loss: number | null;
  accuracy: number | null;
  reference_auc: number | null;
  auc_drop: number | null;
  status: 'ok' | 'degraded' | 'insufficient_data';
}

/** One (version, period) group, aggregated in PostgreSQL, before it is judged. */
type GroupRow = Omit<PeriodPerformance, 'auc_drop' | 'status'>;

const round = (x: number | null) => (x === null ? null : Math.round(x * 1e6) / 1e6);

/**
 * Every (version, period) of the window, aggregated where the rows are: counts, log loss, accuracy
 * and ROC-AUC as the Mann-Whitney statistic over average ranks (ties share their rank), so memory
 * does not grow with the prediction log. The outcome of a prediction: feedback for that request,
 * else the customer's latest feedback without a request id, else the customer's label.
 */
const GROUPS = `
  WITH outcome AS (
    SELECT p.model_version, date_trunc(:period, p.created_at) AS bucket, p.probability, p.label AS predicted,
           COALESCE(by_request.label, by_customer.label, l.label)::int AS actual
    FROM predictions p
    LEFT JOIN feedback by_request ON by_request.request_id = p.request_id AND by_request.idx = p.idx
    LEFT JOIN LATERAL (
      SELECT f.label FROM feedback f WHERE f.idx = p.idx AND f.request_id IS NULL
      ORDER BY f.received_at DESC, f.id DESC LIMIT 1
    ) by_customer ON true
    LEFT JOIN labels l ON l.idx = p.idx
    WHERE p.created_at >= COALESCE(
      CAST(:since AS date),
      date_trunc(:period, now()) - (CAST(:periods AS int) - 1) * ('1 ' || :period)::interval)
  ),
  ranked AS (
    SELECT model_version, bucket, probability, predicted, actual,
           rank() OVER (PARTITION BY model_version, bucket ORDER BY probability)
             + (count(*) OVER (PARTITION BY model_version, bucket, probability) - 1) / 2.0 AS average_rank
    FROM outcome WHERE actual IS NOT NULL
  ),
  labelled AS (
    SELECT model_version, bucket, count(*)::int AS labelled, count(*) FILTER (WHERE actual = 1)::int AS positives,
           sum(average_rank) FILTER (WHERE actual = 1) AS positive_ranks,
           avg(-ln(GREATEST(CASE WHEN actual = 1 THEN probability ELSE 1 - probability END, 1e-7))) AS log_loss,
           avg((predicted = actual)::int)::float8 AS accuracy
    FROM ranked GROUP BY model_version, bucket
  ),
  totals AS (SELECT model_version, bucket, count(*)::int AS predictions FROM outcome GROUP BY model_version, bucket)
  SELECT t.model_version,
         to_char(t.bucket, 'YYYY-MM-DD') AS period_start,
         to_char(t.bucket + ('1 ' || :period)::interval - interval '1 day', 'YYYY-MM-DD') AS period_end,
         t.predictions, COALESCE(l.labelled, 0) AS labelled, COALESCE(l.positives, 0) AS positives,
         CASE WHEN l.positives > 0 AND l.positives < l.labelled
              THEN ((l.positive_ranks - l.positives * (l.positives + 1) / 2.0)
                    / (l.positives::numeric * (l.labelled - l.positives)))::float8 END AS roc_auc,
         l.log_loss::float8 AS log_loss, l.accuracy,
         (v.metrics #>> '{holdout,roc_auc}')::float8 AS reference_auc
  FROM totals t
  LEFT JOIN labelled l ON l.model_version = t.model_version AND l.bucket = t.bucket
  LEFT JOIN model_versions v ON v.version = t.model_version
  ORDER BY t.model_version, t.bucket`;

/** Judges one (version, period): too few known outcomes (or one class) is not judged at all. */
function judge(group: GroupRow, options: LivePerformanceOptions): PeriodPerformance {
  const judgeable = group.labelled >= options.minLabelled && group.roc_auc !== null;
  const rocAuc = judgeable ? round(group.roc_auc) : null;
  const drop = rocAuc !== null && group.reference_auc !== null ? round(group.reference_auc - rocAuc) : null;
  return {
    ...group,
    roc_auc: rocAuc,
    log_loss: judgeable ? round(group.log_loss) : null,
    accuracy: judgeable ? round(group.accuracy) : null,
    auc_drop: drop,
    status: !judgeable ? 'insufficient_data' : drop !== null && drop >= options.maxAucDrop ? 'degraded' : 'ok',
  };
}

export async function measureLivePerformance(
  db: Db,
  options: LivePerformanceOptions,
  context: { runId: string; logger: Logger; webhook: WebhookOptions },
): Promise<{ periods: PeriodPerformance[]; champion: string | undefined; retraining_requested: string[] }> {
  const { rows } = await db.raw<{ rows: GroupRow[] }>(GROUPS, {
    period: options.period,
    since: options.since ?? null,
    periods: options.periods,
  });
  if (rows.length === 0) throw nothingToDo('no logged predictions in the window: nothing to measure');
  const periods = rows.map((group) => judge(group, options));
  const champion = await aliasVersion(db, CHAMPION);

  const requested: string[] = [];
  await db.transaction(async (trx) => {
    for (const p of periods) {
      await trx('live_performance')
        .insert({ ...p, run_id: context.runId, computed_at: trx.fn.now() })
        .onConflict(['model_version', 'period_start'])
        .merge();
      if (p.status === 'degraded' && p.model_version === champion) {
        await trx('retraining_requests')
          .insert({
            model_version: p.model_version,
            period_start: p.period_start,
            reason: `ROC-AUC ${p.roc_auc} on ${p.labelled} labelled predictions is ${p.auc_drop} below its holdout ${p.reference_auc}`,
            run_id: context.runId,
          })
          .onConflict(['model_version', 'period_start'])
          .ignore();
        requested.push(`${p.model_version} ${p.period_start}`);
      }
    }
  });
  // Alerts after the commit: a webhook call never holds the transaction open.
  for (const p of periods.filter((x) => x.status === 'degraded' && x.model_version === champion)) {
    await raiseAlert(
      db,
      {
        incidentKey: `live_performance:${p.model_version}:${p.period_start}`,
        kind: 'live_performance',
        severity: 'critical',
        message: `champion ${p.model_version} lost ${p.auc_drop} ROC-AUC in the ${options.period} from ${p.period_start} (${p.roc_auc} vs ${p.reference_auc} on its holdout): retraining requested`,
        details: { ...p },
      },
      context.webhook,
      context.logger,
    );
  }
  context.logger.info({ groups: periods.length, degraded: requested.length }, 'live performance measured');
  return { periods, champion, retraining_requested: requested };
}

/** The open retraining requests (the retraining-needed job's answer). */
export async function openRetrainingRequests(db: Db) {
  return (await db('retraining_requests')
    .where({ status: 'open' })
    .orderBy('requested_at')
    .select('model_version', 'period_start', 'reason')) as Array<{
    model_version: string;
    period_start: string;
    reason: string;
  }>;
}

/** Closes every open request: a new champion was promoted (`closedBy` = its version). */
export async function closeRetrainingRequests(db: Db, closedBy: string): Promise<number> {
  return db('retraining_requests').where({ status: 'open' }).update({ status: 'done', closed_by: closedBy });
}
