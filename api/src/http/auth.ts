/** API keys: when API_KEYS is set, protected routes need one in X-API-Key or Authorization: Bearer. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { httpError } from './errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireApiKey(keys: readonly string[]): RequestHandler {
  const digests = keys.map(digest);
  return (req, _res, next) => {
    if (digests.length === 0) return next();
    const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const presented = req.get('x-api-key') ?? bearer;
    if (!presented) throw httpError(401, 'UNAUTHORIZED', 'an API key is required (X-API-Key header)');
    const candidate = digest(presented);
    // Compare with every key (no early exit) in constant time per key.
    const ok = digests.reduce((found, d) => timingSafeEqual(d, candidate) || found, false);
    if (!ok) throw httpError(401, 'UNAUTHORIZED', 'the API key is not valid');
    next();
  };
}

/** 415 unless a body-carrying request is JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  }
  next();
};
