/**
 * train --as-of: fit a challenger on the snapshot(s) up to as_of (holdout customers excluded),
 * register it with its lineage and point the `challenger` alias at it. `retrain` starts from
 * scratch on the last `windowMonths` snapshots; `finetune` continues the champion on the new month.
 * Idempotent: a challenger with the same snapshot, strategy and parameters is reused.
 */
import type { Db } from '../db/connection';
import type { Logger } from '../logging';
import type { Month } from '../month';
import {
  evaluate,
  fromArtifact,
  initBackend,
  toArtifact,
  trainModel,
  exportModel,
  type BackendPreference,
  type Metrics,
  type ModelKind,
} from '../model';
import {
  CHALLENGER,
  CHAMPION,
  aliasVersion,
  getVersion,
  newVersion,
  registerVersion,
  setAlias,
} from '../registry/registry';
import { predictRows } from '../model/model';
import { gitSha, labelledRows, snapshotMonths, snapshotRun } from './data';

/** JSON with sorted keys (jsonb does not keep key order). */
function canonical(value: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k] ?? null]),
  );
}

export type Strategy = 'retrain' | 'finetune';

export interface TrainOptions {
  month: Month;
  kind: ModelKind;
  strategy: Strategy;
  epochs: number;
  batchSize: number;
  seed: number;
  windowMonths: number;
  holdoutPercent: number;
  backend: BackendPreference;
  exportDir?: string;
  runId: string;
}

export interface TrainResult {
  version: string;
  reused: boolean;
  strategy: Strategy;
  kind: string;
  backend: string;
  train_rows: number;
  train_seconds: number;
  holdout: Pick<Metrics, 'rows' | 'roc_auc' | 'pr_auc' | 'log_loss' | 'brier' | 'ece'>;
  export_dir?: string;
}

export async function train(db: Db, options: TrainOptions, logger: Logger): Promise<TrainResult> {
  const asOf = options.month.end;
  const run = await snapshotRun(db, asOf);
  const backend = await initBackend(options.backend, logger);
  let strategy = options.strategy;
  const championVersion = await aliasVersion(db, CHAMPION);
  if (strategy === 'finetune' && !championVersion) {
    logger.info('finetune without a champion: retraining from scratch');
    strategy = 'retrain';
  }
  const months = strategy === 'finetune' ? [asOf] : await snapshotMonths(db, asOf, options.windowMonths);
  const params = {
    kind: options.kind,
    epochs: options.epochs,
    batch_size: options.batchSize,
    seed: options.seed,
    strategy,
    window_months: options.windowMonths,
    holdout_percent: options.holdoutPercent,
    from: strategy === 'finetune' ? championVersion : null,
  };
  const existing = await aliasVersion(db, CHALLENGER);
  if (existing) {
    const row = await getVersion(db, existing);
    const same =
      row?.lineage.as_of === asOf &&
      row.lineage.snapshot_hash === run.content_hash &&
      canonical(row.params) === canonical(params);
    if (row && same) {
      logger.info({ version: existing }, 'challenger for this snapshot and parameters exists: reused');
      const holdout = (row.metrics.holdout ?? {}) as TrainResult['holdout'];
      return {
        version: existing,
        reused: true,
        strategy,
        kind: row.kind,
        backend: String(row.lineage.backend),
        train_rows: Number(row.lineage.row_count),
        train_seconds: 0,
        holdout,
      };
    }
  }
  const data = await labelledRows(db, months, 'train', options.holdoutPercent);
  if (data.rows.length === 0) throw new Error(`no labelled training rows in snapshots ${months.join(', ')}`);
  let from;
  if (strategy === 'finetune' && championVersion) {
    const champion = await getVersion(db, championVersion);
    if (!champion) throw new Error(`champion ${championVersion} is not in the registry`);
    from = { model: await fromArtifact(champion.artifact), head: champion.artifact.head };
  }
  const started = process.hrtime.bigint();
  const trained = await trainModel({
    rows: data.rows,
    labels: data.labels,
    from,
    params: {
      kind: from ? from.head.kind : options.kind,
      epochs: options.epochs,
      batchSize: options.batchSize,
      seed: options.seed,
    },
    onEpoch: (epoch, loss) => logger.info({ epoch: epoch + 1, epochs: options.epochs, loss }, 'training'),
  });
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const holdoutRows = await labelledRows(db, [asOf], 'holdout', options.holdoutPercent);
  const probs = await predictRows(trained.model, trained.head, holdoutRows.rows);
  const holdoutMetrics = evaluate(holdoutRows.labels, probs, trained.head.threshold, trained.head.prior);
  const version = newVersion(trained.head.kind);
  const meta = {
    version,
    kind: trained.head.kind,
    backend,
    metrics: { train: trained.trainMetrics, holdout: holdoutMetrics },
    params,
    lineage: {
      as_of: asOf,
      months,
      row_count: data.rows.length,
      snapshot_hash: run.content_hash,
      git_sha: gitSha(),
      backend,
      run_id: options.runId,
      train_seconds: trainSeconds,
    },
  };
  const artifact = await toArtifact(trained.model, trained.head);
  await db.transaction(async (trx) => {
    await registerVersion(trx, artifact, meta);
    await setAlias(trx, CHALLENGER, version);
  });
  const exportDir = options.exportDir
    ? await exportModel(options.exportDir, trained.model, trained.head, meta)
    : undefined;
  trained.model.dispose();
  const { rows, roc_auc, pr_auc, log_loss, brier, ece } = holdoutMetrics;
  return {
    version,
    reused: false,
    strategy,
    kind: trained.head.kind,
    backend,
    train_rows: data.rows.length,
    train_seconds: trainSeconds,
    holdout: { rows, roc_auc, pr_auc, log_loss, brier, ece },
    export_dir: exportDir,
  };
}
