/**
 * build-features --as-of: the point-in-time snapshot of a month. Activity is the row valid on the
 * month's last day; sales count only up to that day; nothing dated later is read. Replaces the
 * month's snapshot in one transaction and records its row count and content hash.
 */
import type { Db } from '../db/connection';
import type { Month } from '../month';
import { RECENCY_CAP_DAYS, RECENT_MONTHS } from './schema';

export interface SnapshotResult {
  as_of: string;
  row_count: number;
  content_hash: string;
}

/**
 * `:end` is the month's last day. The activity row valid at `:end` is the latest one starting on or
 * before it and not ended before it (valid_to inclusive or exclusive, the newer row wins a tie).
 */
const SNAPSHOT = `
  INSERT INTO feature_snapshots
    (as_of, idx, attr_a, attr_b, scd_a, scd_b, recency_days, frequency, monetary, stores_visited, label)
  SELECT :end::date, p.idx, p.attr_a, p.attr_b, a.scd_a, a.scd_b,
         LEAST(COALESCE(:end::date - s.last_sale, :cap), :cap),
         COALESCE(s.frequency, 0), COALESCE(s.monetary, 0), COALESCE(s.stores_visited, 0),
         l.label
  FROM customer_profiles p
  LEFT JOIN labels l ON l.idx = p.idx
  LEFT JOIN LATERAL (
    SELECT ca.scd_a, ca.scd_b FROM customer_activity ca
    WHERE ca.idx = p.idx AND ca.valid_from <= :end::date AND (ca.valid_to IS NULL OR ca.valid_to >= :end::date)
    ORDER BY ca.valid_from DESC LIMIT 1
  ) a ON true
  LEFT JOIN (
    SELECT idx,
           max(date) AS last_sale,
           count(*) AS frequency,
           sum(value) AS monetary,
           count(DISTINCT store_idx) AS stores_visited
    FROM sales
    WHERE date > :window_start::date AND date <= :end::date
    GROUP BY idx
  ) s ON s.idx = p.idx`;

const HASH = `
  SELECT count(*)::int AS row_count,
         COALESCE(md5(string_agg(f::text, '|' ORDER BY f.idx)), md5('')) AS content_hash
  FROM feature_snapshots f WHERE as_of = ?`;

/** The day RECENT_MONTHS months before the month's end (exclusive start of the recent window). */
function windowStart(month: Month): string {
  const end = new Date(`${month.nextStart}T00:00:00Z`);
  end.setUTCMonth(end.getUTCMonth() - RECENT_MONTHS);
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export async function buildFeatures(db: Db, month: Month, runId: string): Promise<SnapshotResult> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`propel:build-features:${month.id}`]);
    await trx('feature_snapshots').where({ as_of: month.end }).delete();
    await trx.raw(SNAPSHOT, { end: month.end, cap: RECENCY_CAP_DAYS, window_start: windowStart(month) });
    const { rows } = await trx.raw<{ rows: Array<{ row_count: number; content_hash: string }> }>(HASH, [month.end]);
    const { row_count, content_hash } = rows[0] as { row_count: number; content_hash: string };
    await trx('feature_snapshot_runs')
      .insert({ as_of: month.end, row_count, content_hash, run_id: runId, built_at: trx.fn.now() })
      .onConflict('as_of')
      .merge();
    return { as_of: month.end, row_count, content_hash };
  });
}
