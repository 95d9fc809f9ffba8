/** CLI wrappers of live monitoring: live-performance and the retraining gate. */
import { z } from 'zod';
import { defineJob } from '../cli/job';
import { nothingToDo } from '../errors';
import { webhookOptions } from '../quality/alerts';
import { PERIODS, measureLivePerformance, openRetrainingRequests } from './live-performance';

export const livePerformanceJob = defineJob({
  name: 'live-performance',
  description:
    'Logged predictions vs known outcomes per model version and period; a degraded champion raises an alert and requests retraining',
  options: (c) =>
    c
      .option('--period <period>', 'day | week | month', 'month')
      .option('--periods <n>', 'how many periods back to measure, the current one included', '3')
      .option('--since <YYYY-MM-DD>', 'measure predictions from this day on instead'),
  schema: z.object({
    period: z.enum(PERIODS),
    periods: z.coerce.number().int().min(1).max(1000),
    since: z.iso.date().optional(),
  }),
  async run({ db, config, runId, logger }, o) {
    const result = await measureLivePerformance(
      db(),
      { ...o, maxAucDrop: config.livePerfMaxAucDrop, minLabelled: config.livePerfMinLabelled },
      {
        runId,
        logger,
        webhook: webhookOptions(config),
      },
    );
    return {
      champion: result.champion ?? null,
      periods: result.periods.map(
        (p) => `${p.model_version} ${p.period_start} ${p.status} auc=${p.roc_auc ?? '-'} labelled=${p.labelled}`,
      ),
      retraining_requested: result.retraining_requested,
    };
  },
});

export const retrainingNeededJob = defineJob({
  name: 'retraining-needed',
  description: 'Exit 0 when a retraining request is open (the DAG then retrains), 99 when none is',
  options: (c) => c,
  schema: z.object({}),
  async run({ db }) {
    const open = await openRetrainingRequests(db());
    if (open.length === 0) throw nothingToDo('no open retraining request');
    return { open: open.map((r) => `${r.model_version} ${r.period_start}: ${r.reason}`) };
  },
});
