/**
 * ingest-clients: the four client files loaded as-is (customer_profiles, customer_activity,
 * labels, stores) and customer_activity_ranked, all replaced in one transaction.
 */
import type { Db } from '../db/connection';
import { badInput } from '../errors';
import type { Progress } from '../progress';
import type { DataSource } from '../sources';
import { copyFile, type BadRowPolicy } from './copy-file';
import { CLIENT_FILES } from './files';
import { countRows, inTransaction } from './transaction';

export interface IngestResult {
  rows_read: number;
  rows_written: number;
  rows_rejected: number;
  tables: Record<string, number>;
}

/** activity_rank 1 = the customer's latest row (latest valid_from; the open row first on a tie). */
const RANK_ACTIVITY = `
  INSERT INTO customer_activity_ranked (idx, valid_from, valid_to, scd_a, scd_b, activity_rank)
  SELECT idx, valid_from, valid_to, scd_a, scd_b,
         row_number() OVER (PARTITION BY idx ORDER BY valid_from DESC, valid_to DESC NULLS FIRST)
  FROM customer_activity`;

export async function ingestClients(
  db: Db,
  source: DataSource,
  options: { policy: BadRowPolicy; runId: string; progress?: Progress },
): Promise<IngestResult> {
  // Every file must be there before anything is replaced.
  for (const spec of CLIENT_FILES) {
    if (!(await source.exists(spec.path))) {
      throw badInput(`source file not found: expected ${source.locate(spec.path)}`, { file: source.locate(spec.path) });
    }
  }
  return inTransaction(db, 'propel:ingest-clients', async (client) => {
    const result: IngestResult = { rows_read: 0, rows_written: 0, rows_rejected: 0, tables: {} };
    await client.query('DELETE FROM customer_activity_ranked');
    await client.query('DELETE FROM rejected_rows WHERE dataset = ANY($1)', [CLIENT_FILES.map((f) => f.dataset)]);
    for (const spec of CLIENT_FILES) {
      await client.query(`DELETE FROM ${spec.table}`);
      const loaded = await copyFile(client, source, spec, { ...options });
      result.rows_read += loaded.rowsRead;
      result.rows_written += loaded.rowsWritten;
      result.rows_rejected += loaded.rowsRejected;
      result.tables[spec.table] = loaded.rowsWritten;
    }
    await client.query(RANK_ACTIVITY);
    result.tables.customer_activity_ranked = await countRows(client, 'customer_activity_ranked');
    return result;
  });
}
