import { createHmac, hkdfSync } from 'node:crypto';
import { nameWords } from '@app/pathway';

/**
 * The keyed blind index of her name: one HMAC-SHA256 per word of it (`nameWords`: NFKC, lower case,
 * words of two letters or more), base64url, stored per case in case_name_tokens. A search hashes
 * its own words the same way and asks for the cases that have every one. The key is derived from
 * CPR_INDEX_KEY (HKDF-SHA256, a label of its own), so that changing that key re-keys both indexes
 * (`npm run reindex-cpr` rebuilds both) and a word's index is never a CPR index. The index of a
 * word tells nothing of it without the key, but equal words give equal indexes: how common a word
 * is shows (docs/adr/0013).
 */
export class NameIndex {
  private readonly key: Buffer;

  constructor(cprIndexKey: Buffer) {
    if (cprIndexKey.length !== 32) throw new Error('the CPR index key must be 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', cprIndexKey, Buffer.alloc(0), 'pathway name words', 32));
  }

  /** The index of every word of the text, once each (none when it has no word to find). */
  of(text: string): string[] {
    return nameWords(text).map((word) => createHmac('sha256', this.key).update(word, 'utf8').digest('base64url'));
  }
}
