/**
 * The database roles of DESIGN §4, created and granted idempotently by `migrate`:
 * admin (everything), ds_user (read-only, present and future tables), mle_user (read/write),
 * analyst (read/write, may create tables in public).
 */
import type { Db } from './connection';

export const ROLES = ['admin', 'ds_user', 'mle_user', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

const privileges: Record<Role, { tables: string; sequences: string; schema: string }> = {
  admin: { tables: 'ALL PRIVILEGES', sequences: 'ALL PRIVILEGES', schema: 'USAGE, CREATE' },
  ds_user: { tables: 'SELECT', sequences: 'SELECT', schema: 'USAGE' },
  mle_user: { tables: 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE', sequences: 'USAGE, SELECT, UPDATE', schema: 'USAGE' },
  analyst: {
    tables: 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE',
    sequences: 'USAGE, SELECT, UPDATE',
    schema: 'USAGE, CREATE',
  },
};

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Creates missing roles, sets passwords that are given, and grants on present and future objects. */
export async function ensureRoles(db: Db, passwords: Partial<Record<Role, string | undefined>> = {}): Promise<void> {
  for (const role of ROLES) {
    // Another migrate (a parallel test database, a second container) may create it first.
    await db.raw(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
          CREATE ROLE ${role} LOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    const password = passwords[role];
    if (password) await db.raw(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${quoteLiteral(password)}`);
  }
  const { rows } = await db.raw<{ rows: Array<{ database: string; superuser: boolean }> }>(
    `SELECT current_database() AS database, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
  );
  const database = rows[0]?.database ?? 'companydata';
  const superuser = rows[0]?.superuser ?? false;
  await db.raw(`GRANT CONNECT ON DATABASE "${database}" TO ${ROLES.join(', ')}`);
  await db.raw(`GRANT ALL PRIVILEGES ON DATABASE "${database}" TO admin`);
  // Future tables: those created by the migrating role, and (when we may) by the writer roles.
  const creators = superuser ? ['CURRENT_USER', 'admin', 'mle_user', 'analyst'] : ['CURRENT_USER'];
  for (const role of ROLES) {
    const p = privileges[role];
    await db.raw(`GRANT ${p.schema} ON SCHEMA public TO ${role}`);
    await db.raw(`GRANT ${p.tables} ON ALL TABLES IN SCHEMA public TO ${role}`);
    await db.raw(`GRANT ${p.sequences} ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    for (const creator of creators) {
      await db.raw(
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA public GRANT ${p.tables} ON TABLES TO ${role}`,
      );
      await db.raw(
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${creator} IN SCHEMA public GRANT ${p.sequences} ON SEQUENCES TO ${role}`,
      );
    }
  }
}
