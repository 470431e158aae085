import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT, importPKCS8 } from 'jose';
import { lifetimeSeconds } from '@app/config';

const PRIVATE = 'signing-key.pem';
const PUBLIC = 'signing-key.pub.pem';
export const LOCAL_ALGORITHM = 'EdDSA';

/**
 * The local signing key pair (Ed25519) for development and tests: generated into `dir` on first
 * use. Written to a temporary file and renamed, so two processes starting together agree on one key.
 */
export function ensureLocalKeys(dir: string): { privatePem: string; publicPem: string } {
  const privatePath = path.join(dir, PRIVATE);
  const publicPath = path.join(dir, PUBLIC);
  if (!fs.existsSync(privatePath) || !fs.existsSync(publicPath)) {
    // Only the key directory is private: a recursive mkdir would make every parent 0700 too.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const tmp = `${privatePath}.${process.pid}.tmp`;
    fs.writeFileSync(`${publicPath}.${process.pid}.tmp`, publicKey.export({ type: 'spki', format: 'pem' }));
    fs.writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    // Public first: a reader that sees the private key always finds its public half.
    if (!fs.existsSync(privatePath)) {
      fs.renameSync(`${publicPath}.${process.pid}.tmp`, publicPath);
      fs.renameSync(tmp, privatePath);
    } else {
      fs.rmSync(tmp);
      fs.rmSync(`${publicPath}.${process.pid}.tmp`);
    }
  }
  return { privatePem: fs.readFileSync(privatePath, 'utf8'), publicPem: fs.readFileSync(publicPath, 'utf8') };
}

export interface TokenClaims {
  sub: string;
  role: string;
  org: string | string[];
  /** Her display name (OIDC's `name` claim). */
  name?: string;
}

/**
 * Signs a token with the local key: what `npm run token` prints, the development sign-in hands out
 * and the tests use. Issued at `now` (the service's clock, which the verifier reads too), valid for
 * `expiresIn` (default 12h).
 */
export async function signLocalToken(
  keyDir: string,
  claims: TokenClaims,
  options: { issuer?: string; audience?: string; expiresIn?: string; now?: Date } = {},
): Promise<string> {
  const lifetime = lifetimeSeconds(options.expiresIn ?? '12h');
  if (lifetime === null) throw new RangeError(`a token lifetime is a number and s, m, h or d: ${options.expiresIn}`);
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const { privatePem } = ensureLocalKeys(keyDir);
  const key = await importPKCS8(privatePem, LOCAL_ALGORITHM);
  return new SignJWT({ role: claims.role, org: claims.org, ...(claims.name ? { name: claims.name } : {}) })
    .setProtectedHeader({ alg: LOCAL_ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer ?? 'pathway-local')
    .setAudience(options.audience ?? 'pathway')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetime)
    .sign(key);
}
