/**
 * Expectations: set-based checks over companydata, each a SQL query returning one number (the
 * observed value) and a rule on it. Severity critical fails the run (downstream does not run);
 * warning raises an alert.
 */
export type Severity = 'critical' | 'warning';

export interface Expectation {
  name: string;
  column?: string;
  severity: Severity;
  /** One row, one column `observed` (a number). Positional parameters `?` bound to `params`. */
  sql: string;
  params?: unknown[];
  /** Human-readable rule, stored as the threshold. */
  threshold: string;
  passes(observed: number | null): boolean;
}

export const zero = (o: number | null) => o === 0;
export const positive = (o: number | null) => o !== null && o > 0;
export const between =
  (low: number, high: number) =>
  (o: number | null): boolean =>
    o !== null && o >= low && o <= high;

/** Rows of `table` (filtered by `where`) that break `condition`: must be zero. */
export function noRowsWhere(
  name: string,
  table: string,
  condition: string,
  options: { column?: string; severity?: Severity; where?: string; params?: unknown[] } = {},
): Expectation {
  const where = options.where ? `(${options.where}) AND ` : '';
  return {
    name,
    column: options.column,
    severity: options.severity ?? 'critical',
    sql: `SELECT count(*) AS observed FROM ${table} WHERE ${where}(${condition})`,
    params: options.params,
    threshold: '= 0 rows',
    passes: zero,
  };
}

/** Duplicate keys of `table`: must be zero. */
export function uniqueKey(table: string, columns: string[], where?: string, params?: unknown[]): Expectation {
  const filter = where ? `WHERE ${where}` : '';
  return {
    name: `${table}: ${columns.join(', ')} unique`,
    column: columns.join(', '),
    severity: 'critical',
    sql: `SELECT COALESCE(sum(n - 1), 0) AS observed FROM (SELECT count(*) AS n FROM ${table} ${filter} GROUP BY ${columns.join(', ')}) d`,
    params,
    threshold: '= 0 duplicates',
    passes: zero,
  };
}

/** At least one row. */
export function notEmpty(table: string, where?: string, params?: unknown[]): Expectation {
  return {
    name: `${table}: has rows`,
    severity: 'critical',
    sql: `SELECT count(*) AS observed FROM ${table} ${where ? `WHERE ${where}` : ''}`,
    params,
    threshold: '> 0 rows',
    passes: positive,
  };
}

/** Columns of `table` with their types, as information_schema reports them. */
export function requiredColumns(table: string, columns: Record<string, string>): Expectation {
  const wanted = Object.entries(columns);
  return {
    name: `${table}: required columns and types`,
    severity: 'critical',
    sql: `SELECT ${wanted.length} - count(*) AS observed FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = ? AND (${wanted.map(() => '(column_name = ? AND data_type = ?)').join(' OR ')})`,
    params: [table, ...wanted.flat()],
    threshold: `${wanted.map(([c, t]) => `${c} ${t}`).join(', ')} (missing = 0)`,
    passes: zero,
  };
}
