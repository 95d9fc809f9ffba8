/** File IO of the generator: streamed, atomic writes (temp file + rename) and the month folders. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { monthOfSalesPath, salesPath } from './layout';

export interface WrittenFile {
  /** Data rows (lines after the header). */
  rows: number;
  sha256: string;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Writes a header and lines to `file` through a temp file renamed into place, so a reader never
 * sees half a file. Lines are batched into ~1 MiB chunks and written with backpressure.
 */
export async function writeLines(
  file: string,
  header: string,
  lines: Iterable<string>,
  onRows: (n: number) => void = () => undefined,
): Promise<WrittenFile> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const hash = createHash('sha256');
  let rows = 0;
  function* chunks(): Generator<string> {
    let chunk = `${header}\n`;
    let pending = 0;
    for (const line of lines) {
      chunk += line;
      rows++;
      pending++;
      if (chunk.length >= CHUNK_BYTES) {
        hash.update(chunk);
        yield chunk;
        onRows(pending);
        chunk = '';
        pending = 0;
      }
    }
    hash.update(chunk);
    yield chunk;
    onRows(pending);
  }
  try {
    await pipeline(Readable.from(chunks()), fs.createWriteStream(temp));
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  return { rows, sha256: hash.digest('hex') };
}

/** Month ids ('YYYY-MM') that have a sales file under `root`, sorted. */
export async function salesMonths(root: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.promises.readdir(path.join(root, 'sales'));
  } catch {
    return [];
  }
  const months: string[] = [];
  for (const entry of entries) {
    const month = monthOfSalesPath(`sales/${entry}/sales.csv`);
    if (month && fs.existsSync(path.join(root, salesPath(month)))) months.push(month);
  }
  return months.sort();
}

/** Removes a month's sales file and its folder (when empty). */
export async function removeMonth(root: string, month: string): Promise<void> {
  const file = path.join(root, salesPath(month));
  await fs.promises.rm(file, { force: true });
  await fs.promises.rmdir(path.dirname(file)).catch(() => undefined);
}

/** Copies a month's sales file from one root to another, atomically at the destination. */
export async function copyMonth(fromRoot: string, toRoot: string, month: string): Promise<void> {
  const target = path.join(toRoot, salesPath(month));
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  await fs.promises.copyFile(path.join(fromRoot, salesPath(month)), temp);
  await fs.promises.rename(temp, target);
}

/**
 * The SCD2 activity as it was known on `asOf` ('YYYY-MM-DD'): rows that started later are dropped
 * and a row that ended later becomes current again (valid_to empty). Streams `fullFile` to `outFile`.
 */
export async function writeActivityAsOf(fullFile: string, outFile: string, asOf: string): Promise<WrittenFile> {
  const input = readline.createInterface({ input: fs.createReadStream(fullFile), crlfDelay: Infinity });
  const temp = `${outFile}.${process.pid}.tmp`;
  const out = fs.createWriteStream(temp);
  const hash = createHash('sha256');
  let rows = -1;
  const write = (text: string) => {
    hash.update(text);
    return out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
  };
  try {
    let chunk = '';
    for await (const line of input) {
      if (rows === -1) {
        chunk = `${line}\n`;
        rows = 0;
        continue;
      }
      if (line === '') continue;
      const [idx, validFrom = '', validTo = '', scdA, scdB] = line.split(',');
      if (validFrom > asOf) continue;
      chunk += `${idx},${validFrom},${validTo !== '' && validTo >= asOf ? '' : validTo},${scdA},${scdB}\n`;
      rows++;
      if (chunk.length >= CHUNK_BYTES) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await fs.promises.rename(temp, outFile);
  } catch (error) {
    out.destroy();
    await fs.promises.rm(temp, { force: true });
    throw error;
  } finally {
    input.close();
  }
  return { rows, sha256: hash.digest('hex') };
}
