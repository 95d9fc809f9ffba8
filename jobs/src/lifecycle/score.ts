/**
 * score --as-of: the batch path. Loads the champion, reads the snapshot in keyset-paginated batches
 * (bounded memory), predicts, and replaces the month's scores in one transaction.
 */
import type { Db } from '../db/connection';
import { nothingToDo } from '../errors';
import type { Logger } from '../logging';
import type { Month } from '../month';
import { initBackend, type BackendPreference } from '../model';
import type { Progress } from '../progress';
import { CHAMPION, aliasVersion, loadModelFromRegistry } from '../registry/registry';
import { snapshotBatches, snapshotRun } from './data';

export interface ScoreOptions {
  month: Month;
  batchSize: number;
  backend: BackendPreference;
}

export async function score(
  db: Db,
  options: ScoreOptions,
  logger: Logger,
  progress?: (total: number) => Progress,
): Promise<{ as_of: string; model_version: string; rows: number }> {
  const asOf = options.month.end;
  const run = await snapshotRun(db, asOf);
  const championVersion = await aliasVersion(db, CHAMPION);
  if (!championVersion) throw nothingToDo('no champion to score with: train and promote first');
  await initBackend(options.backend, logger);
  const model = await loadModelFromRegistry(db, championVersion);
  const bar = progress?.(run.row_count);
  let rows = 0;
  try {
    await db.transaction(async (trx) => {
      await trx('scores').where({ as_of: asOf }).delete();
      for await (const batch of snapshotBatches(trx, asOf, options.batchSize)) {
        const probs = await model.predict(batch);
        await trx('scores').insert(
          batch.map((r, i) => ({
            as_of: asOf,
            idx: r.idx,
            probability: probs[i],
            label: r.label,
            model_version: championVersion,
          })),
        );
        rows += batch.length;
        bar?.tick(batch.length);
      }
    });
  } finally {
    bar?.done();
    model.dispose();
  }
  return { as_of: asOf, model_version: championVersion, rows };
}
