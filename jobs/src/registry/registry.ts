/**
 * The model registry in Postgres: register a version, move aliases (champion, challenger), log
 * every decision (append-only), load a version, and read a dataset for notebooks.
 */
import type { Knex } from 'knex';
import { fromArtifact, wrapLoaded, type ArtifactMeta, type LoadedModel, type StoredArtifact } from '../model/artifact';
import { initBackend } from '../model/backend';

export const CHAMPION = 'champion';
export const CHALLENGER = 'challenger';
export const PROMOTED_CHANNEL = 'propel_model_promoted';

export interface VersionRow {
  version: string;
  kind: string;
  created_at: Date;
  artifact: StoredArtifact;
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
  lineage: Record<string, unknown>;
}

/** A sortable, timestamped version name, unique within the process. */
export function newVersion(kind: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d{3})Z$/, '$1Z');
  return `${stamp}-${kind}`;
}

export async function registerVersion(db: Knex, artifact: StoredArtifact, meta: ArtifactMeta): Promise<void> {
  await db('model_versions').insert({
    version: meta.version,
    kind: meta.kind,
    artifact: JSON.stringify(artifact),
    metrics: JSON.stringify(meta.metrics),
    params: JSON.stringify(meta.params),
    lineage: JSON.stringify({ ...meta.lineage, backend: meta.backend }),
  });
}

export async function aliasVersion(db: Knex, alias: string): Promise<string | undefined> {
  const row = (await db('model_aliases').where({ alias }).first('version')) as { version: string } | undefined;
  return row?.version;
}

/** Points `alias` at `version`; a champion change is announced with NOTIFY (in the same transaction). */
export async function setAlias(db: Knex, alias: string, version: string): Promise<void> {
  await db('model_aliases')
    .insert({ alias, version, updated_at: db.fn.now() })
    .onConflict('alias')
    .merge(['version', 'updated_at']);
  if (alias === CHAMPION) await db.raw('SELECT pg_notify(?, ?)', [PROMOTED_CHANNEL, version]);
}

export interface PromotionEntry {
  action: 'promote' | 'keep' | 'rollback';
  as_of?: string | null;
  champion_version?: string | null;
  challenger_version?: string | null;
  champion_auc?: number | null;
  challenger_auc?: number | null;
  prior_log_loss?: number | null;
  challenger_log_loss?: number | null;
  holdout_rows?: number | null;
  decision: string;
  reason: string;
  run_id?: string | null;
}

export async function logPromotion(db: Knex, entry: PromotionEntry): Promise<void> {
  await db('promotion_log').insert(entry);
}

export async function getVersion(db: Knex, version: string): Promise<VersionRow | undefined> {
  return (await db('model_versions').where({ version }).first()) as VersionRow | undefined;
}

export async function latestVersion(db: Knex): Promise<string | undefined> {
  const row = (await db('model_versions').orderBy('created_at', 'desc').orderBy('version', 'desc').first('version')) as
    { version: string } | undefined;
  return row?.version;
}

/** Loads `version`, or without one the champion, or without a champion the latest version. */
export async function loadModelFromRegistry(db: Knex, version?: string): Promise<LoadedModel> {
  const wanted = version ?? (await aliasVersion(db, CHAMPION)) ?? (await latestVersion(db));
  if (!wanted) throw new Error('the model registry has no model version');
  const row = await getVersion(db, wanted);
  if (!row) throw new Error(`model version ${wanted} is not in the registry`);
  await initBackend('auto');
  const model = await fromArtifact(row.artifact);
  return wrapLoaded(model, row.artifact.head, artifactMeta(row));
}

/** The metadata an exported or loaded model carries, from its registry row. */
export function artifactMeta(row: VersionRow): ArtifactMeta {
  return {
    version: row.version,
    kind: row.kind,
    backend: String(row.lineage.backend ?? ''),
    metrics: row.metrics,
    params: row.params,
    lineage: row.lineage,
  };
}

/** A dataset for notebooks: the latest feature_store, one snapshot, or sales of a month range. */
export async function readDataset(
  db: Knex,
  name: 'feature_store' | 'feature_snapshots' | 'sales' | 'scores',
  filter: { asOf?: string; fromMonth?: string; toMonth?: string } = {},
): Promise<Array<Record<string, unknown>>> {
  const query = db(name).select('*');
  if ((name === 'feature_snapshots' || name === 'scores') && filter.asOf) query.where({ as_of: filter.asOf });
  if (name === 'sales') {
    if (filter.fromMonth) query.where('sale_month', '>=', filter.fromMonth);
    if (filter.toMonth) query.where('sale_month', '<=', filter.toMonth);
  }
  return query.orderBy('idx');
}
