/** One raw pg connection from the knex pool, in one transaction: COPY needs the driver's client. */
import type pg from 'pg';
import type { Db } from '../db/connection';

/**
 * Runs `work` inside BEGIN/COMMIT on a dedicated connection, under a transaction-scoped advisory
 * lock on `lockKey` (two loads of the same data serialize instead of interleaving). Any error rolls
 * back; a killed process leaves an aborted transaction the server discards.
 */
export async function inTransaction<T>(
  db: Db,
  lockKey: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await db.client.releaseConnection(client);
  }
}

/** Row count of a table (or a filtered part of it) on `client`. */
export async function countRows(
  client: pg.PoolClient,
  table: string,
  where = '',
  params: unknown[] = [],
): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} ${where}`, params);
  return Number(rows[0]?.n ?? 0);
}
