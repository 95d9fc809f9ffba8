/**
 * The API's one error handler: every failure leaves as {"error":{"code","message","details"}} with
 * the right status. Bad input is never a 5xx, and no stack trace reaches a client.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { PropelError, toPropelError } from '@propel/jobs/dist/errors';
import type { z } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A PropelError for an HTTP-only condition (401, 404, 413, 415) with its own response code. */
export function httpError(status: number, code: string, message: string, details?: FieldProblem[]): PropelError {
  const kind = status === 503 ? 'UNAVAILABLE' : status === 404 ? 'NOT_FOUND' : 'BAD_INPUT';
  return new PropelError(kind, message, { httpStatus: status, context: { apiCode: code, details } });
}

/** Every zod issue as a field path and a message ("instances[2].features.attr_a"). */
export function fieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues
    .map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => {
        const parts = key === undefined ? issue.path : [...issue.path, key];
        const field = parts.reduce<string>(
          (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
          prefix,
        );
        return { field: field || '(body)', message: key === undefined ? issue.message : 'unknown field' };
      });
    })
    .flat();
}

/** Parses with a schema or throws a 400 naming every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = fieldProblems(parsed.error);
  throw httpError(400, 'BAD_INPUT', `invalid request: ${details.map((d) => d.field).join(', ')}`, details);
}

/** body-parser's errors (too large, bad JSON, unsupported charset) as API errors. */
function fromBodyParser(error: unknown): PropelError | undefined {
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.too.large') return httpError(413, 'PAYLOAD_TOO_LARGE', 'request body is too large');
  if (type === 'entity.parse.failed') return httpError(400, 'BAD_INPUT', 'request body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported charset or content encoding');
  }
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500 && typeof type === 'string') {
    return httpError(status, 'BAD_INPUT', 'the request body could not be read');
  }
  return undefined;
}

export const notFound: RequestHandler = (req) => {
  throw httpError(404, 'NOT_FOUND', `no route ${req.method} ${req.path}`);
};

export const errorHandler: ErrorRequestHandler = (thrown, req, res, _next) => {
  const error = fromBodyParser(thrown) ?? toPropelError(thrown);
  const status = error.httpStatus >= 400 && error.httpStatus < 600 ? error.httpStatus : 500;
  if (status >= 500 && !error.operational) {
    req.log?.error({ err: thrown }, 'request failed');
  } else {
    req.log?.warn({ code: error.code, status, message: error.message }, 'request rejected');
  }
  const context = error.context as { apiCode?: string; details?: FieldProblem[]; field?: string };
  const details = context.details ?? (context.field ? [{ field: context.field, message: error.message }] : undefined);
  // A bug's message may carry internals: clients get a generic one and the request id to quote.
  const message = error.operational ? error.message : `internal error (request ${String(req.id ?? '')})`;
  if (res.headersSent) return;
  res.status(status).json({ error: { code: context.apiCode ?? error.code, message, ...(details ? { details } : {}) } });
};
