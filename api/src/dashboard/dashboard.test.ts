import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { useTestDatabase } from '../../../jobs/test/database';
import { buildApp } from '../../test/harness';
import { exportTestModel, modelPackage } from '../../test/models';
import { directorySource } from '../model/sources';

describe('GET /dashboard', () => {
  const testDb = useTestDatabase('api_dashboard');
  let modelDir: string;
  const source = () => directorySource(modelPackage, modelDir);

  beforeAll(async () => {
    modelDir = await exportTestModel(fs.mkdtempSync(path.join(os.tmpdir(), 'propel-dash-')), 'v1');
    const { db } = testDb();
    const version = (v: string, asOf: string, auc: number) => ({
      version: v,
      created_at: `${asOf}T12:00:00Z`,
      kind: 'mlp',
      artifact: '{}',
      metrics: JSON.stringify({ holdout: { roc_auc: auc, log_loss: 0.3 }, train: { roc_auc: auc + 0.01 } }),
      params: '{}',
      lineage: JSON.stringify({ as_of: asOf, backend: 'wasm' }),
    });
    await db('model_versions').insert([version('m-jan', '2020-01-31', 0.71), version('m-feb', '2020-02-29', 0.74)]);
    await db('model_aliases').insert({ alias: 'champion', version: 'm-feb' });
    const decision = (asOf: string, champion: string | null, challenger: string, auc: [number | null, number]) => ({
      action: 'promote',
      as_of: asOf,
      champion_version: champion,
      challenger_version: challenger,
      champion_auc: auc[0],
      challenger_auc: auc[1],
      decision: challenger,
      reason: 'better',
    });
    await db('promotion_log').insert([
      decision('2020-01-31', null, 'm-jan', [null, 0.71]),
      decision('2020-02-29', 'm-jan', 'm-feb', [0.7, 0.74]),
    ]);
    await db('drift_reports').insert(
      ['scd_a', 'score'].flatMap((feature) =>
        ['2020-02-29', '2020-03-31'].map((asOf, i) => ({
          as_of: asOf,
          feature,
          reference_as_of: '2020-01-31',
          champion_version: 'm-jan',
          psi: i === 0 ? 0.02 : 0.3,
          severity: i === 0 ? 'ok' : 'critical',
          run_id: 'r',
        })),
      ),
    );
    await db('validation_runs').insert([
      { run_id: 'old', dataset: 'sales', month: '2020-02-01', status: 'passed', created_at: '2020-03-01T00:00:00Z' },
      { run_id: 'new', dataset: 'sales', month: '2020-03-01', status: 'failed', created_at: '2020-04-01T00:00:00Z' },
    ]);
    await db('validation_results').insert([
      {
        run_id: 'new',
        expectation: 'sales: dates inside the month',
        severity: 'critical',
        passed: false,
        observed: 3,
        threshold: '= 0',
      },
      {
        run_id: 'new',
        expectation: 'sales: unique key',
        severity: 'critical',
        passed: true,
        observed: 0,
        threshold: '= 0',
      },
    ]);
    await db('alerts').insert([
      { incident_key: 'a1', kind: 'drift', severity: 'critical', message: 'scd_a drifted', status: 'open' },
      { incident_key: 'a2', kind: 'drift', severity: 'warning', message: 'resolved one', status: 'resolved' },
    ]);
    await db('live_performance').insert({
      model_version: 'm-feb',
      period_start: '2020-04-01',
      period_end: '2020-04-30',
      predictions: 500,
      labelled: 400,
      positives: 40,
      roc_auc: 0.6,
      reference_auc: 0.74,
      auc_drop: 0.14,
      status: 'degraded',
      run_id: 'r',
    });
    await db('retraining_requests').insert({
      model_version: 'm-feb',
      period_start: '2020-04-01',
      reason: 'ROC-AUC dropped',
      run_id: 'r',
    });
    const now = Date.now();
    await db('predictions').insert(
      Array.from({ length: 30 }, (_, i) => ({
        request_id: `r${i}`,
        idx: i,
        model_version: 'm-feb',
        probability: 0.2,
        label: 0,
        features: '{}',
        created_at: new Date(now - (i % 3) * 60_000).toISOString(),
        latency_ms: i + 1,
      })),
    );
  });
  afterAll(() => fs.rmSync(path.dirname(modelDir), { recursive: true, force: true }));

  it('when the data is asked, then every panel gets its rows with the values stored', async () => {
    const h = buildApp({ source: source(), db: testDb().db });
    const res = await request(h.app).get('/dashboard/data.json').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = res.body;
    expect(data.models.map((m: { version: string; champion: boolean }) => [m.version, m.champion])).toEqual([
      ['m-feb', true],
      ['m-jan', false],
    ]);
    expect(data.models[0]).toMatchObject({ as_of: '2020-02-29', holdout_auc: 0.74, backend: 'wasm' });
    expect(data.promotions.map((p: { as_of: string; challenger_auc: number }) => [p.as_of, p.challenger_auc])).toEqual([
      ['2020-02-29', 0.74],
      ['2020-01-31', 0.71],
    ]);
    expect(data.drift).toHaveLength(4);
    expect(data.drift).toContainEqual(expect.objectContaining({ as_of: '2020-03-31', feature: 'score', psi: 0.3 }));
    expect(data.validation).toEqual([
      expect.objectContaining({
        dataset: 'sales',
        month: '2020-03-01',
        status: 'failed',
        expectations: 2,
        passed: 1,
        failures: [
          { expectation: 'sales: dates inside the month', severity: 'critical', observed: 3, threshold: '= 0' },
        ],
      }),
    ]);
    expect(data.alerts.map((a: { message: string }) => a.message)).toEqual(['scd_a drifted']);
    expect(data.live_performance).toEqual([
      expect.objectContaining({ model_version: 'm-feb', period_start: '2020-04-01', roc_auc: 0.6, status: 'degraded' }),
    ]);
    expect(data.retraining_requests).toEqual([
      expect.objectContaining({ model_version: 'm-feb', period_start: '2020-04-01' }),
    ]);
    expect(data.traffic.unit).toBe('minute');
    expect(data.traffic.points.map((p: { predictions: number }) => p.predictions)).toEqual([10, 10, 10]);
    const latest = data.traffic.points[2];
    expect(latest.p50_ms).toBeGreaterThan(0);
    expect(latest.p95_ms).toBeGreaterThanOrEqual(latest.p50_ms);
  });

  it('when the page is opened, then it and its script, style and chart library are served from the API', async () => {
    const h = buildApp({ source: source(), db: testDb().db });
    const page = await request(h.app).get('/dashboard').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<script src="/dashboard/vendor/chart.umd.min.js"></script>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const chart = await request(h.app).get('/dashboard/vendor/chart.umd.min.js').expect(200);
    expect(chart.headers['content-type']).toMatch(/javascript/);
    expect(chart.text).toMatch(/Chart\.js v4/);
    expect((await request(h.app).get('/dashboard/assets/dashboard.js').expect(200)).headers['content-type']).toMatch(
      /javascript/,
    );
    expect((await request(h.app).get('/dashboard/assets/dashboard.css').expect(200)).headers['content-type']).toMatch(
      /text\/css/,
    );
    await request(h.app).get('/dashboard/assets/../../package.json').expect(404);
  });

  it('when there is no database, then the page and its data answer 503 naming DATABASE_URL', async () => {
    const h = buildApp({ source: source() });
    const res = await request(h.app).get('/dashboard/data.json').expect(503);
    expect(res.body.error).toMatchObject({ code: 'NO_DATABASE', message: expect.stringMatching(/DATABASE_URL/) });
    await request(h.app).get('/dashboard').expect(503);
  });
});
