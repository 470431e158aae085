import { createHash, timingSafeEqual } from 'node:crypto';
import { inRanges, type MetricsConfig } from '@app/config';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a request may read /metrics: from an address in METRICS_ALLOWED_ADDRESSES, or with
 * `Authorization: Bearer <METRICS_TOKEN>` when a token is set (compared in constant time).
 */
export function metricsAllowed(
  config: MetricsConfig,
  remoteAddress: string | undefined,
  authorization: string | undefined,
): boolean {
  if (inRanges(remoteAddress, config.allowedAddresses)) return true;
  if (!config.token) return false;
  const presented = /^Bearer ([^\s]+)$/i.exec(authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), digest(config.token));
}
