/** The source files the ingest jobs load: their columns as in the real files, and each column's parser. */
import type { Month } from '../month';
import { date, decimal, integer, nullable, oneOf, text, type FieldParser } from './fields';

export interface FileSpec {
  /** Dataset name, recorded with rejected rows. */
  dataset: string;
  /** Path relative to the data source. */
  path: string;
  /** Target table and the CSV columns, in file order (the header must be exactly these). */
  table: string;
  columns: ReadonlyArray<{ name: string; parse: FieldParser }>;
}

const IDX = integer(0, 2_147_483_647);

export const CLIENT_FILES: readonly FileSpec[] = [
  {
    dataset: 'customer_profiles',
    path: 'customer_profiles.csv',
    table: 'customer_profiles',
    columns: [
      { name: 'idx', parse: IDX },
      { name: 'attr_a', parse: integer(1, 5) },
      { name: 'attr_b', parse: oneOf(['a', 'b', 'c', 'd']) },
      { name: 'attr_c', parse: oneOf(['yes', 'no']) },
    ],
  },
  {
    dataset: 'customer_activity',
    path: 'customer_activity.csv',
    table: 'customer_activity',
    columns: [
      { name: 'idx', parse: IDX },
      { name: 'valid_from', parse: date() },
      { name: 'valid_to', parse: nullable(date()) },
      { name: 'scd_a', parse: decimal(0, 1) },
      { name: 'scd_b', parse: integer(1, 5) },
    ],
  },
  {
    dataset: 'labels',
    path: 'labels.csv',
    table: 'labels',
    columns: [
      { name: 'idx', parse: IDX },
      { name: 'label', parse: oneOf(['0', '1']) },
    ],
  },
  {
    dataset: 'stores',
    path: 'stores.csv',
    table: 'stores',
    columns: [
      { name: 'idx', parse: IDX },
      { name: 'location', parse: text },
    ],
  },
];

/** 'sales/YYYY-MM-01/sales.csv' of a month. */
export const salesPath = (month: Month) => `sales/${month.start}/sales.csv`;

/** The sales file of a month: sale dates must lie inside that month. */
export function salesFile(month: Month): FileSpec {
  return {
    dataset: 'sales',
    path: salesPath(month),
    table: 'sales',
    columns: [
      { name: 'idx', parse: IDX },
      { name: 'value', parse: decimal(0, 10) },
      { name: 'date', parse: date({ from: month.start, to: month.end, label: `the month ${month.id}` }) },
      { name: 'store_idx', parse: IDX },
    ],
  };
}
