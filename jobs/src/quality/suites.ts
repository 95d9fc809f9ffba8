/** The expectation suites of DESIGN §7, per dataset. */
import type { Month } from '../month';
import { between, notEmpty, noRowsWhere, requiredColumns, uniqueKey, type Expectation } from './expectations';

export function clientsSuite(): Expectation[] {
  return [
    requiredColumns('customer_profiles', { idx: 'integer', attr_a: 'smallint', attr_b: 'text', attr_c: 'text' }),
    notEmpty('customer_profiles'),
    uniqueKey('customer_profiles', ['idx']),
    noRowsWhere(
      'customer_profiles: attr_a in 1..5',
      'customer_profiles',
      'attr_a IS NULL OR attr_a NOT BETWEEN 1 AND 5',
      { column: 'attr_a' },
    ),
    noRowsWhere(
      'customer_profiles: attr_b in a|b|c|d',
      'customer_profiles',
      `attr_b IS NULL OR attr_b NOT IN ('a','b','c','d')`,
      { column: 'attr_b' },
    ),
    noRowsWhere(
      'customer_profiles: attr_c in yes|no',
      'customer_profiles',
      `attr_c IS NULL OR attr_c NOT IN ('yes','no')`,
      { column: 'attr_c' },
    ),
    uniqueKey('labels', ['idx']),
    noRowsWhere('labels: label in 0|1', 'labels', 'label IS NULL OR label NOT IN (0, 1)', { column: 'label' }),
    noRowsWhere(
      'every customer has a label',
      'customer_profiles p',
      'NOT EXISTS (SELECT 1 FROM labels l WHERE l.idx = p.idx)',
      { column: 'idx' },
    ),
    {
      name: 'labels: positive rate',
      column: 'label',
      severity: 'warning',
      sql: 'SELECT avg(label)::float AS observed FROM labels',
      threshold: 'between 0.01 and 0.5',
      passes: between(0.01, 0.5),
    },
    notEmpty('stores'),
    uniqueKey('stores', ['idx']),
    noRowsWhere('customer_activity: scd_a in 0..1', 'customer_activity', 'scd_a NOT BETWEEN 0 AND 1', {
      column: 'scd_a',
    }),
    noRowsWhere('customer_activity: scd_b in 1..5', 'customer_activity', 'scd_b NOT BETWEEN 1 AND 5', {
      column: 'scd_b',
    }),
    noRowsWhere(
      // valid_to may equal valid_from: a one-day row when valid_to is the last valid day (inclusive).
      'customer_activity: valid_to not before valid_from',
      'customer_activity',
      'valid_to IS NOT NULL AND valid_to < valid_from',
      { column: 'valid_to' },
    ),
    noRowsWhere(
      'customer_activity (SCD2): no overlapping intervals',
      'customer_activity a',
      `EXISTS (SELECT 1 FROM customer_activity b WHERE b.idx = a.idx AND b.ctid <> a.ctid
         AND b.valid_from < COALESCE(a.valid_to, 'infinity') AND a.valid_from < COALESCE(b.valid_to, 'infinity'))`,
      { column: 'valid_from, valid_to' },
    ),
    noRowsWhere(
      'customer_activity (SCD2): one current row per customer',
      '(SELECT idx, count(*) FILTER (WHERE valid_to IS NULL) AS current FROM customer_activity GROUP BY idx) c',
      'current <> 1',
      { column: 'valid_to' },
    ),
    noRowsWhere(
      'customer_activity: customer exists',
      'customer_activity a',
      'NOT EXISTS (SELECT 1 FROM customer_profiles p WHERE p.idx = a.idx)',
      {
        column: 'idx',
        severity: 'warning',
      },
    ),
  ];
}

export function salesSuite(month: Month): Expectation[] {
  const inMonth = 'sale_month = ?';
  const p = [month.start];
  return [
    requiredColumns('sales', {
      idx: 'integer',
      value: 'numeric',
      date: 'date',
      store_idx: 'integer',
      sale_month: 'date',
    }),
    notEmpty('sales', inMonth, p),
    noRowsWhere('sales: keys not null', 'sales', 'idx IS NULL OR store_idx IS NULL OR date IS NULL', {
      where: inMonth,
      params: p,
      column: 'idx, store_idx, date',
    }),
    noRowsWhere('sales: value in 0..10', 'sales', 'value NOT BETWEEN 0 AND 10', {
      where: inMonth,
      params: p,
      column: 'value',
    }),
    noRowsWhere(
      'sales: date inside the loaded month',
      'sales',
      `date < sale_month OR date >= sale_month + interval '1 month'`,
      {
        where: inMonth,
        params: p,
        column: 'date',
      },
    ),
    noRowsWhere('sales -> stores', 'sales s', 'NOT EXISTS (SELECT 1 FROM stores st WHERE st.idx = s.store_idx)', {
      where: inMonth,
      params: p,
      column: 'store_idx',
    }),
    noRowsWhere('sales -> customers', 'sales s', 'NOT EXISTS (SELECT 1 FROM customer_profiles c WHERE c.idx = s.idx)', {
      where: inMonth,
      params: p,
      column: 'idx',
    }),
    {
      name: 'sales: row count within 0.5x..2x the median of the previous 3 months',
      severity: 'warning',
      sql: `WITH prev AS (
              SELECT count(*) AS n FROM sales WHERE sale_month < ? AND sale_month >= (?::date - interval '3 months')
              GROUP BY sale_month)
            SELECT CASE WHEN (SELECT count(*) FROM prev) = 0 THEN 1
                        ELSE (SELECT count(*) FROM sales WHERE sale_month = ?)::float
                             / NULLIF((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM prev), 0) END AS observed`,
      params: [month.start, month.start, month.start],
      threshold: 'ratio between 0.5 and 2 (1 when there is no history)',
      passes: between(0.5, 2),
    },
  ];
}

export function featuresSuite(asOf: Month): Expectation[] {
  // Whether a snapshot is keyed by the month's first or last day, it belongs to that month.
  const where = "date_trunc('month', as_of) = ?::date";
  const p = [asOf.start];
  return [
    requiredColumns('feature_snapshots', {
      as_of: 'date',
      idx: 'integer',
      attr_a: 'smallint',
      attr_b: 'text',
      scd_a: 'double precision',
      scd_b: 'smallint',
      label: 'smallint',
    }),
    notEmpty('feature_snapshots', where, p),
    uniqueKey('feature_snapshots', ['as_of', 'idx'], where, p),
    noRowsWhere('features: challenge features present', 'feature_snapshots', 'attr_a IS NULL OR attr_b IS NULL', {
      where,
      params: p,
      column: 'attr_a, attr_b',
    }),
    noRowsWhere('features: label in 0|1', 'feature_snapshots', 'label NOT IN (0, 1)', {
      where,
      params: p,
      column: 'label',
    }),
    {
      name: 'features: share of customers with activity at as_of',
      column: 'scd_a',
      severity: 'warning',
      sql: `SELECT avg((scd_a IS NOT NULL)::int)::float AS observed FROM feature_snapshots WHERE ${where}`,
      params: p,
      threshold: '>= 0.5',
      passes: between(0.5, 1),
    },
  ];
}
