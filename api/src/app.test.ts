import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { connect } from '../../jobs/src/db/connection';
import { useTestDatabase } from '../../jobs/test/database';
import { buildApp, silent, type Harness } from '../test/harness';
import {
  NO_PURCHASE_DEFAULTS,
  exportTestModel,
  modelPackage,
  promoteTestModel,
  registerTestModel,
} from '../test/models';
import type { ServingModel } from './model/port';
import { directorySource, registrySource } from './model/sources';

const CHALLENGE_BODY = { idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } };

describe('prediction API (component, real database)', () => {
  const testDb = useTestDatabase('api');
  let h: Harness;
  let model: ServingModel;

  beforeAll(async () => {
    const { db, url } = testDb();
    await registerTestModel(db, 'v1');
    await promoteTestModel(db, 'v1');
    // An independent load of the champion, to compare the API's answers with.
    model = await modelPackage.loadModelFromRegistry(db, 'v1');
    // The real feature store: the latest snapshot of feature_snapshots.
    await db('feature_snapshots').insert({
      as_of: '2020-01-31',
      idx: 7,
      attr_a: 2,
      attr_b: 'a',
      scd_a: 0.9,
      scd_b: 4,
      label: 1,
      recency_days: 5,
      frequency: 8,
      monetary: 150,
      stores_visited: 2,
    });
    h = buildApp({ source: registrySource(modelPackage, db, url, silent), db, maxBatch: 3, bodyLimit: '2kb' });
    await h.holder.refresh();
  });

  it('when the challenge body is posted, then label, probability, model_version and request_id come back', async () => {
    const res = await request(h.app).post('/predict').send(CHALLENGE_BODY).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['label', 'model_version', 'probability', 'request_id']);
    const [expected] = await model.predict([{ ...NO_PURCHASE_DEFAULTS, ...CHALLENGE_BODY.features }]);
    expect(res.body.probability).toBeCloseTo(expected as number, 12);
    expect(res.body.label).toBe((expected as number) >= model.threshold ? 1 : 0);
    expect(res.body.model_version).toBe('v1');
    expect(res.body.request_id).toBe(res.headers['x-request-id']);
  });

  it('when nginx passes an X-Request-Id, then the response carries the same id', async () => {
    const res = await request(h.app).post('/predict').set('X-Request-Id', 'abc-123').send(CHALLENGE_BODY).expect(200);
    expect(res.body.request_id).toBe('abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('when a known idx is sent without features, then the stored features are scored; sent values win', async () => {
    const stored = {
      attr_a: 2,
      attr_b: 'a',
      scd_a: 0.9,
      scd_b: 4,
      recency_days: 5,
      frequency: 8,
      monetary: 150,
      stores_visited: 2,
    };
    const bare = await request(h.app).post('/predict').send({ idx: 7 }).expect(200);
    expect(bare.body.probability).toBeCloseTo((await model.predict([stored]))[0] as number, 12);
    const override = await request(h.app)
      .post('/predict')
      .send({ idx: 7, features: { scd_a: 0.1 } })
      .expect(200);
    expect(override.body.probability).toBeCloseTo((await model.predict([{ ...stored, scd_a: 0.1 }]))[0] as number, 12);
    expect(override.body.probability).not.toBeCloseTo(bare.body.probability, 6);
  });

  it('when an unknown idx misses challenge features, then the 400 names each missing one', async () => {
    const res = await request(h.app)
      .post('/predict')
      .send({ idx: 999, features: { attr_a: 1 } })
      .expect(400);
    expect(res.body.error.code).toBe('BAD_INPUT');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'features.attr_b',
      'features.scd_a',
      'features.scd_b',
    ]);
  });

  it('when a batch is posted, then every instance is scored with one model version', async () => {
    const res = await request(h.app)
      .post('/predict')
      .send({
        instances: [CHALLENGE_BODY, { idx: 7 }, { idx: 8, features: { attr_a: 5, attr_b: 'd', scd_a: 0.1, scd_b: 0 } }],
      })
      .expect(200);
    expect(res.body.model_version).toBe('v1');
    expect(res.body.predictions.map((p: { idx: number }) => p.idx)).toEqual([150000, 7, 8]);
    for (const p of res.body.predictions) expect(p.probability).toBeGreaterThanOrEqual(0);
  });

  it('when a batch is larger than MAX_BATCH or has a bad instance, then the 400 names the field', async () => {
    const big = await request(h.app)
      .post('/predict')
      .send({ instances: [CHALLENGE_BODY, CHALLENGE_BODY, CHALLENGE_BODY, CHALLENGE_BODY] });
    expect(big.status).toBe(400);
    expect(big.body.error.details[0].field).toBe('instances');
    const bad = await request(h.app)
      .post('/predict')
      .send({ instances: [CHALLENGE_BODY, { idx: 5, features: { attr_b: 3 } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['instances[1].features.attr_b']);
    const missing = await request(h.app)
      .post('/predict')
      .send({ instances: [{ idx: 1234 }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toHaveLength(4);
    expect(missing.body.error.details[0].field).toBe('instances[0].features.attr_a');
  });

  it('when several fields are wrong, then the 400 names every one of them and no stack trace', async () => {
    const res = await request(h.app)
      .post('/predict')
      .send({ idx: -1, features: { attr_a: 'x', attr_b: '', scd_a: 'high', colour: 'red' }, extra: 1 })
      .expect(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['extra', 'features.attr_a', 'features.attr_b', 'features.colour', 'features.scd_a', 'idx']);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('when idx is beyond the database integer range, then it is a 400 naming idx, not a failed lookup', async () => {
    const res = await request(h.app)
      .post('/predict')
      .send({ instances: [{ idx: 9007199254740990, features: {} }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('instances[0].idx');
  });

  it('when the body is not JSON, too large, of another type, or the route is unknown, then 400/413/415/404 as JSON', async () => {
    const badJson = await request(h.app).post('/predict').set('Content-Type', 'application/json').send('{"idx":');
    expect([badJson.status, badJson.body.error.code]).toEqual([400, 'BAD_INPUT']);
    const large = await request(h.app)
      .post('/predict')
      .send({ idx: 1, pad: 'x'.repeat(5000) });
    expect([large.status, large.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const text = await request(h.app).post('/predict').set('Content-Type', 'text/plain').send('idx=1');
    expect([text.status, text.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const none = await request(h.app).post('/nowhere').send({});
    expect([none.status, none.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const array = await request(h.app).post('/predict').send([1, 2]);
    expect(array.status).toBe(400);
  });

  it('when feedback is posted twice for one request id, then one row keeps the latest label', async () => {
    const first = await request(h.app).post('/feedback').send({ idx: 7, label: 0, request_id: 'r-1' }).expect(201);
    const second = await request(h.app).post('/feedback').send({ idx: 7, label: 1, request_id: 'r-1' }).expect(201);
    expect(second.body.id).toBe(first.body.id);
    const rows = await testDb().db('feedback').where({ request_id: 'r-1' });
    expect(rows.map((r) => r.label)).toEqual([1]);
    await request(h.app).post('/feedback').send({ idx: 7, label: 2 }).expect(400);
  });

  it('when predictions were served, then the log writes them in batches and /metrics counts them', async () => {
    const before = Number((await testDb().db('predictions').count({ n: '*' }))[0]?.n);
    await request(h.app).post('/predict').set('X-Request-Id', 'log-1').send(CHALLENGE_BODY).expect(200);
    await h.log.flush();
    const rows = await testDb().db('predictions').where({ request_id: 'log-1' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ idx: 150000, model_version: 'v1' });
    expect(rows[0].latency_ms).toBeGreaterThan(0);
    expect(rows[0].features).toMatchObject({ ...NO_PURCHASE_DEFAULTS, attr_b: 'c' });
    expect(Number((await testDb().db('predictions').count({ n: '*' }))[0]?.n)).toBeGreaterThan(before);
    const metrics = await request(h.app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/propel_predictions_total\{model_version="v1",mode="single"\} \d+/);
    expect(metrics.text).toMatch(/propel_model_loads_total\{outcome="loaded",version="v1"\} 1/);
    expect(metrics.text).toMatch(/propel_http_request_duration_seconds_bucket\{.*route="\/predict"/);
  });

  it('when /health, /ready and /models are asked, then they describe the served model', async () => {
    await request(h.app).get('/health').expect(200, { status: 'ok' });
    await request(h.app).get('/ready').expect(200, { status: 'ready', model_version: 'v1' });
    const models = await request(h.app).get('/models').expect(200);
    expect(models.body.serving).toMatchObject({ version: 'v1', kind: 'logreg', threshold: model.threshold });
    expect(models.body.serving.lineage).toMatchObject({ as_of: '2020-01-31' });
    expect(models.body.versions.map((v: { version: string }) => v.version)).toEqual(['v1']);
  });

  it('when the OpenAPI document is read, then it comes from the request schemas and matches the responses', async () => {
    const doc = (await request(h.app).get('/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    const schemas = doc.components.schemas;
    expect(schemas.PredictRequest.required).toEqual(['idx']);
    expect(schemas.PredictRequest.additionalProperties).toBe(false);
    expect(schemas.BatchPredictRequest.properties.instances.maxItems).toBe(3);
    const res = await request(h.app).post('/predict').send(CHALLENGE_BODY);
    expect(Object.keys(res.body).sort()).toEqual([...schemas.PredictResponse.required].sort());
    const error = await request(h.app).post('/predict').send({});
    expect(Object.keys(error.body.error).every((k) => k in schemas.Error.properties.error.properties)).toBe(true);
    const docs = await request(h.app).get('/docs').expect(200);
    expect(docs.text).toContain('/docs/assets/swagger-ui-bundle.js');
    await request(h.app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
  });
});

describe('prediction API without a model, keys and bugs', () => {
  const testDb = useTestDatabase('api_no_model');
  let modelDir: string;
  const exported = () => directorySource(modelPackage, modelDir);

  beforeAll(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-api-models-'));
    modelDir = await exportTestModel(root, 'v1');
  });
  afterAll(() => fs.rmSync(path.dirname(modelDir), { recursive: true, force: true }));

  it('when the registry has no champion yet, then /ready and /predict answer 503 and a valid request is not a 400', async () => {
    const { db, url } = testDb();
    const h = buildApp({ source: registrySource(modelPackage, db, url, silent) });
    await h.holder.refresh();
    const ready = await request(h.app).get('/ready').expect(503);
    expect(ready.body.error.code).toBe('NOT_READY');
    const predict = await request(h.app).post('/predict').send(CHALLENGE_BODY).expect(503);
    expect(predict.body.error.code).toBe('NO_MODEL');
    await request(h.app).post('/feedback').send({ idx: 1, label: 1 }).expect(503);
  });

  it('when the database is configured but unreachable, then /ready answers 503 naming it', async () => {
    const db = connect('postgres://nobody@127.0.0.1:1/none');
    try {
      const h = buildApp({ source: exported(), db });
      await h.holder.refresh();
      const res = await request(h.app).get('/ready').expect(503);
      expect(res.body.error.details).toEqual([{ field: 'database', message: 'unreachable' }]);
      await request(h.app).get('/health').expect(200);
    } finally {
      await db.destroy();
    }
  });

  it('when API_KEYS is set, then a missing or wrong key gets 401 and a listed key is served', async () => {
    const h = buildApp({ source: exported(), apiKeys: ['k-one', 'k-two'] });
    await h.holder.refresh();
    const missing = await request(h.app).post('/predict').send(CHALLENGE_BODY).expect(401);
    expect(missing.body.error.code).toBe('UNAUTHORIZED');
    await request(h.app).post('/predict').set('X-API-Key', 'nope').send(CHALLENGE_BODY).expect(401);
    await request(h.app).post('/predict').set('X-API-Key', 'k-two').send(CHALLENGE_BODY).expect(200);
    await request(h.app).post('/predict').set('Authorization', 'Bearer k-one').send(CHALLENGE_BODY).expect(200);
    await request(h.app).get('/models').expect(401);
    await request(h.app).get('/health').expect(200);
    const doc = (await request(h.app).get('/openapi.json').expect(200)).body;
    expect(doc.paths['/predict'].post.security).toEqual([{ apiKey: [] }]);
  });

  it('when the model fails on a row, then the client gets a 500 without internals and the request id', async () => {
    const source = exported();
    const load = source.load.bind(source);
    source.load = async (version) => ({
      ...(await load(version)),
      predict: async () => {
        throw new Error('tensor shape mismatch at /srv/x.ts:12');
      },
    });
    const h = buildApp({ source });
    await h.holder.refresh();
    const res = await request(h.app).post('/predict').set('X-Request-Id', 'bug-1').send(CHALLENGE_BODY).expect(500);
    expect(res.body.error).toEqual({ code: 'INTERNAL', message: 'internal error (request bug-1)' });
  });

  it('when the prediction log queue is full, then requests still succeed and the drops are counted', async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const h = buildApp({ source: exported(), maxQueue: 2, sink: { write: () => stuck } });
    await h.holder.refresh();
    for (let i = 0; i < 5; i++) await request(h.app).post('/predict').send(CHALLENGE_BODY).expect(200);
    const metrics = await request(h.app).get('/metrics');
    expect(metrics.text).toMatch(/propel_prediction_log_dropped_total\{reason="queue_full"\} 3/);
    release();
    await h.log.close();
  });
});
