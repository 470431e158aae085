import type { IncomingMessage } from 'node:http';

/** Letters, digits and - _ ~ (RFC 3986 unreserved, the dot apart: `%2e%2e` stays encoded, never a `..` segment). */
const UNRESERVED = /^[A-Za-z0-9\-_~]$/;

/**
 * The request target with its path's percent-encoded unreserved characters decoded (RFC 3986
 * §6.2.2.2), everything else as it came. The router decodes them, so without this `/%761/cases`
 * would reach `/v1/cases` while a check on the URL (the rate limits, the security headers, the
 * queue view's access) saw something else: every check and the router now read the same path.
 */
export function canonicalUrl(url: string): string {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (!path.includes('%')) return url;
  const canonical = path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape;
  });
  return query === -1 ? canonical : canonical + url.slice(query);
}

/** Fastify's `rewriteUrl` option: runs before routing and before every hook. */
export const rewriteUrl = (request: IncomingMessage): string => canonicalUrl(request.url ?? '/');
