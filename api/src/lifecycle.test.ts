import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PropelError } from '@propel/jobs/dist/errors';
import { useTestDatabase } from '../../jobs/test/database';
import { silent } from '../test/harness';
import { exportTestModel, modelPackage, promoteTestModel, registerTestModel } from '../test/models';
import { loadApiConfig } from './config';
import { startApi } from './lifecycle';
import type { ModelPackage } from './model/sources';

const BODY = { idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } };

/** The real model package, except that rows with attr_a 4 are scored slowly (a request to drain). */
const slowPackage: ModelPackage = {
  ...modelPackage,
  async loadModelFromDir(dir) {
    const model = await modelPackage.loadModelFromDir(dir);
    return {
      ...model,
      async predict(rows) {
        if (rows.some((r) => r.attr_a === 4)) await new Promise((r) => setTimeout(r, 400));
        return model.predict(rows);
      },
    };
  },
};

const post = (port: number, body: unknown) =>
  fetch(`http://127.0.0.1:${port}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('API lifecycle', () => {
  const testDb = useTestDatabase('api_lifecycle');

  it('when DATABASE_URL is set, then it serves the registry champion and switches on promotion (NOTIFY)', async () => {
    const { db, url } = testDb();
    await registerTestModel(db, 'champion-1');
    await registerTestModel(db, 'champion-2', { seed: 11, shift: 1 });
    await promoteTestModel(db, 'champion-1');
    // A poll interval far beyond the test: only LISTEN/NOTIFY can bring the new champion in time.
    const config = loadApiConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url, MODEL_POLL_SECONDS: '3600' });
    const api = await startApi(config, modelPackage, silent);
    try {
      const version = async () =>
        ((await (await post(api.port, BODY)).json()) as { model_version: string }).model_version;
      expect(await version()).toBe('champion-1');
      await promoteTestModel(db, 'champion-2');
      for (let i = 0; i < 100 && api.holder.current?.version !== 'champion-2'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await version()).toBe('champion-2');
      await api.stop('test');
      const logged = await db('predictions').orderBy('id').pluck('model_version');
      expect(logged).toEqual(['champion-1', 'champion-2']);
    } finally {
      await api.stop('cleanup');
    }
  });

  it('when MODEL_DIR is set and SIGTERM-like stop comes mid-request, then it finishes and the JSONL log is flushed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-api-life-'));
    const logFile = path.join(dir, 'predictions.jsonl');
    const config = loadApiConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MODEL_DIR: await exportTestModel(dir, 'dir-v1'),
      PREDICTION_LOG_FILE: logFile,
      PREDICTION_LOG_FLUSH_MS: '600000',
    });
    const api = await startApi(config, slowPackage, silent);
    try {
      expect((await fetch(`http://127.0.0.1:${api.port}/ready`)).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await post(api.port, BODY)).status).toBe(200);
      const slow = post(api.port, { ...BODY, features: { ...BODY.features, attr_a: 4 } });
      await new Promise((r) => setTimeout(r, 100));
      const stopped = api.stop('test');
      const reply = await slow;
      expect(reply.status).toBe(200);
      expect(((await reply.json()) as { model_version: string }).model_version).toBe('dir-v1');
      await stopped;
      await expect(post(api.port, BODY)).rejects.toThrow();
      const lines = fs
        .readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatchObject({ idx: 150000, model_version: 'dir-v1' });
      expect(lines[3].latency_ms).toBeGreaterThanOrEqual(400); // the slow request's scoring time
    } finally {
      await api.stop('cleanup');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when neither MODEL_DIR nor DATABASE_URL is set, then start-up fails naming MODEL_DIR', async () => {
    const config = loadApiConfig({ PORT: '0', HOST: '127.0.0.1', PREDICTION_LOG: 'off' });
    const error = await startApi(config, modelPackage, silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PropelError);
    expect((error as PropelError).context.setting).toBe('MODEL_DIR');
  });
});
