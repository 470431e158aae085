import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { ApiError, type FieldProblem } from './api';

/** Who is signed in, as the token says (the API checks it on every call; this is for display). */
export interface Session {
  token: string;
  sub: string;
  /** Her display name (the token's `name` claim), when the token carries one. */
  name?: string;
  role: string;
  organisations: string[];
  expiresAt: number;
}

export interface SignInOptions {
  /** The development sign-in: the roles, and for each organisation the roles a token for it may have. */
  local: { roles: string[]; organisations: { id: string; kind: string; name: string; roles: string[] }[] } | null;
  oidc: { authority: string; clientId: string; scope: string } | null;
}

const KEY = 'pathway.session';

function sessionFromToken(token: string): Session | null {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<
      string,
      unknown
    >;
    const org = payload.org;
    const organisations =
      typeof org === 'string' ? [org] : Array.isArray(org) ? org.filter((o): o is string => typeof o === 'string') : [];
    if (typeof payload.sub !== 'string' || typeof payload.role !== 'string' || typeof payload.exp !== 'number')
      return null;
    const name = typeof payload.name === 'string' && payload.name.trim() ? payload.name.trim() : undefined;
    return {
      token,
      sub: payload.sub,
      ...(name && { name }),
      role: payload.role,
      organisations,
      expiresAt: payload.exp * 1000,
    };
  } catch {
    return null;
  }
}

/** The session of this tab, if it has one that has not expired. */
export function storedSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? sessionFromToken(token) : null;
  return session && session.expiresAt > Date.now() ? session : null;
}

export function keepSession(session: Session): void {
  sessionStorage.setItem(KEY, session.token);
}

export function forgetSession(): void {
  sessionStorage.removeItem(KEY);
}

export async function signInLocally(role: string, organisation: string, sub: string, name = ''): Promise<Session> {
  const res = await fetch('/v1/sign-in/local', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role, organisation, sub, ...(name.trim() && { name: name.trim() }) }),
  });
  const body = (await res.json()) as { token?: string; code?: string; message?: string; details?: unknown };
  const session = body.token ? sessionFromToken(body.token) : null;
  if (!res.ok || !session)
    throw new ApiError(
      res.status,
      body.code ?? `HTTP_${res.status}`,
      body.message ?? `sign-in failed (${res.status})`,
      Array.isArray(body.details) ? (body.details as FieldProblem[]) : [],
    );
  return session;
}

function userManager(oidc: NonNullable<SignInOptions['oidc']>): UserManager {
  const redirect = `${location.origin}/app/`;
  return new UserManager({
    authority: oidc.authority,
    client_id: oidc.clientId,
    scope: oidc.scope,
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    // The token is kept once, as this tab's session (keepSession); the library keeps no copy of its own.
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    // Silent renewal needs an iframe, which the page's CSP forbids: an expired token means signing in again.
    automaticSilentRenew: false,
  });
}

/** Sends the browser to the identity provider (authorization code with PKCE). */
export function signInWithOidc(oidc: NonNullable<SignInOptions['oidc']>): Promise<void> {
  return userManager(oidc).signinRedirect();
}

/** Back from the identity provider: exchanges the code for the access token the API verifies. */
export async function completeOidcSignIn(oidc: NonNullable<SignInOptions['oidc']>): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') || !params.has('state')) return null;
  const url = location.href;
  // The code is used once, whatever happens next: off the address bar before it is exchanged.
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  const user = await userManager(oidc).signinRedirectCallback(url);
  const session = sessionFromToken(user.access_token);
  if (!session) throw new Error('the access token lacks sub, role or exp');
  return session;
}
