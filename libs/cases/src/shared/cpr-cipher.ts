import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { parseCpr, type Cpr } from '@app/pathway';

const VERSION = 'v1';

/**
 * Encrypts CPR numbers at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url). Each
 * encryption has a fresh 96-bit IV; the tag authenticates, so a tampered envelope fails to open.
 */
export class CprCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the CPR key must be 32 bytes');
  }

  encrypt(cpr: Cpr): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(cpr.digits, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  decrypt(envelope: string): Cpr {
    const [version, iv, tag, ciphertext] = envelope.split('.');
    if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error('not a CPR envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const digits = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
    const cpr = parseCpr(digits);
    if (!cpr) throw new Error('the envelope does not hold a CPR number');
    return cpr;
  }
}
