import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { useTestDatabase } from '../../test/database';
import { runJob } from '../cli/run';
import type { Db } from '../db/connection';
import { silentLogger } from '../logging';
import { rocAuc } from '../model/metrics';
import { livePerformanceJob, retrainingNeededJob } from './jobs';
import { measureLivePerformance, type LivePerformanceOptions } from './live-performance';

const OPTIONS: LivePerformanceOptions = {
  period: 'month',
  since: '2020-01-01',
  periods: 3,
  maxAucDrop: 0.05,
  minLabelled: 100,
};

/** A deterministic value in [0, 1) per integer: "random" scores that know nothing of the label. */
const noise = (i: number) => ((Math.imul(i + 1, 2654435761) >>> 0) % 10_000) / 10_000;
const actual = (idx: number) => (idx % 4 === 0 ? 1 : 0);

async function registerVersion(db: Db, version: string, holdoutAuc: number) {
  await db('model_versions').insert({
    version,
    kind: 'mlp',
    artifact: '{}',
    metrics: JSON.stringify({ holdout: { roc_auc: holdoutAuc } }),
    params: '{}',
    lineage: '{}',
  });
}

/** `n` logged predictions of `version` on `day`; `informed` scores follow the label, others are noise. */
async function logPredictions(db: Db, version: string, day: string, n: number, informed: boolean, firstIdx = 0) {
  const rows = Array.from({ length: n }, (_, i) => {
    const idx = firstIdx + i;
    const probability = informed ? 0.25 + 0.5 * actual(idx) + 0.2 * (noise(idx) - 0.5) : noise(idx);
    return {
      request_id: `${version}-${day}-${i}`,
      idx,
      model_version: version,
      probability,
      label: probability >= 0.5 ? 1 : 0,
      features: '{}',
      created_at: `${day}T12:00:00Z`,
    };
  });
  await db.batchInsert('predictions', rows, 500);
}

const context = (webhookUrl?: string) => ({
  runId: 'test',
  logger: silentLogger,
  webhook: { url: webhookUrl, timeoutMs: 500, retries: 0 },
});

