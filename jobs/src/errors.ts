/** The one error type of Propel: a code, an exit code, an HTTP status and whether it is operational. */

export type ErrorCode =
  'BAD_INPUT' | 'BAD_CONFIG' | 'NOT_FOUND' | 'NOTHING_TO_DO' | 'VALIDATION_FAILED' | 'UNAVAILABLE' | 'INTERNAL';

/** Exit codes of the jobs CLI (DESIGN §5): Airflow retries anything that is not 0, 2 or 99. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, nothingToDo: 99 } as const;

const defaults: Record<ErrorCode, { exitCode: number; httpStatus: number }> = {
  BAD_INPUT: { exitCode: EXIT.badInput, httpStatus: 400 },
  BAD_CONFIG: { exitCode: EXIT.badInput, httpStatus: 500 },
  NOT_FOUND: { exitCode: EXIT.badInput, httpStatus: 404 },
  NOTHING_TO_DO: { exitCode: EXIT.nothingToDo, httpStatus: 409 },
  VALIDATION_FAILED: { exitCode: EXIT.failure, httpStatus: 422 },
  UNAVAILABLE: { exitCode: EXIT.failure, httpStatus: 503 },
  INTERNAL: { exitCode: EXIT.failure, httpStatus: 500 },
};

/** Where in the input a problem is: the user needs this to fix it. */
export interface ErrorContext {
  file?: string;
  line?: number;
  column?: string;
  setting?: string;
  field?: string;
  [key: string]: unknown;
}

export class PropelError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly httpStatus: number;
  /** true for expected conditions (bad input, nothing to do); false for bugs. */
  readonly operational: boolean;
  readonly context: ErrorContext;

  constructor(
    code: ErrorCode,
    message: string,
    options: { context?: ErrorContext; cause?: unknown; httpStatus?: number; operational?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PropelError';
    this.code = code;
    this.exitCode = defaults[code].exitCode;
    this.httpStatus = options.httpStatus ?? defaults[code].httpStatus;
    this.operational = options.operational ?? code !== 'INTERNAL';
    this.context = options.context ?? {};
  }
}

export const badInput = (message: string, context?: ErrorContext): PropelError =>
  new PropelError('BAD_INPUT', message, { context });

export const badConfig = (setting: string, message: string): PropelError =>
  new PropelError('BAD_CONFIG', `${setting}: ${message}`, { context: { setting } });

export const nothingToDo = (message: string, context?: ErrorContext): PropelError =>
  new PropelError('NOTHING_TO_DO', message, { context });

/** Any thrown value as a PropelError; unknown errors become INTERNAL (a bug or an outage). */
export function toPropelError(error: unknown): PropelError {
  if (error instanceof PropelError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PropelError('INTERNAL', message, { cause: error, operational: false });
}
