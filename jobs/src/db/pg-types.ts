/**
 * How Postgres values come back to Node: dates stay 'YYYY-MM-DD' strings (a calendar date has no
 * time zone), numeric and bigint become numbers (our values are far inside double precision).
 */
import pg from 'pg';

pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export const pgTypesConfigured = true;
