/** CLI wrapper of build-features. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { resolveMonthFlag } from '../db/loaded-months';
import { buildFeatures } from './build';

export const buildFeaturesJob = defineJob({
  name: 'build-features',
  description:
    'Build the point-in-time feature snapshot of a month (YYYY-MM or latest); feature_store shows the latest',
  options: (c) =>
    c.requiredOption('--as-of <YYYY-MM>', 'the snapshot month, or latest (the latest loaded sales month)'),
  schema: z.object({ asOf: z.string() }),
  async run({ db, runId, logger }, { asOf }) {
    const month = await resolveMonthFlag(db(), asOf, '--as-of');
    const snapshot = await buildFeatures(db(), month, runId);
    logger.info(snapshot, `feature snapshot ${month.id} built`);
    return { month: month.id, ...snapshot };
  },
});
