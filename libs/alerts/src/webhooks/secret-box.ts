import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'w1';

/**
 * Encrypts webhook signing secrets at rest (AES-256-GCM). Its key is derived from the service's
 * encryption key (HKDF-SHA256, its own label), so a key meant for CPR numbers never encrypts
 * anything else directly.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(serviceKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', serviceKey, Buffer.alloc(0), 'pathway webhook secrets', 32));
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(envelope: string): string {
    const [version, iv, tag, ciphertext] = envelope.split('.');
    if (version !== VERSION || !iv || !tag || !ciphertext) throw new Error('not a webhook secret envelope');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
