/** Every job the CLI knows. A job named 'a b' becomes the subcommand b of a. */
import { migrateJob, tableCountsJob } from '../db/jobs';
import { buildFeaturesJob } from '../features/jobs';
import { ingestClientsJob, ingestSalesJob } from '../ingest/jobs';
import { exportModelJob, promoteJob, rollbackJob, scoreJob, trainJob } from '../lifecycle/jobs';
import { livePerformanceJob, retrainingNeededJob } from '../monitoring/jobs';
import { driftJob, validateJob } from '../quality/jobs';
import { storeReportJob } from '../reports/jobs';
import { synthGenerateJob, synthReleaseMonthJob, synthStatusJob } from '../synth/jobs';
import type { JobDefinition } from './job';

export const jobs: JobDefinition[] = [
  migrateJob,
  tableCountsJob,
  ingestClientsJob,
  ingestSalesJob,
  validateJob,
  driftJob,
  livePerformanceJob,
  retrainingNeededJob,
  storeReportJob,
  buildFeaturesJob,
  trainJob,
  promoteJob,
  rollbackJob,
  scoreJob,
  exportModelJob,
  synthGenerateJob,
  synthReleaseMonthJob,
  synthStatusJob,
];
