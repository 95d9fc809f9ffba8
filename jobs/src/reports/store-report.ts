/** store-report: average sale value and number of sales per store and month, rebuilt in one transaction. */
import type { Db } from '../db/connection';
import { nothingToDo } from '../errors';

export interface StoreReportRow {
  store_idx: number;
  location: string;
  sale_month: string;
  sales_count: number;
  avg_value: number;
  total_value: number;
}

const REPORT = `
  INSERT INTO store_sales_report (store_idx, location, sale_month, sales_count, avg_value, total_value)
  SELECT s.store_idx, COALESCE(st.location, 'unknown store ' || s.store_idx), s.sale_month,
         count(*), round(avg(s.value), 4), sum(s.value)
  FROM sales s LEFT JOIN stores st ON st.idx = s.store_idx
  GROUP BY s.store_idx, st.location, s.sale_month`;

export async function buildStoreReport(db: Db): Promise<StoreReportRow[]> {
  return db.transaction(async (trx) => {
    await trx.raw('DELETE FROM store_sales_report');
    await trx.raw(REPORT);
    const rows = (await trx('store_sales_report').select('*').orderBy(['sale_month', 'store_idx'])) as StoreReportRow[];
    if (rows.length === 0) throw nothingToDo('no sales are loaded: there is nothing to report');
    return rows;
  });
}
