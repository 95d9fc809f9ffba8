/**
 * Streams one source CSV into its table with COPY, validating every row on the way: the header
 * must be exactly the expected columns; a bad row fails the load naming file:line and column, or
 * (quarantine) is spooled to rejected_rows. Runs inside the caller's transaction, so a failure or
 * a kill leaves the table as it was.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { badInput } from '../errors';
import type { Progress } from '../progress';
import type { DataSource } from '../sources';
import { copyText } from './fields';
import type { FileSpec } from './files';
import { RejectSpool, type Rejection } from './rejects';

export interface BadRowPolicy {
  mode: 'fail' | 'quarantine';
  /** quarantine: the load fails when rejected / read exceeds this ratio. */
  maxBadRatio: number;
}

export interface CopyFileResult {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

const BATCH_LINES = 2000;

/** Checks one CSV record against the spec: the COPY line, or why it is rejected. */
function toCopyLine(spec: FileSpec, rec: CsvRecord, extra: readonly string[]): { line: string } | Rejection {
  const { record, info, raw } = rec;
  const rawText = raw.replace(/\r?\n$/, '');
  if (record.length !== spec.columns.length) {
    return {
      line: info.lines,
      reason: `expected ${spec.columns.length} columns, found ${record.length}`,
      raw: rawText,
    };
  }
  const cells: string[] = [];
  for (let i = 0; i < spec.columns.length; i++) {
    const column = spec.columns[i] as FileSpec['columns'][number];
    const parsed = column.parse(record[i] as string);
    if (!parsed.ok) return { line: info.lines, column: column.name, reason: parsed.reason, raw: rawText };
    cells.push(copyText(parsed.value));
  }
  for (const value of extra) cells.push(copyText(value));
  return { line: `${cells.join('\t')}\n` };
}

/**
 * Loads `spec` from `source` into `spec.table` on `client`. `extraColumns` are appended to every row
 * (e.g. sale_month). The table rows being replaced must already be deleted by the caller.
 */
export async function copyFile(
  client: pg.PoolClient,
  source: DataSource,
  spec: FileSpec,
  options: {
    policy: BadRowPolicy;
    runId: string;
    saleMonth?: string;
    extraColumns?: ReadonlyArray<{ name: string; value: string }>;
    progress?: Progress;
  },
): Promise<CopyFileResult> {
  const location = source.locate(spec.path);
  const expectedHeader = spec.columns.map((c) => c.name);
  const extra = options.extraColumns ?? [];
  const spool = new RejectSpool({
    runId: options.runId,
    dataset: spec.dataset,
    saleMonth: options.saleMonth ?? null,
    file: location,
  });
  let rowsRead = 0;
  let rowsWritten = 0;
  try {
    const input = await source.open(spec.path);
    const parser = parse({ info: true, raw: true, relax_column_count: true, skip_empty_lines: true, bom: true });
    const parsing = pipeline(input, parser).catch(() => undefined); // errors surface through the iterator
    async function* copyLines(): AsyncGenerator<string> {
      let header = true;
      let batch: string[] = [];
      for await (const rec of parser as AsyncIterable<CsvRecord>) {
        if (header) {
          header = false;
          if (rec.record.join(',') !== expectedHeader.join(',')) {
            throw badInput(
              `${location}: header mismatch: expected columns ${expectedHeader.join(',')}, found ${rec.record.join(',')}`,
              { file: location, line: rec.info.lines },
            );
          }
          continue;
        }
        rowsRead += 1;
        const checked = toCopyLine(
          spec,
          rec,
          extra.map((e) => e.value),
        );
        if ('reason' in checked) {
          if (options.policy.mode === 'fail') {
            const where = checked.column ? `, column ${checked.column}` : '';
            throw badInput(`${location}:${checked.line}${where}: ${checked.reason}`, {
              file: location,
              line: checked.line,
              column: checked.column,
            });
          }
          await spool.add(checked);
          continue;
        }
        batch.push(checked.line);
        if (batch.length >= BATCH_LINES) {
          rowsWritten += batch.length;
          options.progress?.tick(batch.length);
          yield batch.join('');
          batch = [];
        }
      }
      if (header) throw badInput(`${location}: the file is empty (no header line)`, { file: location, line: 1 });
      rowsWritten += batch.length;
      options.progress?.tick(batch.length);
      if (batch.length > 0) yield batch.join('');
    }
    const columns = [...expectedHeader, ...extra.map((e) => e.name)].join(', ');
    await pipeline(Readable.from(copyLines()), client.query(copyFrom(`COPY ${spec.table} (${columns}) FROM STDIN`)));
    await parsing;
    if (spool.count > 0) {
      const ratio = spool.count / Math.max(rowsRead, 1);
      if (ratio > options.policy.maxBadRatio) {
        const first = spool.examples[0] as Rejection;
        throw badInput(
          `${location}: ${spool.count} of ${rowsRead} rows are bad (${(ratio * 100).toFixed(2)}% > --max-bad-ratio ${options.policy.maxBadRatio}); first at line ${first.line}${first.column ? `, column ${first.column}` : ''}: ${first.reason}`,
          { file: location, line: first.line, column: first.column, rejected: spool.count },
        );
      }
      await spool.flushInto(client);
    }
    return { rowsRead, rowsWritten, rowsRejected: spool.count };
  } finally {
    spool.dispose();
  }
}
