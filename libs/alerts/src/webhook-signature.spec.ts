import { createHmac } from 'node:crypto';
import type { AlertMessage } from './alert-message';
import { SAMPLE_CASE_ID, sampleAlertMessage } from './testing/sample-alert-message';
import { signWebhook, verifyWebhook, WEBHOOK_HEADERS, webhookBody } from './webhook-signature';

const SECRET = 'whsec-test-3f9a1c';
const SENT_AT = new Date('2026-11-24T13:00:05.250Z');
const CASE_ID = SAMPLE_CASE_ID;
const message: AlertMessage = sampleAlertMessage({
  deliveryId: `${CASE_ID}.notification-assessment-1.breach.r0.sub-1.webhook`,
});

const body = webhookBody(message, SENT_AT);
const headers = signWebhook(body, SECRET, SENT_AT, message.deliveryId);
const later = (seconds: number) => new Date(SENT_AT.getTime() + seconds * 1000);

describe('webhook signing', () => {
  it('signs the raw body with HMAC-SHA256 of the secret and names time, delivery and event', () => {
    const expected = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-pathway-signature': `sha256=${expected}`,
      'x-pathway-timestamp': '1795525205',
      'x-pathway-delivery': message.deliveryId,
      'x-pathway-event': 'alert',
    });
  });

  it('puts the sending time and the whole alert inside the signed body', () => {
    expect(JSON.parse(body)).toEqual({ type: 'alert', sentAt: '2026-11-24T13:00:05.250Z', alert: message });
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook(body, '', SENT_AT, message.deliveryId)).toThrow('secret');
  });
});

describe('webhook verification', () => {
  it('accepts what was signed, within the tolerance either way', () => {
    expect(verifyWebhook(body, headers, SECRET, later(2))).toBe(true);
    expect(verifyWebhook(body, headers, SECRET, later(300))).toBe(true);
    expect(verifyWebhook(body, headers, SECRET, later(-300))).toBe(true);
  });

  it('reads header names in any case', () => {
    const shouted = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook(body, shouted, SECRET, later(2))).toBe(true);
  });

  it('rejects a body with one byte changed', () => {
    const tampered = body.replace('7F3K', '7F3L');
    expect(tampered).not.toBe(body);
    expect(verifyWebhook(tampered, headers, SECRET, later(2))).toBe(false);
  });

  it('rejects a wrong secret', () => {
    expect(verifyWebhook(body, headers, 'whsec-test-3f9a1d', later(2))).toBe(false);
    expect(verifyWebhook(body, headers, '', later(2))).toBe(false);
  });

  it('rejects a delivery older or newer than the tolerance', () => {
    expect(verifyWebhook(body, headers, SECRET, later(301))).toBe(false);
    expect(verifyWebhook(body, headers, SECRET, later(-301))).toBe(false);
    expect(verifyWebhook(body, headers, SECRET, later(61), 60)).toBe(false);
  });

  it('rejects an old body replayed with a fresh timestamp header', () => {
    const now = later(3600);
    const replayed = { ...headers, [WEBHOOK_HEADERS.timestamp]: String(Math.floor(now.getTime() / 1000)) };
    expect(verifyWebhook(body, replayed, SECRET, now)).toBe(false);
  });

  it('rejects a delivery header that differs from the signed delivery id', () => {
    expect(verifyWebhook(body, { ...headers, [WEBHOOK_HEADERS.delivery]: 'other-delivery' }, SECRET, later(2))).toBe(
      false,
    );
  });

  it.each([WEBHOOK_HEADERS.signature, WEBHOOK_HEADERS.timestamp, WEBHOOK_HEADERS.delivery])(
    'rejects a delivery without %s',
    (name) => {
      const { [name]: _dropped, ...rest } = headers;
      expect(verifyWebhook(body, rest, SECRET, later(2))).toBe(false);
      expect(verifyWebhook(body, { ...headers, [name]: undefined }, SECRET, later(2))).toBe(false);
    },
  );

  it('rejects malformed signatures without throwing', () => {
    const hex = headers[WEBHOOK_HEADERS.signature].slice('sha256='.length);
    for (const signature of [
      hex,
      `sha256=${hex.slice(2)}`,
      `sha256=${hex}00`,
      `sha256=${hex}zz`,
      'sha256=',
      `sha1=${hex}`,
    ]) {
      expect(verifyWebhook(body, { ...headers, [WEBHOOK_HEADERS.signature]: signature }, SECRET, later(2))).toBe(false);
    }
  });
});
