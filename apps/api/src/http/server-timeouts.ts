import type { HttpConfig } from '@app/config';

/** How often Node looks for requests over their header or request timeout (its default, 30 s, would add up to that). */
const TIMEOUT_CHECK_MS = 1_000;

/**
 * Fastify's server options for the API's timeouts. A request's headers must arrive within
 * HTTP_HEADERS_TIMEOUT_MS (a slowloris client sending them byte by byte is answered 408 and closed)
 * and the whole request within HTTP_REQUEST_TIMEOUT_MS; both count only until the request has
 * arrived, so a long answer, such as the live alert stream, is not cut. A connection silent both
 * ways for HTTP_IDLE_TIMEOUT_MS is closed (one that never sends a byte, too; the stream's heartbeat
 * is more frequent), and an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS.
 */
export function serverTimeouts(http: HttpConfig) {
  return {
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.idleTimeoutMs,
    http: {
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      keepAliveTimeout: http.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, http.headersTimeoutMs),
    },
  };
}
