/**
 * End to end through the real nginx (Debian package, rendered from nginx/*.template on loopback
 * ports) in front of the built API process (`node api/dist/server.js`, as the image runs it)
 * serving the registry champion of a real database: HTTP and HTTPS, nginx's 413 and 429, the
 * deploy smoke test, hot reload under load on a real promotion, a prediction call from the docs page
 * in headless Chromium (e2e/prediction-call.mjs), schemathesis against /openapi.json, and a graceful
 * stop on SIGTERM.
 * Run with `make test-e2e` (api/test/e2e-tools.sh installs nginx, openssl, Chromium and schemathesis).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { useTestDatabase } from '../../jobs/test/database';
import { promoteTestModel, registerTestModel } from './models';
import { selfSignedCertificate, startNginx, type RunningNginx } from './nginx';

const ROOT = path.join(__dirname, '..', '..');
const BODY = JSON.stringify({ idx: 150000, features: { attr_a: 1, attr_b: 'c', scd_a: 0.55, scd_b: 3 } });

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json(): Record<string, unknown>;
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function send(
  url: string,
  options: { method?: string; body?: string; ca?: Buffer; headers?: Record<string, string> } = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(
      target,
      {
        method: options.method ?? (options.body ? 'POST' : 'GET'),
        headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(target.protocol === 'https:' ? { ca: options.ca } : { agent: httpAgent }),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function run(command: string, args: string[], cwd = ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the built API process and waits until /ready answers 200 (the champion is loaded). */
async function startApiProcess(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'api/dist/server.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const status = await fetch(`${base}/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { child, base, exited, output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the API process did not become ready:\n${output}`);
}

