import { HttpException, Logger } from '@nestjs/common';
import { AuthenticationError } from '@app/auth';
import { CaseNotFoundError, IdempotencyKeyReusedError, InvalidCursorError, VersionConflictError } from '@app/cases';
import { DomainError } from '@app/pathway';
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

/** Codes fastify gives to errors it raises before a route runs. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the body is larger than 64 KiB' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_REQUEST', message: 'the Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', message: 'the body is empty; send {} for a command without fields' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON', message: 'the body is not valid JSON' },
};

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE', 408: 'REQUEST_TIMEOUT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'TOO_MANY_REQUESTS',
};

const logger = new Logger('HTTP');

/**
 * Maps any error to a status and the API's error body. A client error is never a 500; anything
 * unexpected is logged (message and stack only, never the request) and answered 500 INTERNAL.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ValidationError) return { status: 400, body: { code: error.code, message: error.message, details: error.details } };
  if (error instanceof DomainError) {
    const status = error.kind === 'forbidden' ? 403 : error.kind === 'not-found' ? 404 : 422;
    return { status, body: { code: error.code, message: error.message } };
  }
  if (error instanceof CaseNotFoundError || error instanceof InvalidCursorError) {
    return { status: error instanceof CaseNotFoundError ? 404 : 400, body: { code: error.code, message: error.message } };
  }
  if (error instanceof VersionConflictError) {
    return { status: 409, body: { code: error.code, message: error.message, details: { currentVersion: error.currentVersion } }, headers: { etag: `"${error.currentVersion}"` } };
  }
  if (error instanceof IdempotencyKeyReusedError) return { status: 422, body: { code: error.code, message: error.message } };
  if (error instanceof AuthenticationError) {
    return { status: 401, body: { code: 'UNAUTHENTICATED', message: error.message }, headers: { 'www-authenticate': 'Bearer' } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status < 500) return { status, body: { code: HTTP_CODES[status] ?? 'BAD_REQUEST', message: status === 404 ? 'no such route' : error.message } };
  }
  const fastify = error as { code?: string; statusCode?: number; message?: string };
  if (fastify && typeof fastify.code === 'string' && FASTIFY_ERRORS[fastify.code]) {
    const known = FASTIFY_ERRORS[fastify.code];
    return { status: known.status, body: { code: known.code, message: known.message } };
  }
  if (error instanceof SyntaxError && fastify.statusCode === 400) {
    return { status: 400, body: { code: 'MALFORMED_JSON', message: 'the body is not valid JSON' } };
  }
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return { status: fastify.statusCode, body: { code: HTTP_CODES[fastify.statusCode] ?? 'BAD_REQUEST', message: 'the request could not be read' } };
  }
  logger.error(error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected error', error instanceof Error ? error.stack : undefined);
  return { status: 500, body: { code: 'INTERNAL', message: 'something went wrong on our side; it has been logged' } };
}
