/** CLI wrappers of the ingest jobs. */
import type { Command } from 'commander';
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { parseMonth } from '../month';
import { openSource } from '../sources';
import { ingestClients } from './clients';
import { ingestSales } from './sales';

const badRowOptions = (c: Command) =>
  c
    .option(
      '--on-bad-rows <mode>',
      'fail: stop at the first bad row; quarantine: keep bad rows in rejected_rows',
      'fail',
    )
    .option('--max-bad-ratio <ratio>', 'quarantine: fail when more than this share of rows is bad', '0.01');

const badRowSchema = {
  onBadRows: z.enum(['fail', 'quarantine']).default('fail'),
  maxBadRatio: z.coerce.number().min(0).max(1).default(0.01),
};

const policyOf = (o: { onBadRows: 'fail' | 'quarantine'; maxBadRatio: number }) => ({
  mode: o.onBadRows,
  maxBadRatio: o.maxBadRatio,
});

export const ingestClientsJob = defineJob({
  name: 'ingest-clients',
  description: 'Load customer_profiles, customer_activity, labels and stores as-is, plus customer_activity_ranked',
  options: badRowOptions,
  schema: z.object(badRowSchema),
  async run({ db, config, runId, progress }, options) {
    const bar = progress({ label: 'ingest-clients', unit: 'rows' });
    try {
      return {
        ...(await ingestClients(db(), openSource(config), { policy: policyOf(options), runId, progress: bar })),
      };
    } finally {
      bar.done();
    }
  },
});

export const ingestSalesJob = defineJob({
  name: 'ingest-sales',
  description: "Replace one month of sales (sales/YYYY-MM-01/sales.csv) and that month's monthly_sales",
  options: (c) => badRowOptions(c.requiredOption('--month <YYYY-MM>', 'the month to load')),
  schema: z.object({ month: z.string(), ...badRowSchema }),
  async run({ db, config, runId, progress }, options) {
    const month = parseMonth(options.month);
    const bar = progress({ label: `ingest-sales ${month.id}`, unit: 'rows' });
    try {
      const result = await ingestSales(db(), openSource(config), month, {
        policy: policyOf(options),
        runId,
        progress: bar,
      });
      return { month: month.id, ...result };
    } finally {
      bar.done();
    }
  },
});
