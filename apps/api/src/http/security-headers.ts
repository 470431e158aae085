import type { ServerResponse } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest, FastifyReply } from 'fastify';
import type { HttpConfig } from '@app/config';
import { isQueueBoardUrl } from '../admin/queue-board';

/**
 * What every API answer carries, errors included: nothing in it is to be cached (case data, tokens),
 * its content type is not to be guessed, and no address of it leaks to another site in a Referer.
 */
const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The dashboard's files and Swagger UI set their own (a content security policy, caching of hashed files). */
const OWN_HEADERS = /^\/(?:app|docs)(?:[/?-]|$)/;

/**
 * The queue view (Bull Board) runs scripts and styles of its own: from this origin only (inline
 * styles apart, as the dashboard's), and no fonts from elsewhere.
 */
const QUEUE_BOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The security headers of an answer to `url` (undefined: a request too broken to have one, answered
 * as the API): the API's, but for the dashboard and the docs, and a content security policy for the
 * queue view; HSTS on every answer when configured.
 */
export function securityHeaders(url: string | undefined, hstsMaxAgeS: number | null): Record<string, string> {
  return {
    ...(url !== undefined && OWN_HEADERS.test(url) ? {} : API_SECURITY_HEADERS),
    ...(url !== undefined && isQueueBoardUrl(url) && { 'content-security-policy': QUEUE_BOARD_CSP }),
    ...(hstsMaxAgeS !== null && { 'strict-transport-security': `max-age=${hstsMaxAgeS}` }),
  };
}

/** Sets them on a response before it is written (a route may still override one). */
export function setSecurityHeaders(url: string, res: ServerResponse, hstsMaxAgeS: number | null): void {
  for (const [name, value] of Object.entries(securityHeaders(url, hstsMaxAgeS))) res.setHeader(name, value);
}

/**
 * Every answer but the dashboard's and the docs' gets the API's security headers, and every answer
 * Strict-Transport-Security when HSTS_MAX_AGE is set. They are set on the raw response as the
 * request arrives, so they are on every answer that follows: a route's, an error's, a 404, a 429,
 * and the live stream (which writes the raw response itself).
 */
export function sendSecurityHeaders(app: NestFastifyApplication, http: HttpConfig): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      setSecurityHeaders(request.url, reply.raw, http.hstsMaxAgeS);
      done();
    });
}
