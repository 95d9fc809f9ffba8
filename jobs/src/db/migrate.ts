/** Schema migrations (knex, up and down) plus roles: the `migrate` job. Idempotent. */
import type { Db } from './connection';
import { migrationSource } from './migrations';
import { ensureRoles, type Role } from './roles';

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

const migrationConfig = { migrationSource, tableName: 'knex_migrations' };

/** Applies every pending migration, then creates roles and grants (present and future tables). */
export async function migrateLatest(
  db: Db,
  passwords: Partial<Record<Role, string | undefined>> = {},
): Promise<MigrateResult> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  await ensureRoles(db, passwords);
  const [completed] = (await db.migrate.list(migrationConfig)) as [unknown[], unknown[]];
  return { applied, alreadyApplied: completed.length - applied.length };
}

/** Rolls every migration back (down), newest first. */
export async function migrateDownAll(db: Db): Promise<string[]> {
  const [, rolledBack] = (await db.migrate.rollback(migrationConfig, true)) as [number, string[]];
  return rolledBack;
}
