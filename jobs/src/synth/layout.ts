/** The challenge's file layout and CSV formats (headers byte-identical to the real files). */
import type { ActivityRow, Sale } from './model';

export const FILES = {
  profiles: 'customer_profiles.csv',
  activity: 'customer_activity.csv',
  labels: 'labels.csv',
  stores: 'stores.csv',
} as const;

export const HEADERS = {
  profiles: 'idx,attr_a,attr_b,attr_c',
  activity: 'idx,valid_from,valid_to,scd_a,scd_b',
  labels: 'idx,label',
  stores: 'idx,location',
  sales: 'idx,value,date,store_idx',
} as const;

/** The five stores of the real stores.csv, in its order. */
export const STORES = ['New York', 'Lisbon', 'London', 'Berlin', 'Paris'];

/** 'sales/YYYY-MM-01/sales.csv' of a month id 'YYYY-MM'. */
export const salesPath = (monthId: string) => `sales/${monthId}-01/sales.csv`;

/** The month id of a sales path, or undefined when the path is not a monthly sales file. */
export function monthOfSalesPath(relativePath: string): string | undefined {
  return /^sales\/(\d{4}-\d{2})-01\/sales\.csv$/.exec(relativePath)?.[1];
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of 'YYYY-MM-DD'. */
export const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** 'YYYY-MM-DD' of a day number. */
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const storesCsv = () => `${HEADERS.stores}\n${STORES.map((name, i) => `${i + 1},${name}`).join('\n')}\n`;

export const profileLine = (idx: number, attrs: readonly string[]) => `${idx},${attrs.join(',')}\n`;

export const labelLine = (idx: number, label: number) => `${idx},${label}\n`;

/** scd_a with four decimals (a float in 0-1), valid_to empty for the current row. */
export const activityLine = (idx: number, row: ActivityRow) =>
  `${idx},${isoDay(row.validFrom)},${row.validTo === undefined ? '' : isoDay(row.validTo)},${row.scdA.toFixed(4)},${row.scdB}\n`;

/** value with one decimal like the real files ('0.0' .. '10.0'). */
export const saleLine = (idx: number, monthStart: string, sale: Sale) =>
  `${idx},${sale.value.toFixed(1)},${monthStart.slice(0, 8)}${String(sale.day).padStart(2, '0')},${sale.store}\n`;