describe('live-performance', () => {
  const testDb = useTestDatabase('live_performance');

  it('when nothing was predicted in the window, then there is nothing to measure (exit 99)', async () => {
    const outcome = await runJob(
      livePerformanceJob,
      { period: 'month', periods: '3', since: '2030-01-01' },
      { DATABASE_URL: testDb().url, LOG_LEVEL: 'silent' },
      () => undefined,
    );
    expect(outcome.exitCode).toBe(99);
    const gate = await runJob(
      retrainingNeededJob,
      {},
      { DATABASE_URL: testDb().url, LOG_LEVEL: 'silent' },
      () => undefined,
    );
    expect(gate.exitCode).toBe(99);
  });

  it('when --since is not a date, then it exits 2 naming the flag', async () => {
    const outcome = await runJob(
      livePerformanceJob,
      { period: 'month', periods: '3', since: '2020-13-01' },
      { DATABASE_URL: testDb().url, LOG_LEVEL: 'silent' },
      () => undefined,
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.summary.error).toMatchObject({ setting: '--since' });
  });

  describe('with a good January and a champion that lost its signal in February', () => {
    const received: string[] = [];
    let receiver: http.Server;

    beforeAll(async () => {
      const { db } = testDb();
      await db.batchInsert(
        'labels',
        Array.from({ length: 1000 }, (_, idx) => ({ idx, label: actual(idx) })),
        500,
      );
      await registerVersion(db, 'v-old', 0.8);
      await registerVersion(db, 'v-champion', 0.8);
      await db('model_aliases').insert({ alias: 'champion', version: 'v-champion' });
      await logPredictions(db, 'v-old', '2020-01-10', 400, true);
      await logPredictions(db, 'v-champion', '2020-01-20', 400, true);
      await logPredictions(db, 'v-champion', '2020-02-10', 400, false);
      await logPredictions(db, 'v-champion', '2020-03-05', 40, false);
      receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push(body);
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise((resolve) => receiver.close(resolve)));

    const url = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const stored = (db: Db) =>
      db('live_performance')
        .orderBy(['model_version', 'period_start'])
        .select(
          'model_version',
          db.raw(`to_char(period_start, 'YYYY-MM-DD') AS period_start`),
          db.raw(`to_char(period_end, 'YYYY-MM-DD') AS period_end`),
          'predictions',
          'labelled',
          'positives',
          'roc_auc',
          'log_loss',
          'accuracy',
          'reference_auc',
          'auc_drop',
          'status',
        );

    it('when measured, then each version and month is judged against its holdout ROC-AUC', async () => {
      const { db } = testDb();
      const result = await measureLivePerformance(db, OPTIONS, context(url()));
      const byKey = Object.fromEntries(result.periods.map((p) => [`${p.model_version} ${p.period_start}`, p]));
      expect(Object.keys(byKey).sort()).toEqual([
        'v-champion 2020-01-01',
        'v-champion 2020-02-01',
        'v-champion 2020-03-01',
        'v-old 2020-01-01',
      ]);
      expect(byKey['v-old 2020-01-01']).toMatchObject({
        status: 'ok',
        predictions: 400,
        labelled: 400,
        positives: 100,
      });
      expect(byKey['v-old 2020-01-01']?.roc_auc).toBeGreaterThan(0.9);
      // The SQL rank statistic agrees with the model package's ROC-AUC on the same rows (ties included).
      const february = await db('predictions as p')
        .join('labels as l', 'l.idx', 'p.idx')
        .where({ 'p.model_version': 'v-champion' })
        .whereBetween('p.created_at', ['2020-02-01', '2020-03-01'])
        .select('p.probability', 'l.label');
      const expected = rocAuc(
        february.map((r) => r.label),
        february.map((r) => r.probability),
      );
      expect(byKey['v-champion 2020-02-01']?.roc_auc).toBeCloseTo(expected, 6);
      expect(byKey['v-champion 2020-01-01']).toMatchObject({ status: 'ok', period_end: '2020-01-31' });
      const degraded = byKey['v-champion 2020-02-01'];
      expect(degraded).toMatchObject({ status: 'degraded', reference_auc: 0.8, period_end: '2020-02-29' });
      expect(degraded?.roc_auc).toBeGreaterThan(0.35);
      expect(degraded?.roc_auc).toBeLessThan(0.65);
      expect(degraded?.auc_drop).toBeCloseTo(0.8 - (degraded?.roc_auc as number), 6);
      expect(byKey['v-champion 2020-03-01']).toMatchObject({
        status: 'insufficient_data',
        labelled: 40,
        roc_auc: null,
      });

      expect(result.retraining_requested).toEqual(['v-champion 2020-02-01']);
      expect(await db('retraining_requests').select('model_version', 'status')).toEqual([
        { model_version: 'v-champion', status: 'open' },
      ]);
      const alerts = await db('alerts').where({ kind: 'live_performance' });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ severity: 'critical', incident_key: 'live_performance:v-champion:2020-02-01' });
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0] as string).text).toMatch(/v-champion lost .* ROC-AUC/);

      const gate = await runJob(
        retrainingNeededJob,
        {},
        { DATABASE_URL: testDb().url, LOG_LEVEL: 'silent' },
        () => undefined,
      );
      expect(gate.exitCode).toBe(0);
      expect(gate.summary.open).toEqual([expect.stringMatching(/^v-champion 2020-02-01: ROC-AUC/)]);
    });

    it('when run again on the same log, then the tables are identical and the incident is not posted twice', async () => {
      const { db } = testDb();
      const before = await stored(db);
      await measureLivePerformance(db, OPTIONS, context(url()));
      expect(await stored(db)).toEqual(before);
      expect(await db('retraining_requests').count({ n: '*' })).toEqual([{ n: 1 }]);
      expect(await db('alerts').where({ kind: 'live_performance' }).count({ n: '*' })).toEqual([{ n: 1 }]);
      expect(received).toHaveLength(1);
    });

    it('when feedback is known, then it wins over the label: for the request first, then for the customer', async () => {
      const { db } = testDb();
      // Customers 1, 2 and 3 have label 0; 2000 has no label at all.
      await db('predictions').insert(
        [1, 2, 3, 2000].map((idx) => ({
          request_id: `fb-${idx}`,
          idx,
          model_version: 'v-old',
          probability: 0.4,
          label: 0,
          features: '{}',
          created_at: '2020-04-02T00:00:00Z',
        })),
      );
      await db('feedback').insert([
        { idx: 1, label: 1, request_id: 'fb-1' },
        { idx: 2, label: 1, request_id: null },
        { idx: 3, label: 1, request_id: 'another-request' },
      ]);
      const result = await measureLivePerformance(db, { ...OPTIONS, minLabelled: 1 }, context());
      const april = result.periods.find((p) => p.model_version === 'v-old' && p.period_start === '2020-04-01');
      expect(april).toMatchObject({ predictions: 4, labelled: 3, positives: 2 });
    });
  });
});
