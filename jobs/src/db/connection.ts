/** knex connections to companydata. Callers own the instance and must destroy() it. */
import knex, { type Knex } from 'knex';
import { pgTypesConfigured } from './pg-types';

export type Db = Knex;

export function connect(databaseUrl: string, options: { pool?: { min: number; max: number } } = {}): Db {
  void pgTypesConfigured;
  return knex({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'propel' },
    pool: options.pool ?? { min: 0, max: 4 },
  });
}
