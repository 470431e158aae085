import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The id of the single key of CPR_ENCRYPTION_KEY, and of every envelope written before key ids (`v1`, `w1`). */
export const LEGACY_KEY_ID = 'k0';

/** A key id: letters, digits, `_` and `-` (it is a field of the envelope and of CPR_ENCRYPTION_KEYS). */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * The service's encryption keys by id: new envelopes are sealed with the current one, and each
 * envelope is opened with the key its id names, so a rotation can run while the service serves.
 */
export interface KeyRing {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** A ring of one key (the legacy id by default): tests and single-key deployments. */
export function keyRingOf(key: Buffer, id = LEGACY_KEY_ID): KeyRing {
  return { currentKeyId: id, keys: new Map([[id, key]]) };
}

/** An envelope sealed under a key that is not in the ring: unreadable until that key comes back. */
export class EncryptionKeyUnknownError extends Error {
  override readonly name = 'EncryptionKeyUnknownError';
  readonly code = 'ENCRYPTION_KEY_UNKNOWN';
  constructor(readonly keyId: string) {
    super(`the envelope is sealed under key ${keyId}, which is not in the key ring (CPR_ENCRYPTION_KEYS)`);
  }
}

/** Not an envelope of this kind, or one that fails authentication (tampered, or another key under the same id). */
export class EnvelopeInvalidError extends Error {
  override readonly name = 'EnvelopeInvalidError';
  readonly code = 'ENVELOPE_INVALID';
}

export interface EnvelopeFormat {
  /** What the envelopes hold, for messages: "CPR", "webhook secret". */
  name: string;
  /** The version of envelopes without a key id, sealed with the legacy key: `v1.<iv>.<tag>.<ct>`. */
  legacyVersion: string;
  /** The version of envelopes with a key id: `v2.<keyId>.<iv>.<tag>.<ct>`. */
  version: string;
  /** The AES key from a ring key (e.g. HKDF with a label of its own); the ring key itself by default. */
  derive?: (key: Buffer) => Buffer;
}

/**
 * AES-256-GCM envelopes over a key ring (base64url fields): `<version>.<keyId>.<iv>.<tag>.<ct>`,
 * and the legacy `<legacyVersion>.<iv>.<tag>.<ct>` of the key `LEGACY_KEY_ID`. Each seal has a
 * fresh 96-bit IV; the tag authenticates, so a tampered envelope fails to open.
 */
export class EnvelopeCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly ring: KeyRing,
    private readonly format: EnvelopeFormat,
  ) {
    for (const [id, key] of ring.keys) {
      if (key.length !== 32) throw new Error(`the encryption key ${id} must be 32 bytes`);
      this.keys.set(id, format.derive ? format.derive(key) : key);
    }
    if (!this.keys.has(ring.currentKeyId)) throw new EncryptionKeyUnknownError(ring.currentKeyId);
  }

  get currentKeyId(): string {
    return this.ring.currentKeyId;
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.ring.currentKeyId) as Buffer, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      this.format.version,
      this.ring.currentKeyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** Throws EncryptionKeyUnknownError or EnvelopeInvalidError; never says anything about the content. */
  open(envelope: string): string {
    const { keyId, iv, tag, ciphertext } = this.parse(envelope);
    const key = this.keys.get(keyId);
    if (!key) throw new EncryptionKeyUnknownError(keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new EnvelopeInvalidError(`the ${this.format.name} envelope under key ${keyId} fails authentication`);
    }
  }

  /** The id of the key an envelope is sealed under (the legacy id for legacy envelopes). */
  keyIdOf(envelope: string): string {
    return this.parse(envelope).keyId;
  }

  /** The prefix every envelope sealed with the current key starts with (to find the others in SQL). */
  get currentPrefix(): string {
    return `${this.format.version}.${this.ring.currentKeyId}.`;
  }

  private parse(envelope: string): { keyId: string; iv: string; tag: string; ciphertext: string } {
    const fields = envelope.split('.');
    const [version] = fields;
    const [keyId, iv, tag, ciphertext] =
      version === this.format.legacyVersion && fields.length === 4
        ? [LEGACY_KEY_ID, ...fields.slice(1)]
        : version === this.format.version && fields.length === 5
          ? fields.slice(1)
          : [];
    if (!keyId || !iv || !tag || !ciphertext || !KEY_ID_PATTERN.test(keyId))
      throw new EnvelopeInvalidError(`not a ${this.format.name} envelope`);
    return { keyId, iv, tag, ciphertext };
  }
}
