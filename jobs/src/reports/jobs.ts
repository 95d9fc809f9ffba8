/** CLI wrapper of the store report. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { buildStoreReport } from './store-report';

export const storeReportJob = defineJob({
  name: 'store-report',
  description: 'Average sale value and number of sales per store and month (table store_sales_report)',
  schema: z.object({}),
  async run({ db }) {
    const rows = await buildStoreReport(db());
    const lines = rows.map(
      (r) =>
        `${r.sale_month.slice(0, 7)}  ${r.location.padEnd(14)} ${String(r.sales_count).padStart(7)}  ${r.avg_value.toFixed(2).padStart(8)}`,
    );
    process.stderr.write(`month    store          sales  avg value\n${lines.join('\n')}\n`);
    return { rows: rows.length, months: new Set(rows.map((r) => r.sale_month)).size };
  },
});
