/**
 * Runs the repository's nginx config (nginx/*.template) with the real nginx binary, in the
 * foreground, from a temporary prefix on loopback ports, proxying to an API on `upstream`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@propel/jobs/dist/db/embedded';

// Through the workspace link, so this also works when compiled elsewhere (the benchmark).
const NGINX_DIR = path.join(path.dirname(require.resolve('@propel/api/package.json')), '..', 'nginx');
const NGINX_BIN = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

export interface RunningNginx {
  httpUrl: string;
  httpsUrl?: string;
  prefix: string;
  accessLog(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface NginxOptions {
  upstream: string;
  /** Directory with fullchain.pem and privkey.pem: adds the TLS server block. */
  certDir?: string;
  /** Exempts loopback from the /predict rate limit (the benchmark). */
  exemptLoopback?: boolean;
}

/** Renders the templates like deploy/nginx-start.sh, onto loopback ports and a temp prefix. */
export function renderConfig(prefix: string, options: NginxOptions, ports: { http: number; https?: number }): string {
  const read = (name: string) => fs.readFileSync(path.join(NGINX_DIR, name), 'utf8');
  const local = (text: string) =>
    text
      .replaceAll('${API_UPSTREAM}', options.upstream)
      .replaceAll('${TLS_CERT_DIR}', options.certDir ?? '')
      .replaceAll('/etc/propel/nginx/', `${prefix}/`)
      .replaceAll('/etc/nginx/conf.d/', `${prefix}/conf.d/`)
      .replace('access_log /dev/stdout', `access_log ${prefix}/access.log`)
      .replace('error_log /dev/stderr', `error_log ${prefix}/error.log`)
      .replace('listen 80 default_server', `listen 127.0.0.1:${ports.http} default_server`)
      .replace('listen 443 ssl', `listen 127.0.0.1:${ports.https ?? 0} ssl`);
  fs.mkdirSync(path.join(prefix, 'conf.d'), { recursive: true });
  let main = local(read('nginx.conf.template'));
  if (options.exemptLoopback) {
    const block = 'geo $propel_rate_exempt {\n        default 0;\n';
    if (!main.includes(block)) throw new Error(`nginx.conf.template no longer has "${block.trim()}"`);
    main = main.replace(block, `${block}        127.0.0.1 1;\n`);
  }
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), main);
  fs.writeFileSync(path.join(prefix, 'locations.conf'), local(read('locations.conf')));
  if (options.certDir && ports.https) {
    fs.writeFileSync(path.join(prefix, 'conf.d', 'propel-tls.conf'), local(read('tls.conf.template')));
  }
  return path.join(prefix, 'nginx.conf');
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not listen on ${port}: ${stderr()}`);
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-nginx-'));
  const ports = { http: await freePort(), https: options.certDir ? await freePort() : undefined };
  const conf = renderConfig(prefix, options, ports);
  let stderr = '';
  const child = spawn(NGINX_BIN, ['-p', prefix, '-c', conf, '-g', `daemon off; pid ${prefix}/nginx.pid;`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const errors = () => {
    const file = path.join(prefix, 'error.log');
    return stderr + (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  };
  await waitForPort(ports.http, child, errors);
  if (ports.https) await waitForPort(ports.https, child, errors);
  return {
    httpUrl: `http://127.0.0.1:${ports.http}`,
    httpsUrl: ports.https ? `https://127.0.0.1:${ports.https}` : undefined,
    prefix,
    accessLog: () =>
      fs
        .readFileSync(path.join(prefix, 'access.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** A self-signed certificate for 127.0.0.1 made with openssl, in a new directory. */
export async function selfSignedCertificate(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-cert-'));
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'privkey.pem'),
        '-out',
        path.join(dir, 'fullchain.pem'),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`openssl failed: ${err}`))));
  });
  return dir;
}
