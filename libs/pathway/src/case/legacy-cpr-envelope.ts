import type { CaseEventData } from './case.events';

/**
 * ConcernRegistered events recorded before the CPR moved to its own table (docs/adr/0008) carry the
 * CPR's ciphertext (`encryptedCpr`, an envelope or null); newer ones only `cprRecorded`. The events
 * are never rewritten (0007), so both shapes are read; nothing reads the old ciphertext any more.
 */
export function cprRecordedIn(data: CaseEventData['ConcernRegistered']): boolean {
  return data.cprRecorded ?? (data.encryptedCpr !== undefined && data.encryptedCpr !== null);
}
