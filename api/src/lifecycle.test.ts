import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PropelError } from '@propel/jobs/dist/errors';
import { silent } from '../test/harness';
import { CHALLENGE, PURCHASE_DEFAULTS, trainModel } from '../test/trained-model';
import { loadApiConfig } from './config';
import { startApi } from './lifecycle';
import type { ModelPackage } from './model/sources';

const BODY = { idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } };

/** The model package's interface over a model trained in the test; idx 1 is scored slowly. */
function packageFor(version: string): ModelPackage {
  const model = trainModel(version);
  const slow = {
    ...model,
    version,
    async predict(rows: Parameters<typeof model.predict>[0]) {
      if (rows.some((r) => r.attr_a === 4)) await new Promise((r) => setTimeout(r, 400));
      return model.predict(rows);
    },
  };
  return {
    loadModelFromDir: async () => slow,
    loadModelFromRegistry: async () => {
      throw new Error('not used');
    },
    CHALLENGE_FEATURES: CHALLENGE,
    NO_PURCHASE_DEFAULTS: PURCHASE_DEFAULTS,
  };
}

const post = (port: number, body: unknown) =>
  fetch(`http://127.0.0.1:${port}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('API lifecycle', () => {
  it('when MODEL_DIR is set and SIGTERM-like stop comes mid-request, then it finishes and the JSONL log is flushed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-api-life-'));
    const logFile = path.join(dir, 'predictions.jsonl');
    const config = loadApiConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      MODEL_DIR: dir,
      PREDICTION_LOG_FILE: logFile,
      PREDICTION_LOG_FLUSH_MS: '600000',
    });
    const api = await startApi(config, packageFor('dir-v1'), silent);
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
    } finally {
      await api.stop('cleanup');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when neither MODEL_DIR nor DATABASE_URL is set, then start-up fails naming MODEL_DIR', async () => {
    const config = loadApiConfig({ PORT: '0', HOST: '127.0.0.1', PREDICTION_LOG: 'off' });
    const error = await startApi(config, packageFor('x'), silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PropelError);
    expect((error as PropelError).context.setting).toBe('MODEL_DIR');
  });
});
