/**
 * A fresh, migrated database per test file, cloned from the template that global-setup built,
 * on the real PostgreSQL of the run. Tests build their own rows in it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Db } from '../src/db/connection';

export const TEMPLATE_DATABASE = 'propel_test_template';

/** URL of `database` on the test server (the server's admin database by default). */
export function adminUrl(database = 'postgres'): string {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set: run the tests with `make test` or `npx jest`');
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  /** Drops the database (closes db first). */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  const url = adminUrl(name);
  const db = connect(url);
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** jest helper: a database for the whole file, dropped after it. */
export function useTestDatabase(label?: string): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(label);
  });
  afterAll(async () => {
    await current?.drop();
  });
  return () => {
    if (!current) throw new Error('test database not ready: use it inside a test');
    return current;
  };
}
