import { InvalidCursorError } from './errors';

/** A keyset cursor: the sort key of a page's last row, as opaque base64url JSON. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * The parts of a cursor, checked by `read`: a cursor is exactly what encodeCursor wrote, anything
 * else (a forged or damaged one) is refused with INVALID_CURSOR before SQL sees it.
 */
export function decodeCursor<T>(cursor: string, read: (parts: unknown[]) => T | null): T {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const value = Array.isArray(parts) ? read(parts) : null;
    if (value) return value;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

const ISO_TIME = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Exactly what Date#toISOString writes. */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIME.test(value) && new Date(value).toISOString() === value;
}
