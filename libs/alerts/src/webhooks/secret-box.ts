import { hkdfSync } from 'node:crypto';
import { EnvelopeCipher, type KeyRing } from '@app/config';

/**
 * Encrypts webhook signing secrets at rest (AES-256-GCM): `w2.<keyId>.<iv>.<tag>.<ct>`, and the
 * legacy `w1.<iv>.<tag>.<ct>` of the single CPR_ENCRYPTION_KEY (`k0`). Each key is derived from
 * the service's key of that id (HKDF-SHA256, its own label), so a key meant for CPR numbers never
 * encrypts anything else directly; `npm run rotate-cpr-key` re-seals them with the CPR numbers.
 */
export class SecretBox {
  private readonly envelopes: EnvelopeCipher;

  constructor(ring: KeyRing) {
    this.envelopes = new EnvelopeCipher(ring, {
      name: 'webhook secret',
      legacyVersion: 'w1',
      version: 'w2',
      derive: (key) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pathway webhook secrets', 32)),
    });
  }

  seal(secret: string): string {
    return this.envelopes.seal(secret);
  }

  open(envelope: string): string {
    return this.envelopes.open(envelope);
  }

  /** The envelope again under the current key (for a key rotation). */
  reseal(envelope: string): string {
    return this.seal(this.open(envelope));
  }

  /** What every envelope under the current key starts with. */
  get currentPrefix(): string {
    return this.envelopes.currentPrefix;
  }
}
