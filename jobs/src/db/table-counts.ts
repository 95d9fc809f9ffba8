/** Row counts of every table in the public schema (what the demo prints at its end). */
import type { Db } from './connection';

export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const { rows } = await db.raw<{ rows: Array<{ tablename: string }> }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY tablename`,
  );
  const counts: Record<string, number> = {};
  for (const { tablename } of rows) {
    const [row] = (await db(tablename).count({ n: '*' })) as Array<{ n: string | number }>;
    counts[tablename] = Number(row?.n ?? 0);
  }
  return counts;
}
