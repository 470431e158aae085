import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertMessage } from './alert-message';

/** The headers of a webhook delivery (lower-case, as Node presents incoming headers). */
export const WEBHOOK_HEADERS = {
  signature: 'x-pathway-signature',
  timestamp: 'x-pathway-timestamp',
  delivery: 'x-pathway-delivery',
  event: 'x-pathway-event',
} as const;

/** How far the sending time may lie from the receiver's clock, either way, before a delivery counts as a replay. */
const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const SIGNATURE_PREFIX = 'sha256=';

/**
 * The JSON body of a webhook delivery. The sending time is inside the body, and so under the
 * signature: a replayed body cannot be passed off as new by changing the timestamp header.
 */
export function webhookBody(message: AlertMessage, sentAt: Date): string {
  return JSON.stringify({ type: 'alert', sentAt: sentAt.toISOString(), alert: message });
}

/**
 * The headers that go with a webhook body: an HMAC-SHA256 of the raw body keyed with the
 * subscription's secret (`sha256=<hex>`), the sending time in unix seconds, the delivery id the
 * receiver de-duplicates on, and the event name.
 */
export function signWebhook(body: string, secret: string, timestamp: Date, deliveryId: string): Record<string, string> {
  if (!secret) throw new Error('a webhook secret is required');
  return {
    'content-type': 'application/json',
    [WEBHOOK_HEADERS.signature]: `${SIGNATURE_PREFIX}${hmacHex(body, secret)}`,
    [WEBHOOK_HEADERS.timestamp]: String(Math.floor(timestamp.getTime() / 1000)),
    [WEBHOOK_HEADERS.delivery]: deliveryId,
    [WEBHOOK_HEADERS.event]: 'alert',
  };
}

/**
 * Whether a received webhook is genuine and fresh: the signature matches the raw body (compared in
 * constant time), the timestamp header lies within `toleranceSeconds` of `now` and agrees with the
 * signed `sentAt`, and the delivery header agrees with the signed delivery id. Receivers call this
 * on the body exactly as received, before parsing it. Any missing header gives false.
 *
 * The receiving half of the contract: the service never calls it (it only sends), but it is the
 * reference a subscriber's check follows, and the tests receive with it as a subscriber would.
 */
export function verifyWebhook(
  body: string,
  headers: Record<string, string | undefined>,
  secret: string,
  now: Date,
  toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
): boolean {
  const signature = header(headers, WEBHOOK_HEADERS.signature);
  const timestamp = header(headers, WEBHOOK_HEADERS.timestamp);
  const delivery = header(headers, WEBHOOK_HEADERS.delivery);
  if (!secret || !signature || !timestamp || !delivery || !/^\d{1,12}$/.test(timestamp)) return false;
  if (!signatureMatches(body, signature, secret)) return false;

  const seconds = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - seconds) > toleranceSeconds) return false;
  const signed = signedFacts(body);
  return signed !== null && signed.sentAtSeconds === seconds && signed.deliveryId === delivery;
}

function hmacHex(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

function signatureMatches(body: string, signature: string, secret: string): boolean {
  const hex = signature.startsWith(SIGNATURE_PREFIX) ? signature.slice(SIGNATURE_PREFIX.length) : '';
  // Buffer.from(…, 'hex') silently stops at the first non-hex character, so the form is checked first.
  if (!/^[0-9a-fA-F]+$/.test(hex)) return false;
  const received = Buffer.from(hex, 'hex');
  const expected = Buffer.from(hmacHex(body, secret), 'hex');
  // timingSafeEqual throws on buffers of different lengths; a length says nothing secret.
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Incoming header names may arrive in any case. */
function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The sending time and delivery id from an already authenticated body, or null when they are absent. */
function signedFacts(body: string): { sentAtSeconds: number; deliveryId: string } | null {
  try {
    const parsed = JSON.parse(body) as { sentAt?: unknown; alert?: { deliveryId?: unknown } };
    const sentAt = typeof parsed.sentAt === 'string' ? Date.parse(parsed.sentAt) : NaN;
    const deliveryId = parsed.alert?.deliveryId;
    if (Number.isNaN(sentAt) || typeof deliveryId !== 'string') return null;
    return { sentAtSeconds: Math.floor(sentAt / 1000), deliveryId };
  } catch {
    return null;
  }
}
