/**
 * The benchmark's API process: the real app (createApp, validation, feature assembly, prediction
 * log to a JSONL file, metrics) with a model trained at start-up, plus a bare Express route that
 * returns a constant, both in one process behind the same nginx. Prints "listening <port>".
 */
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { buildApp } from '../../../api/test/harness';
import { trainModel, trainedSource } from '../../../api/test/trained-model';
import { jsonlSink } from '../../../api/src/predictions/log';

async function main(): Promise<void> {
  const logFile = path.join(os.tmpdir(), `propel-bench-predictions-${process.pid}.jsonl`);
  const h = buildApp({
    source: trainedSource([trainModel('bench-v1')], 'bench-v1'),
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
    void h.log.close().then(() => process.exit(0));
  });
}

void main();
