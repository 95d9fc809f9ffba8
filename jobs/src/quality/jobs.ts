/** CLI wrapper of the validate job. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { resolveMonthFlag } from '../db/loaded-months';
import { badInput } from '../errors';
import { webhookOptions } from './alerts';
import { measureDrift } from './drift';
import { validate } from './validate';

export const validateJob = defineJob({
  name: 'validate',
  description: 'Run the expectation suite of a dataset; a critical failure exits non-zero, a warning raises an alert',
  options: (c) =>
    c
      .requiredOption('--dataset <name>', 'clients | sales | features')
      .option('--month <YYYY-MM>', 'sales: the month to check (or latest)')
      .option('--as-of <YYYY-MM>', 'features: the snapshot month to check (or latest)'),
  schema: z.object({
    dataset: z.enum(['clients', 'sales', 'features']),
    month: z.string().optional(),
    asOf: z.string().optional(),
  }),
  async run({ db, config, runId, logger }, options) {
    const flag = options.dataset === 'sales' ? '--month' : '--as-of';
    const value = options.dataset === 'sales' ? options.month : options.asOf;
    if (options.dataset !== 'clients' && !value) {
      throw badInput(`${flag} is required with --dataset ${options.dataset}`, { setting: flag });
    }
    const month = value ? await resolveMonthFlag(db(), value, flag) : undefined;
    const report = await validate(db(), options.dataset, month, {
      runId,
      logger,
      webhook: webhookOptions(config),
    });
    return {
      validation_run: report.run_id,
      dataset: report.dataset,
      month: report.month,
      status: report.status,
      expectations: report.results.length,
      failed: report.results.filter((r) => !r.passed).map((r) => r.expectation),
    };
  },
});

export const driftJob = defineJob({
  name: 'drift',
  description:
    "PSI of every feature and of the champion's scores vs its training snapshot (exit 99 without a champion)",
  options: (c) => c.requiredOption('--as-of <YYYY-MM>', 'the snapshot month, or latest'),
  schema: z.object({ asOf: z.string() }),
  async run({ db, config, runId, logger }, { asOf }) {
    const month = await resolveMonthFlag(db(), asOf, '--as-of');
    const report = await measureDrift(db(), month, {
      runId,
      logger,
      webhook: webhookOptions(config),
      thresholds: { warn: config.driftPsiWarn, critical: config.driftPsiCritical },
      backend: config.modelBackend,
    });
    return {
      month: month.id,
      champion: report.champion,
      reference_as_of: report.reference_as_of,
      drifted: report.features.filter((f) => f.severity !== 'ok').map((f) => `${f.feature} ${f.psi}`),
    };
  },
});
