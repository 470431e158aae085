import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { lifetimeSeconds } from '@app/config';
import { ensureLocalKeys, signLocalToken } from './local-keys';
import { AuthenticationError, TokenVerifier } from './token-verifier';

describe('TokenVerifier with the local key', () => {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-auth-'));
  const config = {
    mode: 'local' as const,
    keyDir,
    issuer: 'pathway-local',
    audience: 'pathway',
    maxLifetimeSeconds: 12 * 3_600,
    clockSkewSeconds: 60,
  };
  afterAll(() => fs.rmSync(keyDir, { recursive: true, force: true }));

  it('accepts a local token and reads sub, role and organisations', async () => {
    const token = await signLocalToken(keyDir, { sub: 'alice', role: 'coordinator', org: 'municipality:851' });
    await expect(new TokenVerifier(config).verify(token)).resolves.toEqual({
      sub: 'alice',
      role: 'coordinator',
      organisations: ['municipality:851'],
    });
  });

  it('reads her display name from the name claim, and leaves out one it cannot show (empty, a CPR number)', async () => {
    const verify = async (name: string) =>
      new TokenVerifier(config).verify(
        await signLocalToken(keyDir, { sub: 'mia', role: 'municipality', org: 'municipality:851', name }),
      );
    expect((await verify(' Mia Sørensen ')).name).toBe('Mia Sørensen');
    expect(await verify('Mia 030487-1234')).not.toHaveProperty('name');
    expect(await verify('   ')).not.toHaveProperty('name');
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
    // TOKEN_CLOCK_SKEW (60 s here) forgives an issuer's clock that runs behind, no more.
    let now = issued.getTime() + 7_259_000;
    const verifier = new TokenVerifier(config, () => now);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'alice' });
    now = issued.getTime() + 7_261_000;
    await expect(verifier.verify(token)).rejects.toThrow('the token has expired');
    await expect(new TokenVerifier(config, () => now).verify(token)).rejects.toThrow('the token has expired');
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

  describe('the rules every token keeps, whoever signed it', () => {
    const now = new Date('2027-03-25T13:00:00.000Z');
    const verifier = () => new TokenVerifier(config, () => now.getTime());
    const refusal = async (token: string) => {
      const error = await verifier()
        .verify(token)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(AuthenticationError);
      return { code: (error as AuthenticationError).code, message: (error as AuthenticationError).message };
    };

    it.each([
      ['referrer', 'municipality:851'],
      ['facility', 'municipality:851'],
      ['clinic', 'municipality:851'],
      ['auditor', 'facility:holmegaardshuset'],
      ['municipality', ['municipality:851', 'clinic:1081']],
      ['admin', ['municipality:851', 'municipality:860']],
      ['admin', 'pathway:engine'],
    ])('refuses a %s holding %j: ROLE_ORGANISATION_MISMATCH', async (role, org) => {
      const token = await signLocalToken(keyDir, { sub: 'mallory', role, org }, { now });
      expect(await refusal(token)).toEqual({
        code: 'ROLE_ORGANISATION_MISMATCH',
        message: expect.stringMatching(/^the token’s role does not fit: an? \w+ (works for|administers one)/),
      });
    });

    it.each([
      ['referrer', 'gp:hansen'],
      ['referrer', 'crisis-centre:aalborg'],
      ['auditor', 'authority:national'],
      ['auditor', 'region:1081'],
      ['coordinator', 'clinic:1081'],
      ['admin', 'pathway:platform'],
    ])('accepts a %s holding %s', async (role, org) => {
      const token = await signLocalToken(keyDir, { sub: 'fine', role, org }, { now });
      await expect(verifier().verify(token)).resolves.toMatchObject({ role, organisations: [org] });
    });

    it('refuses a token that lives longer than TOKEN_MAX_LIFETIME, and takes one that lives exactly that long', async () => {
      const century = await signLocalToken(
        keyDir,
        { sub: 'alice', role: 'coordinator', org: 'municipality:851' },
        { now, expiresIn: '36500d' },
      );
      expect(await refusal(century)).toEqual({
        code: 'TOKEN_LIFETIME_TOO_LONG',
        message: 'the token lives longer than the 43200 s a token may (TOKEN_MAX_LIFETIME)',
      });
      expect(
        (
          await refusal(
            await signLocalToken(
              keyDir,
              { sub: 'a', role: 'clinic', org: 'clinic:1081' },
              { now, expiresIn: '43201s' },
            ),
          )
        ).code,
      ).toBe('TOKEN_LIFETIME_TOO_LONG');
      const twelveHours = await signLocalToken(
        keyDir,
        { sub: 'a', role: 'clinic', org: 'clinic:1081' },
        { now, expiresIn: '12h' },
      );
      await expect(verifier().verify(twelveHours)).resolves.toMatchObject({ sub: 'a' });
    });

    it('judges a token without iat by the time it has left', async () => {
      const key = await importPKCS8(ensureLocalKeys(keyDir).privatePem, 'EdDSA');
      const withoutIat = (hours: number) =>
        new SignJWT({ role: 'clinic', org: 'clinic:1084' })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setSubject('x')
          .setIssuer('pathway-local')
          .setAudience('pathway')
          .setExpirationTime(Math.floor(now.getTime() / 1000) + hours * 3_600)
          .sign(key);
      await expect(verifier().verify(await withoutIat(11))).resolves.toMatchObject({ sub: 'x' });
      expect((await refusal(await withoutIat(13))).code).toBe('TOKEN_LIFETIME_TOO_LONG');
    });

    it('refuses an iat more than TOKEN_CLOCK_SKEW in the future, also once the token is cached', async () => {
      const claims = { sub: 'alice', role: 'coordinator', org: 'municipality:851' };
      const ahead = await signLocalToken(keyDir, claims, { now: new Date(now.getTime() + 61_000), expiresIn: '1h' });
      expect(await refusal(ahead)).toEqual({
        code: 'TOKEN_ISSUED_IN_FUTURE',
        message: "the token was issued in the future (iat more than 60 s ahead of the service's clock)",
      });
      const withinSkew = await signLocalToken(keyDir, claims, {
        now: new Date(now.getTime() + 59_000),
        expiresIn: '1h',
      });
      await expect(verifier().verify(withinSkew)).resolves.toMatchObject({ sub: 'alice' });

      // A clock set back (tests, a corrected server clock) does not let a cached token skip the check.
      let clock = now.getTime();
      const cachingVerifier = new TokenVerifier(config, () => clock);
      const issuedNow = await signLocalToken(keyDir, claims, { now, expiresIn: '1h' });
      await cachingVerifier.verify(issuedNow);
      clock -= 10 * 60_000;
      await expect(cachingVerifier.verify(issuedNow)).rejects.toMatchObject({ code: 'TOKEN_ISSUED_IN_FUTURE' });
    });

    it.each(['030487-1234', '0304871234', '03.04.87-1234', '０３０４８７−１２３４', 'cpr:030487 1234'])(
      'refuses the CPR number %s as subject, without repeating it',
      async (sub) => {
        const token = await signLocalToken(keyDir, { sub, role: 'clinic', org: 'clinic:1081' }, { now });
        const { code, message } = await refusal(token);
        expect(code).toBe('SUBJECT_IS_CPR');
        expect(message).not.toMatch(/\d{4}/);
      },
    );

    it('takes a subject that only holds digits inside a hexadecimal id, or a date that is no CPR number', async () => {
      for (const sub of ['3f2e1c7a-5b6d-4e8f-9a0b-cd0304871234', '310287-1234', 'user-12345678']) {
        const token = await signLocalToken(keyDir, { sub, role: 'clinic', org: 'clinic:1081' }, { now });
        await expect(verifier().verify(token)).resolves.toMatchObject({ sub });
      }
    });

    it('gives the generic code to everything else', async () => {
      const token = await signLocalToken(keyDir, { sub: 'x', role: 'superuser', org: 'municipality:851' }, { now });
      expect((await refusal(token)).code).toBe('UNAUTHENTICATED');
      expect((await refusal('not-a-jwt')).code).toBe('UNAUTHENTICATED');
    });
  });
});
