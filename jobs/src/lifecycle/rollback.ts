/** rollback --to V: point the champion alias at an earlier version, logged like a promotion. */
import type { Db } from '../db/connection';
import { badInput, nothingToDo } from '../errors';
import { CHAMPION, aliasVersion, getVersion, logPromotion, setAlias } from '../registry/registry';

export async function rollback(
  db: Db,
  to: string,
  runId: string,
): Promise<{ champion: string; previous: string | null }> {
  if (!(await getVersion(db, to))) throw badInput(`model version ${to} is not in the registry`, { field: '--to' });
  const previous = (await aliasVersion(db, CHAMPION)) ?? null;
  if (previous === to) throw nothingToDo(`${to} is already the champion`);
  await db.transaction(async (trx) => {
    await logPromotion(trx, {
      action: 'rollback',
      champion_version: previous,
      decision: to,
      reason: `rollback from ${previous ?? 'none'} to ${to}`,
      run_id: runId,
    });
    await setAlias(trx, CHAMPION, to);
  });
  return { champion: to, previous };
}
