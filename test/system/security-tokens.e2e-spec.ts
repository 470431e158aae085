import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { signLocalToken } from '@app/auth';
import { expectError } from '@test/support/api-error';
import { CPR_ENDING_1234 } from '@test/support/cpr';
import { Client, Stack } from '@test/support/stack';

/**
 * Issue 13, section 1 over HTTP: a token's role fits its organisations, a token lives at most
 * TOKEN_MAX_LIFETIME, is not issued in the future and has no CPR number as subject; and an
 * organisation's admin keeps its own organisation's alert contacts and webhooks only, while the
 * platform administrator keeps everyone's.
 */
describe('tokens bound to organisation kinds, and admins to their organisation', () => {
  let stack: Stack;
  let keyDir: string;

  beforeAll(async () => {
    stack = await Stack.start();
    keyDir = path.join(stack.dataDir, 'auth');
  });
  afterAll(() => stack?.stop());

  /** A token signed with the stack's own key, so that only the rule under test can refuse it. */
  const token = (claims: { sub?: string; role: string; org: string | string[] }, options = {}) =>
    signLocalToken(keyDir, { sub: 'someone', ...claims }, { now: stack.clock.now(), ...options });
  const read = async (jwt: string) => new Client(stack.baseUrl, jwt).get('/v1/organisations');

  describe('401 with a stable code', () => {
    it.each([
      ['referrer', 'municipality:851'],
      ['facility', 'municipality:851'],
      ['clinic', 'municipality:851'],
      ['auditor', 'facility:holmegaardshuset'],
      ['auditor', 'gp:hansen'],
      ['municipality', 'clinic:1081'],
      ['coordinator', 'facility:kastaniegaarden'],
      ['admin', ['municipality:851', 'municipality:101']],
    ])('refuses the role %s for %j: ROLE_ORGANISATION_MISMATCH', async (role, org) => {
      const res = await read(await token({ role, org }));
      expectError(res, 401, 'ROLE_ORGANISATION_MISMATCH');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('refuses a 100-year token: TOKEN_LIFETIME_TOO_LONG; takes one of 12 hours', async () => {
      const claims = { role: 'municipality', org: 'municipality:851' };
      expectError(await read(await token(claims, { expiresIn: '36500d' })), 401, 'TOKEN_LIFETIME_TOO_LONG');
      expectError(await read(await token(claims, { expiresIn: '13h' })), 401, 'TOKEN_LIFETIME_TOO_LONG');
      expect((await read(await token(claims, { expiresIn: '12h' }))).status).toBe(200);
    });

    it('refuses an iat more than the clock skew (60 s) ahead: TOKEN_ISSUED_IN_FUTURE', async () => {
      const inAnHour = new Date(stack.clock.now().getTime() + 3_600_000);
      const res = await read(await token({ role: 'municipality', org: 'municipality:851' }, { now: inAnHour }));
      expectError(res, 401, 'TOKEN_ISSUED_IN_FUTURE');
    });

    it.each(['030487-1234', '0304871234', '03.04.87-1234'])(
      'refuses the CPR number %s as subject, and does not repeat it: SUBJECT_IS_CPR',
      async (sub) => {
        const res = await read(await token({ sub, role: 'clinic', org: 'clinic:1081' }));
        expectError(res, 401, 'SUBJECT_IS_CPR');
        expect(JSON.stringify(res.body)).not.toMatch(CPR_ENDING_1234);
      },
    );

    it('takes the pairs that fit, the national authority and the platform included', async () => {
      for (const [role, org] of [
        ['referrer', 'gp:hansen'],
        ['referrer', 'crisis_centre:aalborg'],
        ['auditor', 'authority:national'],
        ['auditor', 'region:1081'],
        ['coordinator', 'clinic:1081'],
        ['admin', 'municipality:851'],
        ['admin', 'pathway:platform'],
      ])
        expect([role, org, (await read(await token({ role, org }))).status]).toEqual([role, org, 200]);
    });
  });

  describe('npm run token (the CLI)', () => {
    const cli = (...args: string[]) =>
      spawnSync('node', [path.resolve(__dirname, '..', '..', 'dist', 'apps', 'cli', 'main.js'), 'token', ...args], {
        env: { ...process.env, DATA_DIR: stack.dataDir, TOKEN_MAX_LIFETIME: '', JWT_JWKS_URL: '' },
        encoding: 'utf8',
      });

    it('signs a fitting pair, which the API takes', async () => {
      const run = cli('--role', 'referrer', '--org', 'gp:hansen', '--sub', 'dr-hansen');
      expect(run.status).toBe(0);
      expect((await read(run.stdout.trim())).status).toBe(200);
    });

    it.each([
      [
        ['--role', 'referrer', '--org', 'municipality:851'],
        /--role referrer does not fit --org: a referrer works for a referrer organisation \(gp:…, .*\), not municipality:851/,
      ],
      [
        ['--role', 'admin', '--org', 'municipality:851', '--org', 'municipality:101'],
        /an admin administers one organisation/,
      ],
      [
        ['--role', 'clinic', '--org', 'clinic:1081', '--ttl', '36500d'],
        /--ttl 36500d is longer than the service accepts \(TOKEN_MAX_LIFETIME, 43200 s\)/,
      ],
    ])('refuses %j with a clear message and exit code 2', (args, message) => {
      const run = cli(...args, '--sub', 'mallory');
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    });

    it('refuses a CPR number as subject', () => {
      const run = cli('--role', 'clinic', '--org', 'clinic:1081', '--sub', '030487-1234');
      expect([run.status, run.stdout]).toEqual([2, '']);
      expect(run.stderr).toMatch(/^--sub is a CPR number: use a user id/);
    });
  });

  describe("an organisation's admin keeps its own contacts and webhooks only", () => {
    const contacts = [{ tier: 'duty-inbox', name: 'Vagten', email: 'vagt@aalborg.example' }];
    let aalborgAdmin: Client;
    let aarhusAdmin: Client;
    let platform: Client;

    beforeAll(async () => {
      aalborgAdmin = await stack.as('admin', 'municipality:851', 'aalborg-admin');
      aarhusAdmin = await stack.as('admin', 'municipality:751', 'aarhus-admin');
      platform = await stack.as('admin', 'pathway:platform', 'root');
    });

    it('contacts: its own admin and the platform administrator read and replace them; a foreign admin gets 403 NOT_ORGANISATION_ADMIN', async () => {
      const url = '/v1/organisations/municipality:851/contacts';
      expect((await aalborgAdmin.request('PUT', url, { body: { contacts } })).status).toBe(200);
      expect((await aalborgAdmin.get(url)).body.contacts).toMatchObject(contacts);

      const hijack = [{ tier: 'duty-inbox', name: 'Mallory', email: 'mallory@evil.example' }];
      expectError(await aarhusAdmin.request('PUT', url, { body: { contacts: hijack } }), 403, 'NOT_ORGANISATION_ADMIN');
      expectError(await aarhusAdmin.get(url), 403, 'NOT_ORGANISATION_ADMIN');
      expectError(await aarhusAdmin.get(`${url}/dead-letters`), 403, 'NOT_ORGANISATION_ADMIN');
      expect((await aalborgAdmin.get(url)).body.contacts).toMatchObject(contacts);

      // Aarhus's admin keeps Aarhus's list.
      const aarhus = '/v1/organisations/municipality:751/contacts';
      expect((await aarhusAdmin.request('PUT', aarhus, { body: { contacts: hijack } })).status).toBe(200);
      expectError(await aalborgAdmin.get(aarhus), 403, 'NOT_ORGANISATION_ADMIN');

      // The platform administrator keeps every organisation's.
      expect((await platform.get(url)).body.contacts).toMatchObject(contacts);
      const replaced = [{ tier: 'team-lead', name: 'Leder', email: 'leder@aalborg.example' }];
      expect((await platform.request('PUT', url, { body: { contacts: replaced } })).status).toBe(200);
      expect((await platform.get(`${url}/dead-letters`)).status).toBe(200);
      expect((await aalborgAdmin.get(url)).body.contacts).toMatchObject(replaced);
    });

    it('webhooks: a foreign admin may not register, list or remove them (403 NOT_ORGANISATION_ADMIN); the platform administrator may, naming the organisation', async () => {
      const own = await aalborgAdmin.post('/v1/webhooks', { url: 'https://aalborg.example/hooks' });
      expect([own.status, own.body.organisation]).toEqual([201, 'municipality:851']);

      expectError(
        await aarhusAdmin.post('/v1/webhooks', { url: 'https://evil.example/h', organisation: 'municipality:851' }),
        403,
        'NOT_ORGANISATION_ADMIN',
      );
      expectError(await aarhusAdmin.get('/v1/webhooks?organisation=municipality:851'), 403, 'NOT_ORGANISATION_ADMIN');
      expectError(
        await aarhusAdmin.get('/v1/webhooks/dead-letters?organisation=municipality:851'),
        403,
        'NOT_ORGANISATION_ADMIN',
      );
      expect((await aarhusAdmin.get('/v1/webhooks')).body.items).toEqual([]);
      expectError(await aarhusAdmin.request('DELETE', `/v1/webhooks/${own.body.id}`), 403, 'NOT_ORGANISATION_ADMIN');

      const byPlatform = await platform.post('/v1/webhooks', {
        url: 'https://aalborg.example/second',
        organisation: 'municipality:851',
      });
      expect([byPlatform.status, byPlatform.body.organisation]).toEqual([201, 'municipality:851']);
      const listed = (await platform.get('/v1/webhooks?organisation=municipality:851')).body.items as { id: string }[];
      expect(listed.map((h) => h.id).sort()).toEqual([own.body.id, byPlatform.body.id].sort());
      expect((await platform.get('/v1/webhooks/dead-letters?organisation=municipality:851')).status).toBe(200);
      expect((await platform.request('DELETE', `/v1/webhooks/${own.body.id}`)).status).toBe(204);
      expect((await aalborgAdmin.request('DELETE', `/v1/webhooks/${byPlatform.body.id}`)).status).toBe(204);
      expect((await aalborgAdmin.get('/v1/webhooks')).body.items).toEqual([]);
    });
  });
});
