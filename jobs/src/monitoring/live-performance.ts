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
import { rocAuc } from '../model/metrics';
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

interface OutcomeRow {
  model_version: string;
  period_start: string;
  period_end: string;
  probability: number;
  predicted: number;
  actual: number | null;
  reference_auc: number | null;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Every logged prediction of the window with its outcome (null when none is known yet). */
async function outcomes(db: Db, options: LivePerformanceOptions): Promise<OutcomeRow[]> {
  const { rows } = await db.raw<{ rows: OutcomeRow[] }>(
    `SELECT p.model_version,
            to_char(date_trunc(:period, p.created_at), 'YYYY-MM-DD') AS period_start,
            to_char(date_trunc(:period, p.created_at) + ('1 ' || :period)::interval - interval '1 day', 'YYYY-MM-DD')
              AS period_end,
            p.probability,
            p.label AS predicted,
            COALESCE(by_request.label, by_customer.label, l.label)::int AS actual,
            (v.metrics #>> '{holdout,roc_auc}')::float8 AS reference_auc
     FROM predictions p
     LEFT JOIN feedback by_request ON by_request.request_id = p.request_id AND by_request.idx = p.idx
     LEFT JOIN LATERAL (
       SELECT f.label FROM feedback f WHERE f.idx = p.idx AND f.request_id IS NULL
       ORDER BY f.received_at DESC, f.id DESC LIMIT 1
     ) by_customer ON true
     LEFT JOIN labels l ON l.idx = p.idx
     LEFT JOIN model_versions v ON v.version = p.model_version
     WHERE p.created_at >= COALESCE(
       CAST(:since AS date),
       date_trunc(:period, now()) - (CAST(:periods AS int) - 1) * ('1 ' || :period)::interval)
     ORDER BY p.model_version, period_start, p.id`,
    { period: options.period, since: options.since ?? null, periods: options.periods },
  );
  return rows;
}

/** Judges one (version, period) group. */
function judge(group: OutcomeRow[], options: LivePerformanceOptions): PeriodPerformance {
  const first = group[0] as OutcomeRow;
  const known = group.filter((r) => r.actual !== null);
  const labels = known.map((r) => r.actual as number);
  const positives = labels.filter((y) => y === 1).length;
  const judgeable = known.length >= options.minLabelled && positives > 0 && positives < known.length;
  let rocAucValue: number | null = null;
  let logLoss: number | null = null;
  let accuracy: number | null = null;
  if (judgeable) {
    rocAucValue = round(
      rocAuc(
        labels,
        known.map((r) => r.probability),
      ),
    );
    const eps = 1e-7;
    logLoss = round(
      -known.reduce((sum, r) => {
        const p = Math.min(1 - eps, Math.max(eps, r.probability));
        return sum + (r.actual === 1 ? Math.log(p) : Math.log(1 - p));
      }, 0) / known.length,
    );
    accuracy = round(known.filter((r) => r.predicted === r.actual).length / known.length);
  }
  const reference = first.reference_auc;
  const drop = rocAucValue !== null && reference !== null ? round(reference - rocAucValue) : null;
  return {
    model_version: first.model_version,
    period_start: first.period_start,
    period_end: first.period_end,
    predictions: group.length,
    labelled: known.length,
    positives,
    roc_auc: rocAucValue,
    log_loss: logLoss,
    accuracy,
    reference_auc: reference,
    auc_drop: drop,
    status: !judgeable ? 'insufficient_data' : drop !== null && drop >= options.maxAucDrop ? 'degraded' : 'ok',
  };
}

export async function measureLivePerformance(
  db: Db,
  options: LivePerformanceOptions,
  context: { runId: string; logger: Logger; webhook: WebhookOptions },
): Promise<{ periods: PeriodPerformance[]; champion: string | undefined; retraining_requested: string[] }> {
  const rows = await outcomes(db, options);
  if (rows.length === 0) throw nothingToDo('no logged predictions in the window: nothing to measure');
  const groups = new Map<string, OutcomeRow[]>();
  for (const row of rows) {
    const key = `${row.model_version}\u0000${row.period_start}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const periods = [...groups.values()].map((group) => judge(group, options));
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
