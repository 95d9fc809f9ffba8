/** CLI wrappers of the synthetic data jobs: generate, release-month, status. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import type { Config } from '../config';
import { badConfig } from '../errors';
import { openSource } from '../sources';
import { generate } from './generate';
import { readManifest } from './manifest';
import { defaultReleased } from './plan';
import { dataStatus, releaseNextMonth, statusTable } from './release';

/** The generator writes local directories only: an S3 source is read, never generated into. */
function localPaths(config: Config) {
  if (config.dataSource.startsWith('s3://')) {
    throw badConfig('DATA_SOURCE', `synth writes a local directory; got ${config.dataSource}`);
  }
  if (config.dataSource === config.dataPool) {
    throw badConfig('DATA_POOL', 'must differ from DATA_SOURCE (pending months are kept apart from released ones)');
  }
  return { source: config.dataSource, pool: config.dataPool, manifest: config.synthManifest };
}

const count = (min: number) => z.coerce.number().int().min(min);
const monthId = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

export const synthGenerateJob = defineJob({
  name: 'synth generate',
  description: 'Generate seeded synthetic challenge data: released months into DATA_SOURCE, the rest into DATA_POOL',
  options: (c) =>
    c
      .option('--customers <n>', 'number of customers (default 150000)')
      .option('--months <n>', 'number of monthly sales files (default 12)')
      .option('--start-month <YYYY-MM>', 'first month (default 2020-01)')
      .option('--sales-per-month <n>', 'mean sales rows per month; the real data has about 400 (default 400)')
      .option('--seed <n>', 'random seed: same seed and knobs give byte-identical files (default 42)')
      .option('--drift-month <YYYY-MM>', 'first month of the drifted regime (features and their mapping change)')
      .option('--released <n>', 'months released into the source now (default: all but 3, at least 1)'),
  schema: z
    .object({
      customers: count(10).max(50_000_000).default(150_000),
      months: count(1).max(600).default(12),
      startMonth: monthId.default('2020-01'),
      salesPerMonth: count(0).max(1_000_000_000).default(400),
      seed: count(0).max(0xffffffff).default(42),
      driftMonth: monthId.optional(),
      released: count(1).optional(),
    })
    .transform((o) => ({ ...o, released: o.released ?? defaultReleased(o.months) })),
  async run({ config, logger, progress }, knobs) {
    const paths = localPaths(config);
    const manifest = await generate(knobs, paths, progress({ label: 'synth generate', unit: 'rows' }));
    logger.info({ bayes_auc: manifest.bayes_auc, label_rate: manifest.label_rate }, 'synthetic data written');
    return {
      source: paths.source,
      pool: paths.pool,
      manifest: paths.manifest,
      rows: manifest.rows,
      released: manifest.months.filter((m) => m.released_at_generation).map((m) => m.month),
      pending: manifest.months.filter((m) => !m.released_at_generation).map((m) => m.month),
      label_rate: manifest.label_rate,
      bayes_auc: manifest.bayes_auc,
    };
  },
});

export const synthReleaseMonthJob = defineJob({
  name: 'synth release-month',
  description: 'Release the next pending month from DATA_POOL into DATA_SOURCE (exit 99 when none is left)',
  schema: z.object({}),
  async run({ config, logger }) {
    const paths = localPaths(config);
    const result = await releaseNextMonth(paths.source, paths.pool);
    logger.info(result, `released ${result.month} into ${paths.source}`);
    return { ...result };
  },
});

export const synthStatusJob = defineJob({
  name: 'synth status',
  description: 'Released vs pending months of the data source (a table on stderr, JSON on stdout)',
  schema: z.object({}),
  async run({ config }) {
    const manifest = await readManifest(config.synthManifest);
    const status = await dataStatus(openSource(config), config.dataPool, manifest);
    process.stderr.write(statusTable(status, manifest));
    return { ...status };
  },
});
