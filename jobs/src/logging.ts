/** pino JSON logs on stderr, so stdout stays free for the job's one-line JSON summary. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(options: { level: string; name: string; runId?: string }): Logger {
  return pino(
    {
      level: options.level,
      base: { job: options.name, ...(options.runId ? { run_id: options.runId } : {}) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that writes nothing: for library calls made from tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
