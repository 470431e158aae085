import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { ensureLocalKeys, lifetimeSeconds, signLocalToken } from './local-keys';
import { AuthenticationError, TokenVerifier } from './token-verifier';

describe('TokenVerifier with the local key', () => {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-auth-'));
  const config = { mode: 'local' as const, keyDir, issuer: 'pathway-local', audience: 'pathway' };
  afterAll(() => fs.rmSync(keyDir, { recursive: true, force: true }));

  it('accepts a local token and reads sub, role and organisations', async () => {
    const token = await signLocalToken(keyDir, { sub: 'alice', role: 'coordinator', org: 'municipality:851' });
    await expect(new TokenVerifier(config).verify(token)).resolves.toEqual({
      sub: 'alice',
      role: 'coordinator',
      organisations: ['municipality:851'],
    });
  });

  it('accepts several organisations in one token', async () => {
    const token = await signLocalToken(keyDir, {
      sub: 'bo',
      role: 'municipality',
      org: ['municipality:851', 'municipality:860'],
    });
    expect((await new TokenVerifier(config).verify(token)).organisations).toEqual([
      'municipality:851',
      'municipality:860',
    ]);
  });

  it.each([
    ['an unknown role', { sub: 'x', role: 'superuser', org: 'municipality:851' }],
    ['a malformed organisation', { sub: 'x', role: 'clinic', org: 'Clinic 1084' }],
    ['no organisation', { sub: 'x', role: 'clinic', org: [] }],
    ['a subject with a control character', { sub: 'a\u0000b', role: 'clinic', org: 'clinic:1084' }],
  ])('refuses %s', async (_what, claims) => {
    const token = await signLocalToken(keyDir, claims);
    await expect(new TokenVerifier(config).verify(token)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses an expired token, including one it cached while it was valid', async () => {
    const token = await signLocalToken(
      keyDir,
      { sub: 'alice', role: 'coordinator', org: 'municipality:851' },
      { expiresIn: '1h' },
    );
    let now = Date.now();
    const verifier = new TokenVerifier(config, () => now);
    await verifier.verify(token);
    now += 2 * 3600_000;
    await expect(verifier.verify(token)).rejects.toThrow('the token has expired');
  });

  it("issues and judges a token on the clock it is given (the service's injected clock), not the machine's", async () => {
    const issued = new Date('2027-03-25T13:00:00.000Z');
    const token = await signLocalToken(
      keyDir,
      { sub: 'alice', role: 'coordinator', org: 'municipality:851' },
      { expiresIn: '2h', now: issued },
    );
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    expect([payload.iat, payload.exp]).toEqual([issued.getTime() / 1000, issued.getTime() / 1000 + 7_200]);
    let now = issued.getTime() + 7_199_000;
    const verifier = new TokenVerifier(config, () => now);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'alice' });
    now = issued.getTime() + 7_201_000;
    await expect(verifier.verify(token)).rejects.toThrow('the token has expired');
  });

  it('reads a lifetime as a number and s, m, h or d, and nothing else', async () => {
    expect(['90s', '30m', '12h', '7d'].map(lifetimeSeconds)).toEqual([90, 1_800, 43_200, 604_800]);
    expect(['0h', '12', '2 hours', '1.5h', '-1h', 'h'].map(lifetimeSeconds)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    await expect(
      signLocalToken(keyDir, { sub: 'alice', role: 'coordinator', org: 'municipality:851' }, { expiresIn: '2 hours' }),
    ).rejects.toThrow(RangeError);
  });

  it('refuses a token signed by another key, for another audience, or tampered with', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-auth-other-'));
    const foreign = await signLocalToken(otherDir, { sub: 'mallory', role: 'admin', org: 'municipality:101' });
    fs.rmSync(otherDir, { recursive: true, force: true });
    const verifier = new TokenVerifier(config);
    await expect(verifier.verify(foreign)).rejects.toThrow('signature');
    const wrongAudience = await signLocalToken(
      keyDir,
      { sub: 'a', role: 'clinic', org: 'clinic:1084' },
      { audience: 'someone-else' },
    );
    await expect(verifier.verify(wrongAudience)).rejects.toThrow('aud');
    const good = await signLocalToken(keyDir, { sub: 'a', role: 'clinic', org: 'clinic:1084' });
    const [h, p, s] = good.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    await expect(verifier.verify(`${h}.${forged}.${s}`)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verifier.verify('not-a-jwt')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses a token without an expiry', async () => {
    const key = await importPKCS8(ensureLocalKeys(keyDir).privatePem, 'EdDSA');
    const token = await new SignJWT({ role: 'clinic', org: 'clinic:1084' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('x')
      .setIssuer('pathway-local')
      .setAudience('pathway')
      .sign(key);
    await expect(new TokenVerifier(config).verify(token)).rejects.toThrow('expiry');
  });
});
