import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { NameIndex } from './name-index';

describe('NameIndex', () => {
  const key = randomBytes(32);
  const index = new NameIndex(key);

  it('is one HMAC-SHA256 per normalised word under a key derived from the CPR index key', () => {
    const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'pathway name words', 32));
    expect(index.of('Anna Marie Jensen')).toEqual(
      ['anna', 'marie', 'jensen'].map((w) => createHmac('sha256', derived).update(w).digest('base64url')),
    );
    // Never the CPR index's key itself: a word's index is no CPR index, nor an unkeyed hash.
    expect(index.of('anna')).not.toEqual([createHmac('sha256', key).update('anna').digest('base64url')]);
  });

  it('gives a search the indexes of the stored name: case, spacing, NFKC and order do not matter', () => {
    const stored = index.of('Anna Marie Jensen');
    for (const q of ['anna jensen', 'JENSEN   Anna', 'ＡＮＮＡ'])
      for (const t of index.of(q)) expect(stored).toContain(t);
    expect(index.of('Søs Åberg')).toEqual(index.of('SØS ÅBERG'));
    expect(index.of('Aberg')).not.toEqual(index.of('Åberg'));
  });

  it('differs between keys, holds nothing of the word, and has nothing for a text without a word', () => {
    expect(new NameIndex(randomBytes(32)).of('anna')).not.toEqual(index.of('anna'));
    expect(index.of('anna')[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(index.of('A. B. 7')).toEqual([]);
    expect(() => new NameIndex(randomBytes(16))).toThrow('32 bytes');
  });
});
