import { createHmac } from 'node:crypto';

/**
 * Fingerprints of requests for Idempotency-Key checks. Keyed (HMAC-SHA256): a plain hash of a body
 * holding a CPR number could be reversed by trying every number.
 */
export class RequestFingerprint {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('pathway idempotency fingerprint').digest();
  }

  of(target: string, body: unknown): string {
    return createHmac('sha256', this.key).update(target).update('\n').update(canonicalJson(body)).digest('base64url');
  }
}

/** JSON with object keys sorted, so that the same body always gives the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
