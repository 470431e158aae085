import { HttpException, Logger } from '@nestjs/common';
import { AuthenticationError } from '@app/auth';
import { ApplicationError, VersionConflictError } from '@app/cases';
import { DomainError } from '@app/pathway';
import { isDatabaseUnavailable } from '@app/persistence';
import { MalformedJsonError, UnsupportedCharsetError } from './configure-http';
import { ValidationError } from './validation';

/** The one error shape of the API. `code` is stable; `message` is for people. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export interface ApiError {
  status: number;
  body: ApiErrorBody;
  headers?: Record<string, string>;
}

/** Statuses raised before a route runs (by fastify, through Nest) and their codes and messages. */
const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
};

const MESSAGES: Record<number, string> = {
  404: 'no such route',
  405: 'this route does not accept that method',
  413: 'the body is larger than 64 KiB',
  414: 'a part of the URL is too long',
  415: 'send the body as application/json',
  431: 'the request headers are too large',
};

const logger = new Logger('HTTP');

/**
 * 429: too many requests in the window (`RATE_LIMITED`, with when to retry in seconds) or too many
 * live streams open at once (`TOO_MANY_STREAMS`: retry when one of them is closed).
 */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  constructor(
    readonly code: 'RATE_LIMITED' | 'TOO_MANY_STREAMS',
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Seconds a client is asked to wait (Retry-After) when the database cannot be reached. */
export const DATABASE_RETRY_AFTER_S = 5;

/**
 * Maps any error to a status and the API's error body. A client error is never a 500; a database
 * that cannot be reached is 503 SERVICE_UNAVAILABLE with Retry-After (logged once per outage by
 * DatabaseAvailability, not here); anything else unexpected is logged (message and stack only,
 * never the request) and answered 500 INTERNAL.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ValidationError)
    return { status: 400, body: { code: error.code, message: error.message, details: error.details } };
  if (error instanceof DomainError) {
    const status = error.kind === 'forbidden' ? 403 : error.kind === 'not-found' ? 404 : 422;
    return { status, body: { code: error.code, message: error.message } };
  }
  if (error instanceof ApplicationError) {
    const status = { 'not-found': 404, conflict: 409, invalid: 400, rule: 422 }[error.kind];
    const headers = error instanceof VersionConflictError ? { etag: `"${error.currentVersion}"` } : undefined;
    return {
      status,
      body: { code: error.code, message: error.message, ...(error.details && { details: error.details }) },
      headers,
    };
  }
  if (error instanceof AuthenticationError) {
    return {
      status: 401,
      body: { code: error.code, message: error.message },
      headers: { 'www-authenticate': 'Bearer' },
    };
  }
  if (error instanceof TooManyRequestsError) {
    const retryAfter = error.retryAfterSeconds;
    return {
      status: 429,
      body: { code: error.code, message: error.message },
      headers: retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) },
    };
  }
  if (error instanceof MalformedJsonError) return { status: 400, body: { code: error.code, message: error.message } };
  if (error instanceof UnsupportedCharsetError)
    return { status: 415, body: { code: error.code, message: error.message } };
  if (error instanceof HttpException && error.getStatus() < 500) {
    const status = error.getStatus();
    return {
      status,
      body: { code: HTTP_CODES[status] ?? 'BAD_REQUEST', message: MESSAGES[status] ?? 'the request could not be read' },
    };
  }
  if (isDatabaseUnavailable(error))
    return {
      status: 503,
      body: {
        code: 'SERVICE_UNAVAILABLE',
        message: `the database cannot be reached right now: try again in ${DATABASE_RETRY_AFTER_S} seconds (a command with the same Idempotency-Key)`,
      },
      headers: { 'retry-after': String(DATABASE_RETRY_AFTER_S) },
    };
  logger.error(
    error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected error',
    error instanceof Error ? error.stack : undefined,
  );
  return { status: 500, body: { code: 'INTERNAL', message: 'something went wrong on our side; it has been logged' } };
}
