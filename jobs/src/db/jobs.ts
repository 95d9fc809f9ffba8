/** CLI wrapper of the schema job. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { migrateDownAll, migrateLatest } from './migrate';
import { tableCounts } from './table-counts';

export const migrateJob = defineJob({
  name: 'migrate',
  description: 'Create or upgrade the companydata schema and its roles (idempotent)',
  options: (c) => c.option('--down', 'roll every migration back instead (drops the tables)', false),
  schema: z.object({ down: z.boolean().default(false) }),
  async run({ db, config, logger }, { down }) {
    if (down) {
      const rolledBack = await migrateDownAll(db());
      logger.warn({ rolledBack }, 'rolled back every migration');
      return { rolled_back: rolledBack.length };
    }
    const result = await migrateLatest(db(), {
      admin: config.adminPassword,
      ds_user: config.dsUserPassword,
      mle_user: config.mleUserPassword,
      analyst: config.analystPassword,
    });
    logger.info({ applied: result.applied }, `applied ${result.applied.length} migration(s)`);
    return { applied: result.applied.length, already_applied: result.alreadyApplied };
  },
});

export const tableCountsJob = defineJob({
  name: 'table-counts',
  description: 'Row count of every table of companydata (a table on stderr, JSON on stdout)',
  schema: z.object({}),
  async run({ db }) {
    const counts = await tableCounts(db());
    const width = Math.max(...Object.keys(counts).map((t) => t.length), 5);
    const lines = Object.entries(counts).map(([table, rows]) => `${table.padEnd(width)}  ${String(rows).padStart(10)}`);
    process.stderr.write(`${'table'.padEnd(width)}  ${'rows'.padStart(10)}\n${lines.join('\n')}\n`);
    return { tables: counts };
  },
});
