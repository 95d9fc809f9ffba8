/** Progress of long work: a bar on a TTY, periodic structured log lines otherwise (Airflow logs). */
import cliProgress from 'cli-progress';
import type { Logger } from './logging';

export interface Progress {
  /** Adds n done units (rows, bytes...). */
  tick(n?: number): void;
  /** Sets the total once it becomes known. */
  setTotal(total: number): void;
  done(): void;
}

export interface ProgressOptions {
  label: string;
  unit: string;
  total?: number;
  logger: Logger;
  /** Force a mode; by default a bar when stderr is a TTY. */
  tty?: boolean;
  /** Seconds between log lines when not on a TTY. */
  intervalSeconds?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const tty = options.tty ?? Boolean(process.stderr.isTTY);
  return tty ? barProgress(options) : logProgress(options);
}

function barProgress({ label, unit, total }: ProgressOptions): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total ?? 0, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    setTotal: (t) => bar.setTotal(t),
    done: () => bar.stop(),
  };
}

function logProgress({ label, unit, total, logger, intervalSeconds = 5 }: ProgressOptions): Progress {
  let done = 0;
  let knownTotal = total;
  const started = Date.now();
  let lastLog = started;
  const log = (final: boolean) => {
    const elapsed = (Date.now() - started) / 1000;
    logger.info(
      {
        progress: label,
        done,
        total: knownTotal ?? null,
        unit,
        per_second: elapsed > 0 ? Math.round(done / elapsed) : null,
        percent: knownTotal ? Math.min(100, Math.round((done / knownTotal) * 1000) / 10) : null,
      },
      final ? `${label}: finished` : `${label}: progress`,
    );
  };
  return {
    tick(n = 1) {
      done += n;
      const now = Date.now();
      if (now - lastLog >= intervalSeconds * 1000) {
        lastLog = now;
        log(false);
      }
    },
    setTotal(t) {
      knownTotal = t;
    },
    done: () => log(true),
  };
}
