/**
 * Once per jest run: a real PostgreSQL (DATABASE_URL when set, else an embedded server started
 * here) and a migrated template database that every test file clones (see database.ts).
 */
import pg from 'pg';
import { connect } from '../src/db/connection';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { migrateLatest } from '../src/db/migrate';
import { TEMPLATE_DATABASE, adminUrl } from './database';

declare global {
  var __propelEmbeddedStop: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const server = await startEmbeddedPostgres(null);
    await server.ensureDatabase('companydata');
    process.env.DATABASE_URL = server.url('companydata');
    globalThis.__propelEmbeddedStop = () => server.stop();
  }
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = connect(adminUrl(TEMPLATE_DATABASE));
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}
