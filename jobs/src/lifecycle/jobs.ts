/** CLI wrappers of the model lifecycle: train, promote, rollback, score, export-model. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { resolveMonthFlag } from '../db/loaded-months';
import { MODEL_KINDS } from '../model';
import { exportRegistryModel } from '../registry/export-model';
import { promote } from './promote';
import { rollback } from './rollback';
import { score } from './score';
import { train } from './train';

const asOfOption = '--as-of <YYYY-MM>';
const asOfHelp = 'the snapshot month, or latest (the latest loaded sales month)';

export const trainJob = defineJob({
  name: 'train',
  description: 'Train a challenger on the feature snapshots up to a month and register it',
  options: (c) =>
    c
      .requiredOption(asOfOption, asOfHelp)
      .option('--kind <kind>', 'mlp or logreg', 'mlp')
      .option('--strategy <strategy>', 'retrain (from scratch) or finetune (the champion on the new month)', 'retrain')
      .option('--epochs <n>', 'training epochs', '8')
      .option('--batch-size <n>', 'training batch size', '512')
      .option('--seed <n>', 'random seed (initial weights, batch order)', '42')
      .option('--window-months <n>', 'retrain on this many snapshots up to as_of (0 = all)', '3')
      .option('--no-export', 'do not export the model to MODEL_EXPORT_DIR'),
  schema: z.object({
    asOf: z.string(),
    kind: z.enum(MODEL_KINDS as ['mlp', 'logreg']),
    strategy: z.enum(['retrain', 'finetune']),
    epochs: z.coerce.number().int().min(1).max(500),
    batchSize: z.coerce.number().int().min(1).max(65536),
    seed: z.coerce.number().int(),
    windowMonths: z.coerce.number().int().min(0),
    export: z.boolean(),
  }),
  async run({ db, runId, logger, config }, o) {
    const month = await resolveMonthFlag(db(), o.asOf, '--as-of');
    return {
      month: month.id,
      ...(await train(
        db(),
        {
          month,
          kind: o.kind,
          strategy: o.strategy,
          epochs: o.epochs,
          batchSize: o.batchSize,
          seed: o.seed,
          windowMonths: o.windowMonths,
          holdoutPercent: config.holdoutPercent,
          backend: config.modelBackend,
          exportDir: o.export ? config.modelExportDir : undefined,
          runId,
        },
        logger,
      )),
    };
  },
});

export const promoteJob = defineJob({
  name: 'promote',
  description: 'Compare the challenger with the champion on the holdout of a month; promote it if it wins',
  options: (c) => c.requiredOption(asOfOption, asOfHelp),
  schema: z.object({ asOf: z.string() }),
  async run({ db, runId, logger, config }, o) {
    const month = await resolveMonthFlag(db(), o.asOf, '--as-of');
    return {
      month: month.id,
      ...(await promote(
        db(),
        {
          month,
          margin: config.promotionMargin,
          minAucLift: config.promotionMinAucLift,
          holdoutPercent: config.holdoutPercent,
          backend: config.modelBackend,
          runId,
        },
        logger,
      )),
    };
  },
});

export const rollbackJob = defineJob({
  name: 'rollback',
  description: 'Make an earlier model version the champion again (logged)',
  options: (c) => c.requiredOption('--to <version>', 'the model version to serve'),
  schema: z.object({ to: z.string().min(1) }),
  async run({ db, runId }, o) {
    return rollback(db(), o.to, runId);
  },
});

export const exportModelJob = defineJob({
  name: 'export-model',
  description: 'Write the champion (or --version) from the registry to <out>/<version>/, for MODEL_DIR deployments',
  options: (c) =>
    c
      .option('--version <version>', 'the model version (default: the champion)')
      .option('--out <dir>', 'parent directory (default: MODEL_EXPORT_DIR)'),
  schema: z.object({ version: z.string().min(1).optional(), out: z.string().min(1).optional() }),
  async run({ db, config }, o) {
    return exportRegistryModel(db(), o.out ?? config.modelExportDir, o.version);
  },
});

export const scoreJob = defineJob({
  name: 'score',
  description: 'Score every customer of a month snapshot with the champion into the scores table',
  options: (c) =>
    c.requiredOption(asOfOption, asOfHelp).option('--batch-size <n>', 'rows per batch (bounds memory)', '5000'),
  schema: z.object({ asOf: z.string(), batchSize: z.coerce.number().int().min(1).max(10000) }),
  async run({ db, logger, config, progress }, o) {
    const month = await resolveMonthFlag(db(), o.asOf, '--as-of');
    return score(db(), { month, batchSize: o.batchSize, backend: config.modelBackend }, logger, (total) =>
      progress({ label: `score ${month.id}`, unit: 'rows', total }),
    );
  },
});
