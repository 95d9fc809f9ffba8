/**
 * The benchmark's API process: the real app (createApp, validation, feature assembly, prediction
 * log to a JSONL file, metrics) serving a model trained with the jobs' code at start-up and loaded
 * back from its exported directory (as MODEL_DIR deployments do), plus a bare Express route that
 * returns a constant, both in one process behind the same nginx. Prints "listening <port>".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { buildApp } from '../../../api/test/harness';
import { exportTestModel, modelPackage } from '../../../api/test/models';
import { directorySource } from '../../../api/src/model/sources';
import { jsonlSink } from '../../../api/src/predictions/log';

async function main(): Promise<void> {
  const logFile = path.join(os.tmpdir(), `propel-bench-predictions-${process.pid}.jsonl`);
  const modelRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-bench-model-'));
  const h = buildApp({
    source: directorySource(modelPackage, await exportTestModel(modelRoot, 'bench-v1')),
    sink: jsonlSink(logFile),
    maxBatch: 1000,
    maxQueue: 100_000,
  });
  await h.holder.refresh();
  const root = express();
  root.disable('x-powered-by');
  root.post('/bare', (_req, res) => {
    res.json({ label: 0, probability: 0.5, model_version: 'constant', request_id: 'constant' });
  });
  root.use(h.app);
  const server = root.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
    server.keepAliveTimeout = 65_000;
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    fs.rmSync(modelRoot, { recursive: true, force: true });
    void h.log.close().then(() => process.exit(0));
  });
}

void main();
