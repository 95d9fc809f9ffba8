/** The generator's knobs and the months they imply (pure): which are released, pending, drifted. */
import { badInput } from '../errors';
import { monthRange, parseMonth, type Month } from '../month';

export interface Knobs {
  customers: number;
  months: number;
  /** 'YYYY-MM' */
  startMonth: string;
  salesPerMonth: number;
  seed: number;
  /** First month of the drifted regime ('YYYY-MM'), or undefined for no drift. */
  driftMonth?: string;
  /** Months written to the source now; the rest go to the pool. */
  released: number;
}

export interface Plan {
  months: Month[];
  released: Month[];
  pending: Month[];
  drifted: Month[];
}

/** Default number of released months: all but three, at least one. */
export const defaultReleased = (months: number) => Math.max(1, months - 3);

/** The months of a generation; knobs that contradict each other are bad input naming the flag. */
export function planMonths(knobs: Knobs): Plan {
  const first = parseMonth(knobs.startMonth, '--start-month');
  let last = first;
  for (let i = 1; i < knobs.months; i++) last = parseMonth(last.nextStart);
  const months = monthRange(first, last);
  if (knobs.released < 1 || knobs.released > months.length) {
    throw badInput(`--released: must be between 1 and --months (${months.length}), got ${knobs.released}`, {
      setting: '--released',
    });
  }
  let drifted: Month[] = [];
  if (knobs.driftMonth !== undefined) {
    const drift = parseMonth(knobs.driftMonth, '--drift-month');
    if (drift.id < first.id || drift.id > last.id) {
      throw badInput(`--drift-month: ${drift.id} is outside the generated months ${first.id}..${last.id}`, {
        setting: '--drift-month',
      });
    }
    drifted = months.filter((m) => m.id >= drift.id);
  }
  return { months, released: months.slice(0, knobs.released), pending: months.slice(knobs.released), drifted };
}
