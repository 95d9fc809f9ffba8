/**
 * export-model: writes one registry version, the champion unless told otherwise, to
 * `<out>/<version>/`: the directory a deployment without database access serves (MODEL_DIR).
 */
import type { Knex } from 'knex';
import { badInput, nothingToDo } from '../errors';
import { exportArtifact } from '../model/artifact';
import { CHAMPION, aliasVersion, artifactMeta, getVersion } from './registry';

export async function exportRegistryModel(
  db: Knex,
  out: string,
  version?: string,
): Promise<{ version: string; champion: boolean; dir: string }> {
  const champion = await aliasVersion(db, CHAMPION);
  const wanted = version ?? champion;
  if (!wanted) throw nothingToDo('there is no champion to export yet');
  const row = await getVersion(db, wanted);
  if (!row) throw badInput(`model version ${wanted} is not in the registry`, { setting: '--version' });
  const dir = await exportArtifact(out, row.artifact, artifactMeta(row));
  return { version: row.version, champion: row.version === champion, dir };
}
