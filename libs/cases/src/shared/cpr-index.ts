import { createHmac } from 'node:crypto';
import type { Cpr } from '@app/pathway';

/**
 * The CPR number's keyed blind index: HMAC-SHA256 under CPR_INDEX_KEY (a key of its own, never an
 * encryption key), base64url. Equal CPR numbers give equal indexes, so a woman's cases are found
 * by it (case_identities.cpr_index), while the index alone tells nothing of the number: without
 * the key, guessing the 3.6 million CPR numbers of a birth year is no use.
 */
export class CprIndex {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the CPR index key must be 32 bytes');
  }

  of(cpr: Cpr): string {
    return createHmac('sha256', this.key).update(cpr.digits).digest('base64url');
  }
}
