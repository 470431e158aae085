import { SecretBox } from '@app/alerts';
import { EncryptionKeyUnknownError, type KeyRing } from '@app/config';
import {
  CPR_ENVELOPES,
  NAME_ENVELOPES,
  WEBHOOK_SECRET_ENVELOPES,
  reencryptColumn,
  type EnvelopeColumn,
  type ReencryptionProgress,
} from '@app/persistence';
import type { DataSource } from 'typeorm';
import { CprCipher } from './cpr-cipher';

/** What a rotation re-encrypts, in this order. */
export type RotationTarget = 'CPR numbers' | 'names' | 'webhook secrets';

export interface RotationReport {
  currentKeyId: string;
  targets: Record<RotationTarget, ReencryptionProgress>;
  /** Envelopes left as they were, by the reason: `key k0 is not in the key ring`, or an error code. */
  failures: Record<string, number>;
  /** The ring's other keys, which nothing stored needs once the rotation found no failures. */
  removableKeyIds: string[];
}

/**
 * Re-encrypts every CPR number and name (case_identities) and webhook signing secret under the ring's
 * current key, in resumable, idempotent batches (reencryptColumn). The old keys can be removed from
 * the ring once a run reports no failures. Old ConcernRegistered events keep the envelope they
 * were recorded with (docs/adr/0008): they are hashed and never rewritten, and nothing reads them.
 */
export async function rotateCprKey(
  ds: DataSource,
  ring: KeyRing,
  onProgress: (target: RotationTarget, progress: ReencryptionProgress) => void = () => undefined,
): Promise<RotationReport> {
  const cipher = new CprCipher(ring);
  const box = new SecretBox(ring);
  const failures: Record<string, number> = {};
  const onFailure = (_id: string, error: unknown) => {
    const reason =
      error instanceof EncryptionKeyUnknownError
        ? `key ${error.keyId} is not in the key ring`
        : ((error as { code?: string }).code ?? 'UNEXPECTED_ERROR');
    failures[reason] = (failures[reason] ?? 0) + 1;
  };
  const run = (target: RotationTarget, column: EnvelopeColumn, prefix: string, reencrypt: (e: string) => string) =>
    reencryptColumn(ds, column, {
      currentPrefix: prefix,
      reencrypt,
      onFailure,
      onProgress: (p) => onProgress(target, p),
    });
  const targets = {
    'CPR numbers': await run('CPR numbers', CPR_ENVELOPES, cipher.currentPrefix, (e) => cipher.reencrypt(e)),
    names: await run('names', NAME_ENVELOPES, cipher.currentPrefix, (e) => cipher.reencryptName(e)),
    'webhook secrets': await run('webhook secrets', WEBHOOK_SECRET_ENVELOPES, box.currentPrefix, (e) => box.reseal(e)),
  };
  const clean = Object.keys(failures).length === 0;
  return {
    currentKeyId: ring.currentKeyId,
    targets,
    failures,
    removableKeyIds: clean ? [...ring.keys.keys()].filter((id) => id !== ring.currentKeyId) : [],
  };
}
