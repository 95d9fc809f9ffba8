/** Calendar months, the unit of the pipeline (sales files, snapshots). 'YYYY-MM' ↔ dates. */
import { badInput } from './errors';

export interface Month {
  /** 'YYYY-MM' */
  id: string;
  /** First day, 'YYYY-MM-01': the sales folder name and the sale_month key. */
  start: string;
  /** Last day of the month, 'YYYY-MM-DD'. */
  end: string;
  /** First day of the next month (exclusive upper bound). */
  nextStart: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const pad = (n: number) => String(n).padStart(2, '0');

export function monthOf(year: number, month: number): Month {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
  const id = `${year}-${pad(month)}`;
  return { id, start: `${id}-01`, end: `${id}-${pad(last)}`, nextStart: `${next.y}-${pad(next.m)}-01` };
}

/** Parses 'YYYY-MM' (also accepts 'YYYY-MM-01'); bad input names the setting it came from. */
export function parseMonth(value: string, setting = '--month'): Month {
  const normalized = /^\d{4}-\d{2}-01$/.test(value) ? value.slice(0, 7) : value;
  const match = MONTH.exec(normalized);
  if (!match) throw badInput(`${setting}: expected a month as YYYY-MM, got ${JSON.stringify(value)}`, { setting });
  return monthOf(Number(match[1]), Number(match[2]));
}

/** The month after `m`. */
export const nextMonth = (m: Month): Month => parseMonth(m.nextStart);

/** Every month from `from` to `to`, inclusive. */
export function monthRange(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m.id <= to.id; m = nextMonth(m)) out.push(m);
  return out;
}
