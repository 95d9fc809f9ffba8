/**
 * The prediction log: requests put entries in a bounded queue and never wait; a timer writes them in
 * batches (one insert per batch, or JSONL lines). A full queue drops the entry and counts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';

export interface PredictionEntry {
  request_id: string;
  idx: number;
  model_version: string;
  probability: number;
  label: number;
  features: Record<string, unknown>;
  created_at: string;
  /** Milliseconds the /predict handler took (feature lookup + scoring), shared by a batch. */
  latency_ms: number;
}

/** Where batches go. */
export interface PredictionSink {
  write(batch: PredictionEntry[]): Promise<void>;
  close?(): Promise<void>;
}

export const databaseSink = (db: Knex): PredictionSink => ({
  async write(batch) {
    await db('predictions').insert(batch.map((e) => ({ ...e, features: JSON.stringify(e.features) })));
  },
});

export function jsonlSink(file: string): PredictionSink {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return {
    async write(batch) {
      await fs.promises.appendFile(file, batch.map((e) => JSON.stringify(e)).join('\n') + '\n');
    },
  };
}

export class PredictionLog {
  private queue: PredictionEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly sink: PredictionSink,
    private readonly options: { maxQueue: number; batchSize: number; flushMs: number },
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs);
    this.timer.unref();
  }

  /** Queues entries; returns at once. Entries past the bound are dropped and counted. */
  add(entries: PredictionEntry[]): void {
    const room = this.options.maxQueue - this.queue.length;
    if (room < entries.length)
      this.metrics.predictionLogDropped.inc({ reason: 'queue_full' }, entries.length - Math.max(room, 0));
    if (room > 0) this.queue.push(...entries.slice(0, room));
    if (this.queue.length >= this.options.batchSize) void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far, batch by batch (one writer at a time). */
  flush(): Promise<void> {
    if (this.writing) return this.writing.then(() => (this.queue.length ? this.flush() : undefined));
    if (this.queue.length === 0) return Promise.resolve();
    this.writing = (async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.batchSize);
        try {
          await this.sink.write(batch);
          this.metrics.predictionLogWritten.inc(batch.length);
        } catch (error) {
          this.metrics.predictionLogDropped.inc({ reason: 'write_failed' }, batch.length);
          this.logger.error({ err: error, entries: batch.length }, 'prediction log write failed; batch dropped');
        }
      }
    })().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  /** Stops the timer and writes what is left (graceful shutdown). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    await this.sink.close?.();
  }
}
