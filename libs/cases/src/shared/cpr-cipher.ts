import { Logger } from '@nestjs/common';
import { EncryptionKeyUnknownError, EnvelopeCipher, EnvelopeInvalidError, type KeyRing } from '@app/config';
import { parseCpr, type Cpr } from '@app/pathway';

/**
 * Encrypts CPR numbers (and her name, `encryptName`: the same ring and envelope) at rest with AES-256-GCM over the key ring: `v2.<keyId>.<iv>.<tag>.<ct>`
 * (base64url), and reads the legacy `v1.<iv>.<tag>.<ct>` of the single CPR_ENCRYPTION_KEY (`k0`).
 * Each envelope is opened with the key its id names: EncryptionKeyUnknownError when the ring no
 * longer holds it, EnvelopeInvalidError when it is tampered with.
 */
export class CprCipher {
  private readonly envelopes: EnvelopeCipher;
  private readonly logger = new Logger('CprCipher');

  constructor(ring: KeyRing) {
    this.envelopes = new EnvelopeCipher(ring, { name: 'CPR', legacyVersion: 'v1', version: 'v2' });
  }

  encrypt(cpr: Cpr): string {
    return this.envelopes.seal(cpr.digits);
  }

  decrypt(envelope: string): Cpr {
    const cpr = parseCpr(this.envelopes.open(envelope));
    if (!cpr) throw new EnvelopeInvalidError('the envelope does not hold a CPR number');
    return cpr;
  }

  /**
   * The CPR number, or null when the envelope cannot be opened (its key was removed from the ring,
   * or it fails authentication): a read of the case still answers, and a warning names the case,
   * the error code and the key id, never anything of the envelope or the number.
   */
  decryptOrWarn(envelope: string, caseId: string): Cpr | null {
    try {
      return this.decrypt(envelope);
    } catch (error) {
      if (!(error instanceof EncryptionKeyUnknownError || error instanceof EnvelopeInvalidError)) throw error;
      this.logger.warn(`case ${caseId}: its CPR number cannot be read (${error.code}: ${error.message})`);
      return null;
    }
  }

  /** The envelope again under the current key (for a key rotation). */
  reencrypt(envelope: string): string {
    return this.encrypt(this.decrypt(envelope));
  }

  /** Her name (parsePersonName's form), in the CPR's envelope under the current key. */
  encryptName(name: string): string {
    return this.envelopes.seal(name);
  }

  decryptName(envelope: string): string {
    return this.envelopes.open(envelope);
  }

  /** Her name, or null when the envelope cannot be opened: as decryptOrWarn, naming the case only. */
  decryptNameOrWarn(envelope: string, caseId: string): string | null {
    try {
      return this.decryptName(envelope);
    } catch (error) {
      if (!(error instanceof EncryptionKeyUnknownError || error instanceof EnvelopeInvalidError)) throw error;
      this.logger.warn(`case ${caseId}: her name cannot be read (${error.code}: ${error.message})`);
      return null;
    }
  }

  /** A name's envelope again under the current key (for a key rotation). */
  reencryptName(envelope: string): string {
    return this.encryptName(this.decryptName(envelope));
  }

  keyIdOf(envelope: string): string {
    return this.envelopes.keyIdOf(envelope);
  }

  /** What every envelope under the current key starts with. */
  get currentPrefix(): string {
    return this.envelopes.currentPrefix;
  }
}
