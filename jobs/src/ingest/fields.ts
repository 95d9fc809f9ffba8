/**
 * Field parsers of the challenge files: each turns the CSV text of one cell into the text COPY
 * receives, or says why the value is bad. Strict: what the real files hold, nothing looser.
 */

/** A parsed cell: the COPY text value (null = SQL NULL) or the reason the value is bad. */
export type Parsed = { ok: true; value: string | null } | { ok: false; reason: string };

export type FieldParser = (raw: string) => Parsed;

const ok = (value: string | null): Parsed => ({ ok: true, value });
const bad = (reason: string): Parsed => ({ ok: false, reason });

const INT = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function integer(min: number, max: number): FieldParser {
  return (raw) => {
    if (!INT.test(raw)) return bad(`expected an integer, got ${JSON.stringify(raw)}`);
    const n = Number(raw);
    return n < min || n > max ? bad(`${raw} is outside ${min}..${max}`) : ok(String(n));
  };
}

export function decimal(min: number, max: number): FieldParser {
  return (raw) => {
    if (!DECIMAL.test(raw)) return bad(`expected a number, got ${JSON.stringify(raw)}`);
    const n = Number(raw);
    return n < min || n > max ? bad(`${raw} is outside ${min}..${max}`) : ok(raw);
  };
}

export function oneOf(values: readonly string[]): FieldParser {
  const allowed = new Set(values);
  return (raw) => (allowed.has(raw) ? ok(raw) : bad(`expected one of ${values.join('|')}, got ${JSON.stringify(raw)}`));
}

/** A calendar date 'YYYY-MM-DD', optionally inside [from, to] (inclusive, same format). */
export function date(range?: { from: string; to: string; label: string }): FieldParser {
  return (raw) => {
    const m = DATE.exec(raw);
    if (!m) return bad(`expected a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
    const d = new Date(`${raw}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) return bad(`${raw} is not a calendar date`);
    if (range && (raw < range.from || raw > range.to)) return bad(`${raw} is outside ${range.label}`);
    return ok(raw);
  };
}

/** Empty text = NULL, else the inner parser. */
export const nullable =
  (inner: FieldParser): FieldParser =>
  (raw) =>
    raw === '' ? ok(null) : inner(raw);

export const text: FieldParser = (raw) => (raw.trim() === '' ? bad('expected a non-empty text') : ok(raw));

/** Escapes a value for COPY's text format. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
