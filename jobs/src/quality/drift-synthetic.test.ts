/**
 * Drift on the synthetic data's own drift month, through the real jobs: the generator switches to
 * its drifted regime from 2020-05; a champion trained on 2020-03 sees no drift in 2020-04 and sees
 * it in 2020-05, in the features and in its score distribution.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestDatabase } from '../../test/database';
import { runJob } from '../cli/run';
import type { JobDefinition } from '../cli/job';
import { buildFeaturesJob } from '../features/jobs';
import { ingestClientsJob, ingestSalesJob } from '../ingest/jobs';
import { promoteJob, trainJob } from '../lifecycle/jobs';
import { synthGenerateJob } from '../synth/jobs';
import { SCORE } from './drift';
import { driftJob } from './jobs';

const MONTHS = ['2020-01', '2020-02', '2020-03', '2020-04', '2020-05'];

describe('drift on synthetic data with a drift month', () => {
  const testDb = useTestDatabase('drift_synthetic');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-drift-synth-'));
  const env = () => ({
    DATABASE_URL: testDb().url,
    DATA_SOURCE: path.join(root, 'source'),
    DATA_POOL: path.join(root, 'pool'),
    SYNTH_MANIFEST: path.join(root, 'manifest.json'),
    LOG_LEVEL: 'silent',
  });
  const job = async (definition: JobDefinition, options: Record<string, unknown>) => {
    const outcome = await runJob(definition, options, env(), () => undefined);
    if (outcome.exitCode !== 0) throw new Error(`${definition.name}: ${JSON.stringify(outcome.summary)}`);
    return outcome.summary;
  };
  const drifted = async (month: string) =>
    ((await job(driftJob, { asOf: month })).drifted as string[]).map((d) => d.split(' ')[0]);

  beforeAll(async () => {
    await job(synthGenerateJob, { customers: '4000', months: '5', released: '5', seed: '5', driftMonth: '2020-05' });
    await job(ingestClientsJob, {});
    for (const month of MONTHS) {
      await job(ingestSalesJob, { month });
      await job(buildFeaturesJob, { asOf: month });
    }
    // The purchase features need their whole 3-month window: train once it is filled.
    await job(trainJob, {
      asOf: '2020-03',
      kind: 'mlp',
      strategy: 'retrain',
      epochs: '3',
      batchSize: '512',
      seed: '42',
      windowMonths: '3',
      export: false,
    });
    expect(await job(promoteJob, { asOf: '2020-03' })).toMatchObject({ promoted: true });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('when the month before the drift is compared with the training month, then nothing is flagged', async () => {
    expect(await drifted('2020-04')).toEqual([]);
  });

  it('when the drift month is compared, then the moved activity features and the score distribution are flagged', async () => {
    const flagged = await drifted('2020-05');
    expect(flagged).toEqual(expect.arrayContaining(['scd_a', 'scd_b', SCORE]));
    expect(flagged).not.toContain('attr_a'); // profiles do not change
    const { db } = testDb();
    const score = await db('drift_reports').where({ as_of: '2020-05-31', feature: SCORE }).first();
    expect(score).toMatchObject({ severity: 'critical', reference_as_of: '2020-03-31' });
  });
});
