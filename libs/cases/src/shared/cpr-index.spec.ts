import { createHmac, randomBytes } from 'node:crypto';
import { parseCpr, type Cpr } from '@app/pathway';
import { CprIndex } from './cpr-index';

const cpr = (digits: string) => parseCpr(digits) as Cpr;

describe('CprIndex', () => {
  const key = randomBytes(32);
  const index = new CprIndex(key);

  it('is HMAC-SHA256 of the digits under its key: the same woman gives the same index, however written', () => {
    expect(index.of(cpr('0101901234'))).toBe(createHmac('sha256', key).update('0101901234').digest('base64url'));
    expect(index.of(cpr('010190-1234'))).toBe(index.of(cpr('0101901234')));
    expect(index.of(cpr('0101901234'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs between women, and between keys; it holds nothing of the number', () => {
    const mine = index.of(cpr('0101901234'));
    expect(index.of(cpr('0101901242'))).not.toBe(mine);
    expect(new CprIndex(randomBytes(32)).of(cpr('0101901234'))).not.toBe(mine);
    // Not an unkeyed hash that anyone could compute over every CPR number of a birth year.
    expect(mine).not.toBe(createHmac('sha256', Buffer.alloc(32)).update('0101901234').digest('base64url'));
    expect(mine).not.toMatch(/010190|1234/);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new CprIndex(randomBytes(16))).toThrow('32 bytes');
  });
});
