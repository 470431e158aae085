import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, exportJWK } from 'jose';
import { signLocalToken } from './local-keys';
import { AuthenticationError, TokenVerifier } from './token-verifier';

describe('TokenVerifier with an identity provider (JWKS)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: http.Server;
  let jwksUrl: string;
  let requests = 0;

  beforeAll(async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
    server = http.createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const idpToken = (
    claims: Record<string, unknown>,
    issuer = 'https://idp.example.dk',
    audience = 'pathway-api',
    { sub = 'sofie', iat = Math.floor(Date.now() / 1000), lifetime = 3_600 } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-key-1' })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .sign(privateKey);

  const config = () => ({
    mode: 'jwks' as const,
    jwksUrl,
    issuer: 'https://idp.example.dk',
    audience: 'pathway-api',
    maxLifetimeSeconds: 12 * 3_600,
    clockSkewSeconds: 60,
  });

  it('accepts a token signed by a key the identity provider publishes', async () => {
    const token = await idpToken({ role: 'municipality', org: 'municipality:101' });
    await expect(new TokenVerifier(config()).verify(token)).resolves.toEqual({
      sub: 'sofie',
      role: 'municipality',
      organisations: ['municipality:101'],
    });
    expect(requests).toBeGreaterThan(0);
  });

  it('refuses another issuer or audience, and a local token', async () => {
    const verifier = new TokenVerifier(config());
    await expect(
      verifier.verify(await idpToken({ role: 'clinic', org: 'clinic:1084' }, 'https://evil.example')),
    ).rejects.toBeInstanceOf(AuthenticationError);
    await expect(
      verifier.verify(await idpToken({ role: 'clinic', org: 'clinic:1084' }, undefined, 'other-api')),
    ).rejects.toBeInstanceOf(AuthenticationError);
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-local-'));
    const local = await signLocalToken(
      keyDir,
      { sub: 'x', role: 'admin', org: 'municipality:101' },
      { issuer: 'https://idp.example.dk', audience: 'pathway-api' },
    );
    fs.rmSync(keyDir, { recursive: true, force: true });
    await expect(verifier.verify(local)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it.each([
    [
      'a role that does not fit its organisation',
      { role: 'auditor', org: 'facility:holmegaardshuset' },
      {},
      'ROLE_ORGANISATION_MISMATCH',
    ],
    ['a referrer of a municipality', { role: 'referrer', org: 'municipality:851' }, {}, 'ROLE_ORGANISATION_MISMATCH'],
    [
      'a 100-year token',
      { role: 'clinic', org: 'clinic:1081' },
      { lifetime: 100 * 365 * 86_400 },
      'TOKEN_LIFETIME_TOO_LONG',
    ],
    [
      'an iat an hour ahead',
      { role: 'clinic', org: 'clinic:1081' },
      { iat: Math.floor(Date.now() / 1000) + 3_600 },
      'TOKEN_ISSUED_IN_FUTURE',
    ],
    ['a CPR number as subject', { role: 'clinic', org: 'clinic:1081' }, { sub: '030487-1234' }, 'SUBJECT_IS_CPR'],
  ])('refuses %s from the identity provider too', async (_what, claims, options, code) => {
    const token = await idpToken(claims, undefined, undefined, options);
    await expect(new TokenVerifier(config()).verify(token)).rejects.toMatchObject({
      name: 'AuthenticationError',
      code,
    });
  });
});
