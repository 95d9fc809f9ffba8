/** Months present in companydata, for flags that accept `latest` (asset-triggered DAG runs). */
import { nothingToDo } from '../errors';
import { parseMonth, type Month } from '../month';
import type { Db } from './connection';

/** The latest month of loaded sales, or undefined when no sales are loaded. */
export async function latestSalesMonth(db: Db): Promise<Month | undefined> {
  const row = (await db('sales').max({ month: 'sale_month' }).first()) as { month: string | null } | undefined;
  return row?.month ? parseMonth(row.month) : undefined;
}

/** 'YYYY-MM' or 'latest' (the latest loaded sales month; none loaded = nothing to do, exit 99). */
export async function resolveMonthFlag(db: Db, value: string, setting: string): Promise<Month> {
  if (value !== 'latest') return parseMonth(value, setting);
  const latest = await latestSalesMonth(db);
  if (!latest) throw nothingToDo(`${setting} latest: no sales month is loaded yet`, { setting });
  return latest;
}
