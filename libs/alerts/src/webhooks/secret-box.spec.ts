import { SecretBox } from './secret-box';

const key = Buffer.alloc(32, 7);

describe('SecretBox', () => {
  it('seals a secret so that only the same service key opens it, and never in plain text', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('whsec_abc123');
    expect(sealed).not.toContain('whsec_abc123');
    expect(sealed).not.toBe(box.seal('whsec_abc123')); // a fresh IV each time
    expect(box.open(sealed)).toBe('whsec_abc123');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });

  it('refuses a tampered or foreign envelope', () => {
    const box = new SecretBox(key);
    const [version, iv, tag, data] = box.seal('whsec_abc123').split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => box.open('c1.a.b.c')).toThrow(/not a webhook secret envelope/);
  });
});
