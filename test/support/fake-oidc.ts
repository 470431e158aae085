import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';
import { testNow } from './time';

/** The claims of whoever signs in next: what the API reads from the access token (libs/auth/src/principal.ts). */
export interface FakeUser {
  sub: string;
  role: string;
  org: string | string[];
}

/** One code exchanged at the token endpoint, as the provider checked it. */
export interface Exchange {
  codeChallenge: string;
  codeVerifier: string;
  verifierMatched: boolean;
  accessToken?: string;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
  user: FakeUser;
}

const KID = 'fake-oidc-1';
const TOKEN_SECONDS = 3600;

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

/**
 * A minimal OpenID provider on 127.0.0.1 for browser tests: discovery, JWKS, an authorization
 * endpoint that signs `user` in without a form, and a token endpoint for the authorization code
 * with PKCE (S256), as a public client. It refuses what a real provider would (wrong client,
 * redirect URI or verifier), so a page that gets these wrong fails here too.
 */
export class FakeOidcProvider {
  /** Who /authorize signs in; the test may change it between sign-ins. */
  user: FakeUser = { sub: 'oidc-user', role: 'coordinator', org: 'municipality:851' };
  /** The one redirect URI registered for the client (the dashboard's `/app/`): set once the page's origin is known. */
  redirectUri = '';
  /** The query of every authorization request, in order. */
  readonly authorizations: URLSearchParams[] = [];
  readonly exchanges: Exchange[] = [];
  private readonly codes = new Map<string, PendingCode>();

  private constructor(
    private readonly server: http.Server,
    readonly issuer: string,
    readonly clientId: string,
    /** The `aud` of the access tokens: the API's JWT_AUDIENCE. */
    readonly audience: string,
    private readonly privateKey: KeyLike,
    private readonly publicJwk: JWK,
  ) {}

  static async start(options: { clientId: string; audience: string }): Promise<FakeOidcProvider> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const publicJwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const provider = new FakeOidcProvider(
      server,
      `http://127.0.0.1:${port}`,
      options.clientId,
      options.audience,
      privateKey,
      publicJwk,
    );
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      provider
        .handle(req, res)
        .catch((error: Error) => provider.send(res, 500, { error: 'server_error', error_description: error.message }));
    });
    return provider;
  }

  get jwksUrl(): string {
    return `${this.issuer}/jwks`;
  }

  /** An access token for `user`, as the token endpoint issues it (for calling the API directly). */
  accessToken(user: FakeUser = this.user): Promise<string> {
    return this.sign(
      { role: user.role, org: user.org, scope: 'openid profile', client_id: this.clientId },
      user.sub,
      this.audience,
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sign(claims: Record<string, unknown>, sub: string, audience: string): Promise<string> {
    // Issued on the tests' clock, as the service and the browser see it.
    const issuedAt = Math.floor(testNow().getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setSubject(sub)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + TOKEN_SECONDS)
      .sign(this.privateKey);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer);
    // The page calls discovery, JWKS and the token endpoint with fetch from its own origin.
    if (this.redirectUri) res.setHeader('access-control-allow-origin', new URL(this.redirectUri).origin);
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? 'content-type');
      res.writeHead(204).end();
      return;
    }
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return this.send(res, 200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: this.jwksUrl,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
          scopes_supported: ['openid', 'profile'],
        });
      case 'GET /jwks':
        return this.send(res, 200, { keys: [this.publicJwk] });
      case 'GET /authorize':
        return this.authorize(url.searchParams, res);
      case 'POST /token':
        return this.token(new URLSearchParams(await body(req)), res);
      default:
        return this.send(res, 404, { error: 'not_found' });
    }
  }

  private authorize(query: URLSearchParams, res: http.ServerResponse): void {
    this.authorizations.push(query);
    const redirectUri = query.get('redirect_uri');
    // Never redirect to an unregistered URI: a real provider shows an error page instead.
    if (query.get('client_id') !== this.clientId || !redirectUri || redirectUri !== this.redirectUri) {
      return this.send(res, 400, { error: 'invalid_request', error_description: 'unknown client_id or redirect_uri' });
    }
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state) back.searchParams.set('state', state);
    const challenge = query.get('code_challenge');
    if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !challenge) {
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'response_type=code with an S256 code_challenge is required');
    } else {
      const code = randomBytes(16).toString('base64url');
      this.codes.set(code, {
        clientId: this.clientId,
        redirectUri,
        codeChallenge: challenge,
        nonce: query.get('nonce'),
        user: { ...this.user },
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  private async token(form: URLSearchParams, res: http.ServerResponse): Promise<void> {
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    // A code is good for one exchange.
    this.codes.delete(code);
    if (form.get('grant_type') !== 'authorization_code' || !pending)
      return this.send(res, 400, { error: 'invalid_grant' });
    if (form.get('client_id') !== pending.clientId || form.get('redirect_uri') !== pending.redirectUri)
      return this.send(res, 400, { error: 'invalid_grant' });
    const codeVerifier = form.get('code_verifier') ?? '';
    const exchange: Exchange = {
      codeChallenge: pending.codeChallenge,
      codeVerifier,
      verifierMatched: s256(codeVerifier) === pending.codeChallenge,
    };
    this.exchanges.push(exchange);
    if (!exchange.verifierMatched)
      return this.send(res, 400, {
        error: 'invalid_grant',
        error_description: 'code_verifier does not match the code_challenge',
      });
    exchange.accessToken = await this.accessToken(pending.user);
    const idToken = await this.sign(pending.nonce ? { nonce: pending.nonce } : {}, pending.user.sub, pending.clientId);
    res.setHeader('cache-control', 'no-store');
    this.send(res, 200, {
      access_token: exchange.accessToken,
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: TOKEN_SECONDS,
      scope: 'openid profile',
    });
  }

  private send(res: http.ServerResponse, status: number, json: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  }
}

async function body(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
