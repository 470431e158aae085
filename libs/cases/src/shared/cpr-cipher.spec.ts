import { createCipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyUnknownError, EnvelopeInvalidError, keyRingOf, type KeyRing } from '@app/config';
import { parseCpr, type Cpr } from '@app/pathway';
import { CprCipher } from './cpr-cipher';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const cpr = parseCpr('0304871234') as Cpr;
const ring = (current: string, keys: Record<string, Buffer>): KeyRing => ({
  currentKeyId: current,
  keys: new Map(Object.entries(keys)),
});

/** A `v1` envelope exactly as CprCipher wrote them before key ids (CPR_ENCRYPTION_KEY, no id). */
function legacyEnvelope(key: Buffer, digits: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(digits, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(
    '.',
  );
}

describe('CprCipher over a key ring', () => {
  it('writes v2 envelopes that carry the current key id, never the digits, with a fresh IV each time', () => {
    const cipher = new CprCipher(ring('k1', { k0: keyA, k1: keyB }));
    const envelope = cipher.encrypt(cpr);
    expect(envelope).toMatch(/^v2\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(envelope).not.toContain('0304871234');
    expect(cipher.encrypt(cpr)).not.toBe(envelope);
    expect(cipher.keyIdOf(envelope)).toBe('k1');
    expect(cipher.decrypt(envelope).digits).toBe('0304871234');
    // Sealed with k1's key, not k0's: a ring holding another key under the id k1 cannot open it.
    expect(() => new CprCipher(ring('k1', { k1: keyA })).decrypt(envelope)).toThrow(EnvelopeInvalidError);
  });

  it('still decrypts the legacy v1 envelopes with the legacy key k0', () => {
    const legacy = legacyEnvelope(keyA, '0304871234');
    expect(new CprCipher(keyRingOf(keyA)).decrypt(legacy).digits).toBe('0304871234');
    const rotated = new CprCipher(ring('k1', { k0: keyA, k1: keyB }));
    expect(rotated.keyIdOf(legacy)).toBe('k0');
    expect(rotated.decrypt(legacy).digits).toBe('0304871234');
  });

  it('refuses an envelope whose key is not in the ring, naming the key id only', () => {
    const underA = new CprCipher(ring('a', { a: keyA })).encrypt(cpr);
    const withoutA = new CprCipher(ring('b', { b: keyB }));
    let thrown: unknown;
    try {
      withoutA.decrypt(underA);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EncryptionKeyUnknownError);
    expect(thrown).toMatchObject({ code: 'ENCRYPTION_KEY_UNKNOWN', keyId: 'a' });
    expect((thrown as Error).message).not.toContain(underA.split('.')[2]);
    expect(() => withoutA.decrypt(legacyEnvelope(keyA, '0304871234'))).toThrow(EncryptionKeyUnknownError);
  });

  it('refuses a tampered envelope, a changed key id and things that are not envelopes', () => {
    const cipher = new CprCipher(ring('a', { a: keyA, b: keyA }));
    const [version, id, iv, tag, ct] = cipher.encrypt(cpr).split('.');
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([version, id, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(
      EnvelopeInvalidError,
    );
    const otherTag = Buffer.from(tag, 'base64url');
    otherTag[0] ^= 1;
    expect(() => cipher.decrypt([version, id, iv, otherTag.toString('base64url'), ct].join('.'))).toThrow(
      /fails authentication/,
    );
    expect(() => cipher.decrypt(['v1', iv, tag, ct].join('.'))).toThrow(EncryptionKeyUnknownError);
    for (const bad of ['', 'v2.a.b.c', 'v3.a.x.y.z', `v2.a.b.${iv}.${tag}.${ct}`, `v2.a b.${iv}.${tag}.${ct}`])
      expect(() => cipher.decrypt(bad)).toThrow(/not a CPR envelope/);
    expect(() => cipher.decrypt(legacyEnvelope(keyA, 'not a cpr'))).toThrow(EncryptionKeyUnknownError);
    expect(() => new CprCipher(keyRingOf(keyA)).decrypt(legacyEnvelope(keyA, '3213871234'))).toThrow(
      /does not hold a CPR number/,
    );
  });

  it('re-encrypts an envelope under the current key, and refuses a ring whose current key it does not hold', () => {
    const old = new CprCipher(ring('a', { a: keyA })).encrypt(cpr);
    const both = new CprCipher(ring('b', { a: keyA, b: keyB }));
    const again = both.reencrypt(old);
    expect(again.startsWith(both.currentPrefix)).toBe(true);
    expect(new CprCipher(ring('b', { b: keyB })).decrypt(again).digits).toBe('0304871234');
    expect(() => new CprCipher(ring('c', { a: keyA }))).toThrow(EncryptionKeyUnknownError);
    expect(() => new CprCipher(ring('a', { a: Buffer.alloc(16) }))).toThrow(/must be 32 bytes/);
  });
});
