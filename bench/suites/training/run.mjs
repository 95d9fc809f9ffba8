// Times training per backend on the same in-memory rows, then writes bench/results/training.json with
// the champion-vs-Bayes result of training.sh's pipeline run (train.json / promote.json in WORK).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const model = require(path.join(root, 'jobs', 'dist', 'model'));
const work = process.argv[2];
const ROWS = 100_000;
const EPOCHS = 2;

/** Deterministic rows with a signal in attr_b and scd_a (xorshift, no Math.random). */
function rows(n) {
  let s = 12345;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const out = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const attrB = 'abcd'[i % 4];
    const scdA = next();
    out.push({
      attr_a: (i % 5) + 1,
      attr_b: attrB,
      scd_a: scdA,
      scd_b: (i % 3) + 1,
      recency_days: Math.floor(next() * 365),
      frequency: i % 4,
      monetary: next() * 30,
      stores_visited: i % 3,
    });
    labels.push(next() < 1 / (1 + Math.exp(-(-2 + (attrB === 'a' ? 1 : 0) + 2 * (scdA - 0.5)))) ? 1 : 0);
  }
  return { rows: out, labels };
}

const data = rows(ROWS);
const timings = [];
for (const backend of ['node', 'wasm', 'cpu']) {
  try {
    await model.initBackend(backend);
  } catch {
    timings.push({ backend, loaded: false });
    continue;
  }
  const started = process.hrtime.bigint();
  const trained = await model.trainModel({ ...data, params: { epochs: EPOCHS, seed: 1 } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  trained.model.dispose();
  timings.push({ backend, loaded: true, seconds, perEpoch: seconds / EPOCHS, auc: trained.trainMetrics.roc_auc });
  process.stderr.write(`training bench: ${backend} ${seconds.toFixed(1)} s for ${EPOCHS} epochs on ${ROWS} rows\n`);
}
const loaded = timings.filter((t) => t.loaded);
const fastest = Math.min(...loaded.map((t) => t.perEpoch));

const lastLine = (file) => JSON.parse(readFileSync(path.join(work, file), 'utf8').trim().split('\n').pop());
const train = lastLine('train.json');
const promote = lastLine('promote.json');
const manifest = JSON.parse(readFileSync(path.join(work, 'manifest.json'), 'utf8'));

const result = {
  name: 'training',
  title: 'Training: time per 100k rows by TensorFlow.js backend, and the champion vs the Bayes-optimal AUC',
  command: 'make bench (BENCH_SUITES=training bash bench/run.sh)',
  measured_at: new Date().toISOString().slice(0, 10),
  columns: ['measurement', 'backend', 'value', 'unit', 'ratio'],
  rows: [
    ...timings.map((t) =>
      t.loaded
        ? [
            `mlp training, ${EPOCHS} epochs on 100k rows, per epoch`,
            t.backend,
            Number(t.perEpoch.toFixed(2)),
            's / 100k rows / epoch',
            Number((t.perEpoch / fastest).toFixed(2)),
          ]
        : ['mlp training', t.backend, 'did not load', '', ''],
    ),
    [
      'champion holdout ROC-AUC (default synthetic data)',
      train.backend,
      Number(train.holdout.roc_auc.toFixed(4)),
      'AUC',
      Number((train.holdout.roc_auc / manifest.bayes_auc).toFixed(3)),
    ],
    ['generator Bayes-optimal ROC-AUC', '-', Number(manifest.bayes_auc.toFixed(4)), 'AUC', 1],
    ['champion calibration error (ECE, 10 bins, holdout)', train.backend, Number(train.holdout.ece.toFixed(4)), '', ''],
    ['champion holdout log loss', train.backend, Number(train.holdout.log_loss.toFixed(4)), '', ''],
  ],
  notes: [
    'ratio: time relative to the fastest backend that loaded for the timing rows; champion AUC / Bayes AUC for the AUC row.',
    `Timing: the same ${ROWS} deterministic rows, default mlp (16 relu units), batch 512, class weights, on each backend in one process; tfjs-node is an optional dependency that does not install on this machine.`,
    `Champion: synth generate defaults (${manifest.knobs?.customers ?? 'default'} customers), every released month ingested and snapshotted, train --as-of latest (mlp, 3-month window, holdout excluded), promote: ${promote.reason ?? promote.message}.`,
  ],
};
writeFileSync(path.join(root, 'bench', 'results', 'training.json'), `${JSON.stringify(result, null, 2)}\n`);
