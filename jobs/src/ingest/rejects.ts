/**
 * Rows quarantined by `--on-bad-rows quarantine`: spooled to a temp file while the data COPY runs
 * (one connection cannot run two COPYs at once, and memory stays bounded), then copied into
 * rejected_rows inside the same transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from './fields';

export interface Rejection {
  line: number;
  column?: string;
  reason: string;
  raw: string;
}

export class RejectSpool {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propel-rejects-'));
  private readonly file = path.join(this.dir, 'rejected.tsv');
  private readonly out = fs.createWriteStream(this.file);
  /** The first few rejections, for messages and the summary. */
  readonly examples: Rejection[] = [];
  count = 0;

  constructor(private readonly meta: { runId: string; dataset: string; saleMonth: string | null; file: string }) {}

  async add(rejection: Rejection): Promise<void> {
    this.count += 1;
    if (this.examples.length < 5) this.examples.push(rejection);
    const { runId, dataset, saleMonth, file } = this.meta;
    const reason = rejection.column ? `${rejection.column}: ${rejection.reason}` : rejection.reason;
    const cells = [runId, dataset, saleMonth, file, String(rejection.line), reason, rejection.raw];
    if (!this.out.write(`${cells.map(copyText).join('\t')}\n`)) await once(this.out, 'drain');
  }

  /** Copies the spooled rows into rejected_rows on `client` (inside the caller's transaction). */
  async flushInto(client: pg.PoolClient): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (this.count === 0) return;
    await pipeline(
      fs.createReadStream(this.file),
      client.query(copyFrom('COPY rejected_rows (run_id, dataset, sale_month, file, line, reason, raw) FROM STDIN')),
    );
  }

  dispose(): void {
    this.out.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