describe('prediction API through nginx (e2e)', () => {
  const testDb = useTestDatabase('api_e2e');
  let api: Awaited<ReturnType<typeof startApiProcess>>;
  let nginx: RunningNginx;
  let certDir: string;

  beforeAll(async () => {
    const { db, url } = testDb();
    await registerTestModel(db, 'v1');
    await registerTestModel(db, 'v2', { seed: 11, shift: 1 });
    await promoteTestModel(db, 'v1');
    // A poll interval beyond the test: a promotion can only arrive through LISTEN/NOTIFY.
    api = await startApiProcess({ DATABASE_URL: url, MODEL_POLL_SECONDS: '3600', MAX_BATCH: '100' });
    certDir = await selfSignedCertificate();
    nginx = await startNginx({ upstream: new URL(api.base).host, certDir });
  });

  afterAll(async () => {
    await nginx?.stop();
    api?.child.kill('SIGKILL');
    httpAgent.destroy();
    if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
  });

  it('when the challenge body goes through nginx over HTTP, then the API answers and both logs share the request id', async () => {
    const res = await send(`${nginx.httpUrl}/predict`, { body: BODY });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ model_version: 'v1' });
    expect([0, 1]).toContain(body.label);
    expect(res.headers['x-request-id']).toBe(body.request_id);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const line = nginx.accessLog().find((l) => l.request_id === body.request_id);
    expect(line).toMatchObject({ method: 'POST', uri: '/predict', status: 200, upstream_status: '200' });
  });

  it('when the request goes over HTTPS with the self-signed certificate, then it is verified and served', async () => {
    const ca = fs.readFileSync(path.join(certDir, 'fullchain.pem'));
    const res = await send(`${nginx.httpsUrl}/predict`, { body: BODY, ca });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ model_version: 'v1' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    await expect(send(`${nginx.httpsUrl}/health`)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('when the body is larger than client_max_body_size, then nginx answers 413 in the API error format', async () => {
    const res = await send(`${nginx.httpUrl}/predict`, {
      body: JSON.stringify({ idx: 1, pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    // nginx logs the request after discarding the rest of the body: wait for the line.
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = nginx.accessLog().find((l) => l.status === 413);
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    expect(line?.upstream_status).toBe(''); // never reached the API
  });

  it('when deploy/smoke-test.sh runs against the nginx stack, then it passes', async () => {
    const { code, output } = await run('bash', ['deploy/smoke-test.sh', nginx.httpUrl]);
    expect(output).toContain('smoke-test: PASS');
    expect(code).toBe(0);
  });

  it('when a new champion is promoted under load, then no request fails and answers switch to it', async () => {
    const results: Array<{ status: number; version?: unknown }> = [];
    let stop = false;
    const worker = async () => {
      // Bounded: at most 1500 requests per worker, and the test stops them once v2 is seen enough.
      for (let i = 0; i < 1500 && !stop; i++) {
        const res = await send(`${nginx.httpUrl}/predict`, { body: BODY }).catch(() => ({
          status: 0,
          json: (): Record<string, unknown> => ({}),
        }));
        results.push({ status: res.status, version: res.status === 200 ? res.json().model_version : undefined });
        await new Promise((r) => setTimeout(r, 40)); // ~4 workers x 25 r/s: under the rate limit
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);
    const until = async (predicate: () => boolean) => {
      for (let i = 0; i < 600 && !predicate(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await until(() => results.length >= 40);
    await promoteTestModel(testDb().db, 'v2');
    await until(() => results.filter((r) => r.version === 'v2').length >= 40);
    stop = true;
    await workers;

    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const versions = results.map((r) => r.version);
    expect(versions).toContain('v1');
    expect(versions.slice(-20)).toEqual(new Array(20).fill('v2'));
    const metrics = await send(`${nginx.httpUrl}/metrics`);
    expect(metrics.body).toMatch(/propel_model_loads_total\{outcome="loaded",version="v2"\} 1/);
  });

  it('when a browser calls POST /predict from the docs page through nginx, then it shows the answer', async () => {
    const { code, output } = await run('node', ['e2e/prediction-call.mjs', nginx.httpUrl]);
    if (code !== 0) console.log(output);
    expect(output).toContain('ok   POST /predict from the docs page answered 200');
    expect(code).toBe(0);
  });

  it('when the dashboard is asked from the internal network, then nginx passes it with its data', async () => {
    const page = await send(`${nginx.httpUrl}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const data = await send(`${nginx.httpUrl}/dashboard/data.json`);
    expect(data.json()).toMatchObject({
      models: expect.arrayContaining([expect.objectContaining({ version: 'v2', champion: true })]),
    });
  });

  it('when bursts go past the /predict rate limit, then nginx answers 429 in the API error format', async () => {
    const replies = await Promise.all(
      Array.from({ length: 600 }, () => send(`${nginx.httpUrl}/predict`, { body: BODY })),
    );
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status !== 429 && r.status !== 200)).toEqual([]);
    expect(limited[0]?.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('when schemathesis fuzzes the API from /openapi.json, then it finds no 5xx and no schema violation', async () => {
    const base = api.base;
    // schemathesis keeps state in ./.schemathesis: run it from a scratch directory.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-schemathesis-'));
    const { code, output } = await run(
      path.join(ROOT, '.tools/schemathesis-venv/bin/schemathesis'),
      [
        'run',
        `${base}/openapi.json`,
        '--checks',
        'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
        '--max-examples',
        '40',
        '--seed',
        '1',
        '--generation-database',
        'none',
        '--no-color',
      ],
      scratch,
    );
    fs.rmSync(scratch, { recursive: true, force: true });
    if (code !== 0) console.log(output);
    expect(code).toBe(0);
    const cases = /Test cases:\s+(\d+) generated, (\d+) passed/.exec(output);
    expect(Number(cases?.[1])).toBeGreaterThanOrEqual(80); // at least the hot reload test's answers
    expect(cases?.[2]).toBe(cases?.[1]);
  });

  it('when the API process gets SIGTERM, then it exits 0 with the prediction log flushed (both versions in it)', async () => {
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    const { db } = testDb();
    const logged = await db('predictions').count<Array<{ n: string }>>({ n: '*' });
    expect(Number(logged[0]?.n)).toBeGreaterThanOrEqual(80); // at least the hot reload test's answers
    const versions = await db('predictions').distinct('model_version').orderBy('model_version').pluck('model_version');
    expect(versions).toEqual(['v1', 'v2']);
  });
});
