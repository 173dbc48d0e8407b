import { LoggerService } from '@backstage/backend-plugin-api';
import { isError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import { randomBytes } from 'node:crypto';

/** Errors whose message is written for the caller. */
const PUBLIC_ERRORS = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
  'UnsupportedMediaTypeError',
  'PayloadTooLargeError',
]);

/** PostgreSQL SQLSTATEs and socket errors of a database out of reach. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

function isDatabaseUnreachable(error: Error): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  return (
    UNREACHABLE_CODES.has(code) ||
    /^08/.test(code) || // connection_exception
    error.name === 'KnexTimeoutError'
  );
}

/**
 * What the caller of a failed request is told. Errors written for callers
 * (the `@backstage/errors` ones, body-parser's 4xx) pass; anything else is
 * logged with an id and answered without its message, which for a database
 * error holds the SQL; a database out of reach is a 503 naming it.
 */
export function toPublicError(error: unknown, logger: LoggerService): Error {
  if (isError(error)) {
    if (PUBLIC_ERRORS.has(error.name)) return error;
    const status =
      (error as { statusCode?: unknown; status?: unknown }).statusCode ??
      (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return error;
    }
  }
  const logId = randomBytes(8).toString('hex');
  logger.error(`AI Platform request failed (logId=${logId})`, error as Error);
  if (isError(error) && isDatabaseUnreachable(error)) {
    return new ServiceUnavailableError(
      `The AI Platform database is unavailable (logId=${logId})`,
    );
  }
  const internal = new Error(
    `Internal error of the AI Platform backend (logId=${logId}); the backend log has the details`,
  );
  delete internal.stack;
  return internal;
}

/** The last middleware of the router: see {@link toPublicError}. */
export function publicErrors(
  logger: LoggerService,
): express.ErrorRequestHandler {
  return (error, _req, _res, next) => next(toPublicError(error, logger));
}
