import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { EncryptionKeyUnknownError, keyRingOf } from '@app/config';
import { SecretBox } from './secret-box';

const key = Buffer.alloc(32, 7);

/** A `w1` envelope as SecretBox sealed them before key ids: the legacy key, no id. */
function legacyEnvelope(secret: string): string {
  const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pathway webhook secrets', 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derived, iv);
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['w1', iv, cipher.getAuthTag(), ct]
    .map((f) => (typeof f === 'string' ? f : f.toString('base64url')))
    .join('.');
}

describe('SecretBox', () => {
  it('seals a secret so that only the same service key opens it, and never in plain text', () => {
    const box = new SecretBox(keyRingOf(key));
    const sealed = box.seal('whsec_abc123');
    expect(sealed).not.toContain('whsec_abc123');
    expect(sealed).toMatch(/^w2\.k0\./);
    expect(sealed).not.toBe(box.seal('whsec_abc123')); // a fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc123');
    expect(() => new SecretBox(keyRingOf(Buffer.alloc(32, 8))).open(sealed)).toThrow();
  });

  it('refuses a tampered or foreign envelope', () => {
    const box = new SecretBox(keyRingOf(key));
    const [version, id, iv, tag, data] = box.seal('whsec_abc123').split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([version, id, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(/authentication/);
    expect(() => box.open('c1.a.b.c')).toThrow(/not a webhook secret envelope/);
  });

  it('opens the legacy w1 envelopes with k0, and re-seals them under the current key of the ring', () => {
    const ring = {
      currentKeyId: 'k1',
      keys: new Map([
        ['k0', key],
        ['k1', Buffer.alloc(32, 9)],
      ]),
    };
    const box = new SecretBox(ring);
    const resealed = box.reseal(legacyEnvelope('whsec_old'));
    expect(resealed.startsWith(box.currentPrefix)).toBe(true);
    expect(box.currentPrefix).toBe('w2.k1.');
    const withoutK0 = new SecretBox(keyRingOf(Buffer.alloc(32, 9), 'k1'));
    expect(withoutK0.open(resealed)).toBe('whsec_old');
    expect(() => withoutK0.open(legacyEnvelope('whsec_old'))).toThrow(EncryptionKeyUnknownError);
  });
});
