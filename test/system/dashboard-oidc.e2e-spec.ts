import type { Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { register } from '@test/support/cases';
import { FakeOidcProvider } from '@test/support/fake-oidc';
import { Client, Stack } from '@test/support/stack';

/**
 * The dashboard's sign-in with an identity provider (OIDC_CLIENT_ID), in a real headless Chromium
 * against the real API: the page runs the authorization code flow with PKCE against a fake provider
 * (test/support/fake-oidc.ts) and calls the API with the access token it gets, which the API verifies
 * against the provider's JWKS. Screenshots go to dist/screenshots/dashboard-oidc/.
 */
const CLIENT_ID = 'pathway-dashboard';
const AUDIENCE = 'pathway-api';

describe('the dashboard signing in with an identity provider', () => {
  let provider: FakeOidcProvider;
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;

  beforeAll(async () => {
    provider = await FakeOidcProvider.start({ clientId: CLIENT_ID, audience: AUDIENCE });
    stack = await Stack.start({
      env: {
        JWT_JWKS_URL: provider.jwksUrl,
        JWT_ISSUER: provider.issuer,
        JWT_AUDIENCE: AUDIENCE,
        OIDC_CLIENT_ID: CLIENT_ID,
      },
    });
    provider.redirectUri = `${stack.baseUrl}/app/`;
    session = await BrowserSession.open('dashboard-oidc');
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
    await provider?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it('tells the page to sign in with the provider only, and lets the page reach the provider', async () => {
    const options = await stack.anonymous().get('/v1/sign-in');
    expect(options.body).toEqual({
      local: null,
      oidc: { authority: provider.issuer, clientId: CLIENT_ID, scope: 'openid profile' },
    });
    const csp = (await fetch(`${stack.baseUrl}/app/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${provider.issuer}`);
    expect(csp).toContain(`form-action 'self' ${provider.issuer}`);
  });

  it('signs in through the provider with PKCE, and calls the API with the provider’s access token', async () => {
    provider.user = { sub: 'karen', role: 'coordinator', org: 'municipality:851' };
    const caseId = await register(new Client(stack.baseUrl, await provider.accessToken()));

    await page.goto(`${stack.baseUrl}/app/`);
    const button = page.getByRole('button', { name: `Log ind med ${new URL(provider.issuer).host}` });
    await button.waitFor();
    await expect(page.getByLabel('Rolle').count()).resolves.toBe(0);
    await expect(page.getByText('Udviklingslogin').count()).resolves.toBe(0);
    await session.screenshot('01-sign-in');
    await button.click();
    await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();
    await expect(page.getByTestId('who').textContent()).resolves.toContain('karen · Tovholder · municipality:851');
    // The code and state are spent: a reload must not try them again.
    expect(page.url()).toBe(`${stack.baseUrl}/app/`);

    expect(provider.authorizations).toHaveLength(1);
    const authorization = Object.fromEntries(provider.authorizations[0]);
    expect(authorization).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: `${stack.baseUrl}/app/`,
      response_type: 'code',
      scope: 'openid profile',
      code_challenge_method: 'S256',
    });
    expect(authorization.state).toBeTruthy();
    expect(provider.exchanges).toHaveLength(1);
    const [exchange] = provider.exchanges;
    expect(exchange).toMatchObject({ codeChallenge: authorization.code_challenge, verifierMatched: true });
    expect(exchange.codeVerifier.length).toBeGreaterThanOrEqual(43);

    // The case list shows only what the API lets this token see: the case registered for karen's municipality.
    const casesRequest = page.waitForRequest((r) => r.url() === `${stack.baseUrl}/v1/cases/search`);
    await page.getByRole('link', { name: 'Sager' }).click();
    expect((await casesRequest).headers().authorization).toBe(`Bearer ${exchange.accessToken}`);
    await page.locator(`a[href="/app/cases/${caseId}"]`).waitFor();
    await session.screenshot('02-cases');
  });

  it('sends a user whose role the API does not know back to the sign-in page, with nothing shown', async () => {
    await page.getByRole('button', { name: 'Log ud' }).click();
    provider.user = { sub: 'mallory', role: 'superuser', org: 'municipality:851' };
    const refused = page.waitForResponse((r) => r.url().startsWith(`${stack.baseUrl}/v1/`) && r.status() === 401);
    await page.getByRole('button', { name: /^Log ind med / }).click();
    await refused;
    await page.getByRole('button', { name: /^Log ind med / }).waitFor();
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Sager' }).count()).resolves.toBe(0);
    await expect(page.evaluate('sessionStorage.getItem("pathway.session")')).resolves.toBeNull();
    // Told why, in the API's words, and no copy of the token left in the tab.
    await expect(page.getByTestId('sign-in-notice').textContent()).resolves.toContain('a known role');
    await expect(
      page.evaluate('Object.keys(sessionStorage).filter((k) => k.startsWith("oidc.user"))'),
    ).resolves.toEqual([]);
    expect(provider.exchanges.map((e) => e.verifierMatched)).toEqual([true, true]);
    await session.screenshot('03-refused');
  });
});
