import type { AuthConfig } from '@app/config';
import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { LOCAL_ALGORITHM, ensureLocalKeys } from './local-keys';
import { principalFromClaims, type Principal } from './principal';

/** A token that does not authenticate: missing, malformed, expired, or with bad claims. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

const CACHE_LIMIT = 10_000;

/**
 * Verifies bearer tokens against the local key (development, tests) or an identity provider's
 * JWKS. Verified tokens are remembered until they expire, so a busy client costs one signature
 * check, not one per request.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly key: KeyLike | JWTVerifyGetKey | Promise<KeyLike>;

  constructor(
    private readonly config: AuthConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.key =
      config.mode === 'jwks'
        ? createRemoteJWKSet(new URL(config.jwksUrl))
        : importSPKI(ensureLocalKeys(config.keyDir).publicPem, LOCAL_ALGORITHM);
  }

  async verify(token: string): Promise<Principal> {
    const cached = this.cache.get(token);
    if (cached && cached.expiresAt > this.now()) return cached.principal;
    if (cached) this.cache.delete(token);

    let payload: Record<string, unknown>;
    try {
      const key = await this.key;
      const options = { issuer: this.config.issuer, audience: this.config.audience, currentDate: new Date(this.now()) };
      payload = (
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)
      ).payload;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError)
        throw new AuthenticationError(describe(error));
      throw error;
    }
    if (typeof payload.exp !== 'number') throw new AuthenticationError('the token has no expiry');
    const principal = principalFromClaims(payload);
    if (!principal)
      throw new AuthenticationError(
        'the token needs sub, a known role and org (organisation ids such as municipality:851)',
      );

    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { principal, expiresAt: payload.exp * 1000 });
    return principal;
  }
}

function describe(error: Error): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  return 'the token is not a valid JWT';
}
