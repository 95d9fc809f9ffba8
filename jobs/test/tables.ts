/** Table fingerprints for idempotency tests: row count and an order-independent checksum. */
import type { Db } from '../src/db/connection';

export interface Fingerprint {
  rows: number;
  md5: string | null;
}

export async function fingerprint(db: Db, table: string): Promise<Fingerprint> {
  const { rows } = await db.raw<{ rows: Array<{ rows: string; md5: string | null }> }>(
    `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${table} t`,
  );
  return { rows: Number(rows[0]?.rows), md5: rows[0]?.md5 ?? null };
}

/** Fingerprints of several tables at once, keyed by table name. */
export async function fingerprints(db: Db, tables: readonly string[]): Promise<Record<string, Fingerprint>> {
  const out: Record<string, Fingerprint> = {};
  for (const table of tables) out[table] = await fingerprint(db, table);
  return out;
}
