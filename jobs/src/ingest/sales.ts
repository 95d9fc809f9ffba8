/**
 * ingest-sales --month: one month's sales file replaces that month's rows of `sales` and its
 * monthly_sales rows, in one transaction. Other months are never touched.
 */
import type { Db } from '../db/connection';
import { badInput } from '../errors';
import type { Month } from '../month';
import type { Progress } from '../progress';
import type { DataSource } from '../sources';
import type { IngestResult } from './clients';
import { copyFile, type BadRowPolicy } from './copy-file';
import { salesFile } from './files';
import { countRows, inTransaction } from './transaction';

/** Sum of sale values per store for one month; a store missing from `stores` keeps its money. */
const MONTHLY_SALES = `
  INSERT INTO monthly_sales (store_idx, location, sale_month, value)
  SELECT s.store_idx, COALESCE(st.location, 'unknown store ' || s.store_idx), s.sale_month, sum(s.value)
  FROM sales s LEFT JOIN stores st ON st.idx = s.store_idx
  WHERE s.sale_month = $1
  GROUP BY s.store_idx, st.location, s.sale_month`;

export async function ingestSales(
  db: Db,
  source: DataSource,
  month: Month,
  options: { policy: BadRowPolicy; runId: string; progress?: Progress },
): Promise<IngestResult> {
  const spec = salesFile(month);
  if (!(await source.exists(spec.path))) {
    throw badInput(`no sales file for ${month.id}: expected ${source.locate(spec.path)}`, {
      file: source.locate(spec.path),
    });
  }
  return inTransaction(db, `propel:ingest-sales:${month.id}`, async (client) => {
    await client.query('DELETE FROM sales WHERE sale_month = $1', [month.start]);
    await client.query(`DELETE FROM rejected_rows WHERE dataset = 'sales' AND sale_month = $1`, [month.start]);
    const loaded = await copyFile(client, source, spec, {
      ...options,
      saleMonth: month.start,
      extraColumns: [{ name: 'sale_month', value: month.start }],
    });
    await client.query('DELETE FROM monthly_sales WHERE sale_month = $1', [month.start]);
    await client.query(MONTHLY_SALES, [month.start]);
    return {
      rows_read: loaded.rowsRead,
      rows_written: loaded.rowsWritten,
      rows_rejected: loaded.rowsRejected,
      tables: {
        sales: loaded.rowsWritten,
        monthly_sales: await countRows(client, 'monthly_sales', 'WHERE sale_month = $1', [month.start]),
      },
    };
  });
}
