/**
 * Holds the served model and swaps it on promotion: the new version is loaded fully first, then
 * becomes current; requests that took the old model finish on it, and it is disposed after the last
 * of them. Changes arrive by notification (LISTEN) with a poll as the fallback.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import type { ModelSource, ServingModel } from './port';

interface Slot {
  model: ServingModel;
  inFlight: number;
  retired: boolean;
}

export class ModelHolder {
  private slot: Slot | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopWatch: (() => Promise<void>) | undefined;
  lastError: string | undefined;

  constructor(
    readonly source: ModelSource,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /** The served model, or undefined before the first load. */
  get current(): ServingModel | undefined {
    return this.slot?.model;
  }

  /** Runs fn with the current model; a swap during fn does not dispose the model under it. */
  async use<T>(fn: (model: ServingModel) => Promise<T>): Promise<T | undefined> {
    const slot = this.slot;
    if (!slot) return undefined;
    slot.inFlight += 1;
    try {
      return await fn(slot.model);
    } finally {
      slot.inFlight -= 1;
      if (slot.retired && slot.inFlight === 0) slot.model.dispose();
    }
  }

  /** Loads the wanted version when it differs from the served one. Concurrent calls coalesce. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.refreshOnce();
      } while (this.again);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    let version: string | undefined;
    try {
      version = await this.source.wantedVersion();
      if (version === undefined || version === this.slot?.model.version) return;
      const started = process.hrtime.bigint();
      const model = await this.source.load(version);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.swap(model);
      this.lastError = undefined;
      // The loaded model names its version (a directory source only knows its path beforehand).
      this.metrics.modelLoads.inc({ outcome: 'loaded', version: model.version });
      this.metrics.modelLoadSeconds.observe(seconds);
      this.logger.info({ version: model.version, kind: model.kind, backend: model.backend, seconds }, 'model loaded');
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.metrics.modelLoads.inc({ outcome: 'failed', version: version ?? 'unknown' });
      this.logger.error(
        { err: error, version, source: this.source.name },
        'model load failed; serving the previous one',
      );
    }
  }

  private swap(model: ServingModel): void {
    const old = this.slot;
    this.slot = { model, inFlight: 0, retired: false };
    this.metrics.modelInfo.reset();
    this.metrics.modelInfo.set({ version: model.version, kind: model.kind, backend: model.backend }, 1);
    if (old) {
      old.retired = true;
      if (old.inFlight === 0) old.model.dispose();
    }
  }

  /** First load, then LISTEN (when the source can) and the poll. */
  async start(pollSeconds: number): Promise<void> {
    await this.refresh();
    if (this.source.watch) {
      try {
        this.stopWatch = await this.source.watch(() => void this.refresh());
      } catch (error) {
        this.logger.warn({ err: error }, 'model notifications unavailable; polling only');
      }
    }
    this.timer = setInterval(() => void this.refresh(), pollSeconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.stopWatch?.();
    await this.refreshing;
  }
}
