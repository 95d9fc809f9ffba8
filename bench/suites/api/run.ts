/**
 * API benchmark (make bench): requests/s and p50/p99 of single /predict through nginx, side by side
 * with a bare Express route in the same process through the same nginx, with the Flask + gunicorn +
 * scikit-learn peer through an nginx of the same config, and rows/s of batch scoring. Ratios, not
 * absolute thresholds: the numbers depend on the machine. Writes bench/results/api.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../../jobs/src/db/embedded';
import { startNginx, type RunningNginx } from '../../../api/test/nginx';

const ROOT = path.resolve(path.dirname(require.resolve('@propel/api/package.json')), '..');
const DURATION = Number(process.env.BENCH_API_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_API_CONNECTIONS ?? 16);
const BATCH = 100;
const SINGLE = JSON.stringify({ idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } });
const BATCH_BODY = JSON.stringify({
  instances: Array.from({ length: BATCH }, (_, i) => ({
    idx: 200000 + i,
    features: { attr_a: 1 + (i % 5), attr_b: 'abcd'[i % 4], scd_a: (i % 100) / 100, scd_b: i % 5 },
  })),
});

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function start(command: string, args: string[], ready: RegExp, cwd = ROOT): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} exited ${code}: ${output.slice(-2000)}`)));
  });
}

function autocannon(url: string, body: string): Promise<Load> {
  const bin = path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [bin, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION), '-m', 'POST'];
  args.push('-H', 'content-type=application/json', '-b', body, url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const r = JSON.parse(out) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const proxies: RunningNginx[] = [];
  try {
    const apiPort = await freePort();
    children.push(await start(process.execPath, [path.join(__dirname, 'serve.js'), String(apiPort)], /listening \d+/));
    const peerPort = await freePort();
    const gunicorn = path.join(ROOT, 'bench', 'work', 'peer-venv', 'bin', 'gunicorn');
    const peerArgs = [
      '-w',
      '2',
      '-b',
      `127.0.0.1:${peerPort}`,
      '--chdir',
      path.join(ROOT, 'bench', 'peers', 'flask_sklearn'),
    ];
    children.push(await start(gunicorn, [...peerArgs, 'app:app'], /Booting worker/));
    const api = await startNginx({ upstream: `127.0.0.1:${apiPort}`, exemptLoopback: true });
    const peer = await startNginx({ upstream: `127.0.0.1:${peerPort}`, exemptLoopback: true });
    proxies.push(api, peer);
    await new Promise((r) => setTimeout(r, 1500)); // gunicorn's second worker, model fitted

    const runs: Array<[string, Load, number]> = [];
    for (const [label, url, body, rows] of [
      ['Propel POST /predict (single)', `${api.httpUrl}/predict`, SINGLE, 1],
      ['bare Express route (constant)', `${api.httpUrl}/bare`, SINGLE, 1],
      ['Flask + gunicorn + scikit-learn peer', `${peer.httpUrl}/predict`, SINGLE, 1],
      [`Propel POST /predict (batch of ${BATCH})`, `${api.httpUrl}/predict`, BATCH_BODY, BATCH],
    ] as const) {
      await autocannon(url, body); // warm-up run, discarded
      const load = await autocannon(url, body);
      // Failed requests are answered fast (a 429 or a 502): their throughput would be no measurement.
      if (load.non2xx + load.errors > 0) {
        throw new Error(`${label}: ${load.non2xx} non-2xx answers and ${load.errors} errors: not a valid run`);
      }
      process.stderr.write(`api bench: ${label}: ${load.rps.toFixed(0)} req/s p50 ${load.p50} ms p99 ${load.p99} ms\n`);
      runs.push([label, load, rows]);
    }
    const propel = runs[0]?.[1] as Load;
    const rows = runs.map(([label, load, perRequest]) => [
      label,
      Math.round(load.rps),
      Math.round(load.rps * perRequest),
      load.p50,
      load.p99,
      perRequest === 1 ? Number((load.rps / propel.rps).toFixed(2)) : '—',
      load.non2xx + load.errors,
    ]);
    const result = {
      name: 'api',
      title: 'Prediction API through nginx: Propel vs a bare Express route vs a Flask/gunicorn/scikit-learn peer',
      command: 'bash bench/suites/api.sh',
      measured_at: new Date().toISOString(),
      columns: ['target', 'requests/s', 'rows/s', 'p50 ms', 'p99 ms', 'requests/s ÷ Propel single', 'failed'],
      rows,
      notes: [
        `autocannon, ${CONNECTIONS} connections, ${DURATION} s per run after a discarded warm-up run, all on loopback on this machine.`,
        'Each target sits behind nginx rendered from nginx/*.template (loopback exempt from the /predict rate limit).',
        'Propel and the bare route share one Node process; the peer runs gunicorn with 2 sync workers (one per core).',
        "The Propel model is a TensorFlow.js logistic regression trained with the jobs' model code at start-up, exported and loaded back through loadModelFromDir (as a MODEL_DIR deployment serves it).",
      ],
    };
    const out = path.join(ROOT, 'bench', 'results', 'api.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    process.stderr.write(`api bench: wrote ${path.relative(ROOT, out)}\n`);
  } finally {
    for (const proxy of proxies) await proxy.stop();
    for (const child of children) child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`api bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
