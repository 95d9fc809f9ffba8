/**
 * promote --as-of: score the champion and the challenger on the same holdout rows of the as_of
 * snapshot; promote the challenger only if it passes the absolute gate (beats the prior baseline,
 * no critical validation failure of the features) and, when there is a champion, beats it by the
 * margin. Every decision is logged with both scores and the reason; a champion change is NOTIFYed.
 */
import type { Db } from '../db/connection';
import { nothingToDo } from '../errors';
import type { Logger } from '../logging';
import type { Month } from '../month';
import { closeRetrainingRequests } from '../monitoring/live-performance';
import { evaluate, fromArtifact, initBackend, predictRows, type BackendPreference, type Metrics } from '../model';
import {
  CHALLENGER,
  CHAMPION,
  aliasVersion,
  getVersion,
  logPromotion,
  setAlias,
  type VersionRow,
} from '../registry/registry';
import { labelledRows, snapshotRun } from './data';

export interface PromoteOptions {
  month: Month;
  /** The challenger must beat the champion's holdout ROC-AUC by this much. */
  margin: number;
  /** The challenger's ROC-AUC must exceed the prior's (0.5) by this much. */
  minAucLift: number;
  holdoutPercent: number;
  backend: BackendPreference;
  runId: string;
}

export interface PromoteResult {
  as_of: string;
  promoted: boolean;
  champion: string | null;
  previous_champion: string | null;
  challenger: string;
  champion_auc: number | null;
  challenger_auc: number;
  holdout_rows: number;
  reason: string;
}

async function holdoutMetrics(row: VersionRow, data: { rows: object[]; labels: number[] }): Promise<Metrics> {
  const model = await fromArtifact(row.artifact);
  try {
    const probs = await predictRows(model, row.artifact.head, data.rows);
    return evaluate(data.labels, probs, row.artifact.head.threshold, row.artifact.head.prior);
  } finally {
    model.dispose();
  }
}

/** A critical (failed) features validation at as_of blocks promotion; the table may not exist yet. */
async function failedValidation(db: Db, month: Month): Promise<string | undefined> {
  if (!(await db.schema.hasTable('validation_runs'))) return undefined;
  const row = (await db('validation_runs')
    .where({ dataset: 'features' })
    .whereIn('month', [month.start, month.end])
    .orderBy('created_at', 'desc')
    .first('run_id', 'status')) as { run_id: string; status: string } | undefined;
  return row?.status === 'failed' ? row.run_id : undefined;
}

export async function promote(db: Db, options: PromoteOptions, logger: Logger): Promise<PromoteResult> {
  const asOf = options.month.end;
  await snapshotRun(db, asOf);
  const championVersion = (await aliasVersion(db, CHAMPION)) ?? null;
  const challengerVersion = await aliasVersion(db, CHALLENGER);
  if (!challengerVersion) throw nothingToDo('no challenger to evaluate: run train first');
  if (challengerVersion === championVersion)
    throw nothingToDo(`the challenger ${challengerVersion} is already the champion`);
  const champion = championVersion ? await getVersion(db, championVersion) : undefined;
  const challenger = await getVersion(db, challengerVersion);
  if (!challenger) throw new Error(`challenger ${challengerVersion} is not in the registry`);
  const championAsOf = champion ? String(champion.lineage.as_of) : undefined;
  if (championAsOf && championAsOf >= asOf) {
    throw nothingToDo(`nothing newer than the champion's snapshot ${championAsOf}`);
  }
  const decided = await db('promotion_log').where({ challenger_version: challengerVersion, as_of: asOf }).first('id');
  if (decided) throw nothingToDo(`challenger ${challengerVersion} was already decided at ${asOf}`);

  await initBackend(options.backend, logger);
  const data = await labelledRows(db, [asOf], 'holdout', options.holdoutPercent);
  const challengerMetrics = await holdoutMetrics(challenger, data);
  const championMetrics = champion ? await holdoutMetrics(champion, data) : undefined;
  const blockedBy = await failedValidation(db, options.month);

  const cAuc = challengerMetrics.roc_auc;
  const priorLoss = challengerMetrics.baseline.log_loss;
  const reasons: string[] = [];
  if (data.labels.length === 0) reasons.push('the holdout has no labelled rows');
  if (blockedBy) reasons.push(`features validation failed at ${options.month.id} (run ${blockedBy})`);
  if (cAuc < 0.5 + options.minAucLift) {
    reasons.push(
      `challenger ROC-AUC ${cAuc.toFixed(4)} does not beat the prior baseline (0.5) by ${options.minAucLift}`,
    );
  }
  if (challengerMetrics.log_loss >= priorLoss) {
    reasons.push(
      `challenger log loss ${challengerMetrics.log_loss.toFixed(4)} is not below the prior's ${priorLoss.toFixed(4)}`,
    );
  }
  const gatePassed = reasons.length === 0;
  let promoted = false;
  let reason: string;
  if (!gatePassed) reason = `gate failed: ${reasons.join('; ')}`;
  else if (!championMetrics) {
    promoted = true;
    reason = `first model: gate passed (ROC-AUC ${cAuc.toFixed(4)} > prior 0.5, log loss below the prior's)`;
  } else if (cAuc >= championMetrics.roc_auc + options.margin) {
    promoted = true;
    reason = `challenger ROC-AUC ${cAuc.toFixed(4)} beats champion ${championMetrics.roc_auc.toFixed(4)} by at least ${options.margin}`;
  } else {
    reason = `challenger ROC-AUC ${cAuc.toFixed(4)} does not beat champion ${championMetrics.roc_auc.toFixed(4)} by ${options.margin}`;
  }
  const newChampion = promoted ? challengerVersion : championVersion;
  await db.transaction(async (trx) => {
    await logPromotion(trx, {
      action: promoted ? 'promote' : 'keep',
      as_of: asOf,
      champion_version: championVersion,
      challenger_version: challengerVersion,
      champion_auc: championMetrics?.roc_auc ?? null,
      challenger_auc: cAuc,
      prior_log_loss: priorLoss,
      challenger_log_loss: challengerMetrics.log_loss,
      holdout_rows: data.labels.length,
      decision: newChampion ?? 'none',
      reason,
      run_id: options.runId,
    });
    if (promoted) {
      await setAlias(trx, CHAMPION, challengerVersion);
      await closeRetrainingRequests(trx, challengerVersion); // a new model answers the requests
    }
  });
  logger.info({ promoted, champion: newChampion, reason }, promoted ? 'challenger promoted' : 'champion kept');
  return {
    as_of: asOf,
    promoted,
    champion: newChampion,
    previous_champion: championVersion,
    challenger: challengerVersion,
    champion_auc: championMetrics?.roc_auc ?? null,
    challenger_auc: cAuc,
    holdout_rows: data.labels.length,
    reason,
  };
}
