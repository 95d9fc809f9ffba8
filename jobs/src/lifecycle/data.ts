/**
 * Rows for training, evaluation and scoring, read from feature_snapshots. The holdout is a stable
 * hash of idx: the same customers are held out in every month and never trained on.
 */
import { execFileSync } from 'node:child_process';
import type { Db } from '../db/connection';
import { badInput } from '../errors';
import { FEATURE_COLUMNS } from '../features/schema';
import type { InputRow } from '../model';

export interface LabelledRows {
  idx: number[];
  rows: InputRow[];
  labels: number[];
}

/** 32-bit FNV-1a of `holdout:<idx>`, in [0, 100): stable across runs, machines and versions. */
export function holdoutBucket(idx: number): number {
  const text = `holdout:${idx}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 100;
}

export const isHoldout = (idx: number, percent: number): boolean => holdoutBucket(idx) < percent;

export interface SnapshotRun {
  as_of: string;
  row_count: number;
  content_hash: string;
}

/** The build record of the snapshot at `asOf`; a missing snapshot is bad input (build it first). */
export async function snapshotRun(db: Db, asOf: string): Promise<SnapshotRun> {
  const run = (await db('feature_snapshot_runs').where({ as_of: asOf }).first('as_of', 'row_count', 'content_hash')) as
    SnapshotRun | undefined;
  if (!run) throw badInput(`no feature snapshot at ${asOf}: run build-features --as-of first`, { field: 'as_of' });
  return run;
}

/** Labelled rows of the snapshots `asOfs`, split by the holdout: 'train' excludes it, 'holdout' keeps only it. */
export async function labelledRows(
  db: Db,
  asOfs: readonly string[],
  part: 'train' | 'holdout',
  holdoutPercent: number,
): Promise<LabelledRows> {
  const raw = (await db('feature_snapshots')
    .select('idx', 'label', ...FEATURE_COLUMNS)
    .whereIn('as_of', asOfs)
    .whereNotNull('label')
    .orderBy(['as_of', 'idx'])) as Array<InputRow & { idx: number; label: number }>;
  const out: LabelledRows = { idx: [], rows: [], labels: [] };
  for (const { idx, label, ...features } of raw) {
    if (isHoldout(idx, holdoutPercent) !== (part === 'holdout')) continue;
    out.idx.push(idx);
    out.rows.push(features);
    out.labels.push(label);
  }
  return out;
}

/** Snapshot months up to `asOf`, newest first, at most `months` of them (0 = all). */
export async function snapshotMonths(db: Db, asOf: string, months: number): Promise<string[]> {
  const query = db('feature_snapshot_runs').where('as_of', '<=', asOf).orderBy('as_of', 'desc').pluck('as_of');
  if (months > 0) query.limit(months);
  return (await query) as string[];
}

/** The commit the code runs from (lineage); 'unknown' outside a git checkout. */
export function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export type SnapshotRow = InputRow & { idx: number; label: number | null };

/** The rows of one snapshot in idx order, `batchSize` at a time (keyset pagination: bounded memory). */
export async function* snapshotBatches(db: Db, asOf: string, batchSize: number): AsyncGenerator<SnapshotRow[]> {
  let after = -1;
  for (;;) {
    const batch = (await db('feature_snapshots')
      .select('idx', 'label', ...FEATURE_COLUMNS)
      .where({ as_of: asOf })
      .andWhere('idx', '>', after)
      .orderBy('idx')
      .limit(batchSize)) as SnapshotRow[];
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1]?.idx ?? after;
  }
}
