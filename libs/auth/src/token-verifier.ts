import type { AuthConfig } from '@app/config';
import { containsCpr, roleOrganisationMismatch } from '@app/pathway';
import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { LOCAL_ALGORITHM, ensureLocalKeys } from './local-keys';
import { principalFromClaims, type Principal } from './principal';

/**
 * Why a token does not authenticate. UNAUTHENTICATED: missing, malformed, expired, badly signed or
 * with bad claims; the others name a rule every well-signed token must keep as well.
 */
export type AuthenticationCode =
  | 'UNAUTHENTICATED'
  | 'ROLE_ORGANISATION_MISMATCH'
  | 'TOKEN_LIFETIME_TOO_LONG'
  | 'TOKEN_ISSUED_IN_FUTURE'
  | 'SUBJECT_IS_CPR';

/** A token that does not authenticate (401), with a stable code. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    message: string,
    readonly code: AuthenticationCode = 'UNAUTHENTICATED',
  ) {
    super(message);
  }
}

const CACHE_LIMIT = 10_000;

interface Verified {
  principal: Principal;
  /** The token's exp and iat, in seconds. */
  exp: number;
  iat: number | undefined;
}

/**
 * Verifies bearer tokens against the local key (development, tests) or an identity provider's
 * JWKS, then the rules every token keeps whoever signed it: the role fits each organisation, the
 * subject is no CPR number, the token lives at most TOKEN_MAX_LIFETIME and was not issued in the
 * future (beyond TOKEN_CLOCK_SKEW, which also judges exp and nbf). Verified tokens are remembered
 * until they expire, so a busy client costs one signature check, not one per request; the checks
 * that depend on the clock are made again on every use.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, Verified>();
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
    if (cached) {
      try {
        this.checkTimes(cached);
        return cached.principal;
      } catch (error) {
        this.cache.delete(token);
        throw error;
      }
    }

    let payload: Record<string, unknown>;
    try {
      const key = await this.key;
      const options = {
        issuer: this.config.issuer,
        audience: this.config.audience,
        currentDate: new Date(this.now()),
        clockTolerance: this.config.clockSkewSeconds,
      };
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
    // The subject is stored with every event it causes: never a CPR number (and never echoed).
    if (containsCpr(principal.sub, 'words'))
      throw new AuthenticationError('the token’s subject is a CPR number: use a user id', 'SUBJECT_IS_CPR');
    const mismatch = roleOrganisationMismatch(principal.role, principal.organisations);
    if (mismatch)
      throw new AuthenticationError(`the token’s role does not fit: ${mismatch}`, 'ROLE_ORGANISATION_MISMATCH');
    const verified = { principal, exp: payload.exp, iat: typeof payload.iat === 'number' ? payload.iat : undefined };
    this.checkTimes(verified);

    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, verified);
    return principal;
  }

  /** Expiry, an iat in the future and the lifetime, on the service's clock (cached tokens too). */
  private checkTimes({ exp, iat }: Verified): void {
    const now = this.now() / 1000;
    const { clockSkewSeconds: skew, maxLifetimeSeconds: max } = this.config;
    if (exp + skew <= now) throw new AuthenticationError('the token has expired');
    if (iat !== undefined && iat > now + skew)
      throw new AuthenticationError(
        `the token was issued in the future (iat more than ${skew} s ahead of the service's clock)`,
        'TOKEN_ISSUED_IN_FUTURE',
      );
    if (exp - (iat ?? now) > max)
      throw new AuthenticationError(
        `the token lives longer than the ${max} s a token may (TOKEN_MAX_LIFETIME)`,
        'TOKEN_LIFETIME_TOO_LONG',
      );
  }
}

function describe(error: Error): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  return 'the token is not a valid JWT';
}
