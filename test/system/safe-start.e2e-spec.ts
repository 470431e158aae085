import net from 'node:net';
import os from 'node:os';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { CONFIG_ERROR_EXIT_CODE } from '@app/config';
import { evictionPolicy, REDIS_CLOCK_HZ, redisClockHz } from '@app/timers';
import { expectError } from '@test/support/api-error';
import { testClusterUrl } from '@test/support/database';
import { freePort } from '@test/support/ports';
import { AppProcess, Client, Stack, testRedisUrl } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/** An IPv4 address of this machine that is not loopback, if it has one. */
const otherAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** Whether a TCP connection to host:port is accepted. */
const accepts = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(2_000, () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.once('connect', () => (socket.destroy(), resolve(true)));
  });

const withPassword = (url: string, password: string): string => {
  const u = new URL(url);
  u.password = password;
  return u.toString();
};

/**
 * Safe on the first start: the API on loopback unless HOST says otherwise, the development sign-in
 * only there and never in production, and the local PostgreSQL and Redis behind passwords.
 * (The sign-in's own refusal of a peer from elsewhere is in sign-in.controller.spec.ts: nothing
 * from elsewhere can reach an API on loopback.)
 */
describe('safe on first start', () => {
  let stack: Stack;

  beforeAll(async () => {
    // HOST empty: the API's default, as `npm start` leaves it.
    stack = await Stack.start({ env: { HOST: '', DEV_SIGN_IN: 'true' } });
  });
  afterAll(() => stack?.stop());

  it('listens on 127.0.0.1 unless HOST is set, and signs in a caller on loopback', async () => {
    const port = Number(new URL(stack.baseUrl).port);
    await expect(accepts('127.0.0.1', port)).resolves.toBe(true);
    const signed = await stack
      .anonymous()
      .post('/v1/sign-in/local', { role: 'coordinator', organisation: 'municipality:851', sub: 'alice' });
    expect(signed.status).toBe(200);
    expect((await stack.anonymous().get('/v1/sign-in')).body.local).not.toBeNull();
  });

  (otherAddress ? it : it.skip)(`is not reachable on this machine's other address (${otherAddress})`, async () => {
    await expect(accepts(otherAddress!, Number(new URL(stack.baseUrl).port))).resolves.toBe(false);
  });

  it.each([
    ['HOST=0.0.0.0', { HOST: '0.0.0.0' }, /DEV_SIGN_IN=true cannot be used with HOST=0\.0\.0\.0: anyone who reaches/],
    ['NODE_ENV=production', { NODE_ENV: 'production' }, /DEV_SIGN_IN=true cannot be used with NODE_ENV=production/],
  ])('refuses to start with DEV_SIGN_IN=true and %s, saying why and what to use instead', async (_, env, why) => {
    const port = await freePort();
    const api = AppProcess.start('api', { ...stack.env, PORT: String(port), DEV_SIGN_IN: 'true', ...env });
    await expect(api.exited).resolves.toBe(CONFIG_ERROR_EXIT_CODE);
    expect(api.logs).toMatch(why);
    expect(api.logs).toContain('npm run token');
    await expect(accepts('127.0.0.1', port)).resolves.toBe(false);
  });

  it('serves on HOST=0.0.0.0 without the development sign-in', async () => {
    const port = await freePort();
    const api = AppProcess.start('api', { ...stack.env, PORT: String(port), HOST: '0.0.0.0', DEV_SIGN_IN: '' });
    try {
      const local = new Client(`http://127.0.0.1:${port}`);
      await waitFor(
        () => `an answer on /health:\n${api.logs}`,
        async () => {
          if (!api.running) throw new Error(`the API exited:\n${api.logs}`);
          return (await local.get('/health').catch(() => null))?.status === 200;
        },
      );
      // The other address reaches this one: the check that the loopback-only API is not reached can fail.
      if (otherAddress) await expect(accepts(otherAddress, port)).resolves.toBe(true);
      expect((await local.get('/v1/sign-in')).body).toEqual({ local: null, oidc: null });
      expectError(
        await local.post('/v1/sign-in/local', { role: 'admin', organisation: 'municipality:851', sub: 'mallory' }),
        403,
        'DEV_SIGN_IN_DISABLED',
      );
    } finally {
      await api.stop();
    }
  });

  describe("the local servers (scripts/lib/infra.mjs: `npm test`'s, started as `npm start`'s)", () => {
    const connectPg = async (url: string): Promise<string> => {
      const client = new PgClient({ connectionString: url, connectionTimeoutMillis: 5_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return 'connected';
      } catch (error) {
        return `${(error as { code?: string }).code ?? ''} ${(error as Error).message}`;
      } finally {
        await client.end().catch(() => undefined);
      }
    };

    it('PostgreSQL asks for the password (scram-sha-256): none or a wrong one is refused, and pg_hba.conf trusts nobody', async () => {
      const url = testClusterUrl();
      expect(new URL(url).password).not.toBe('');
      // The server asks for SCRAM; without a password the client cannot answer.
      await expect(connectPg(withPassword(url, ''))).resolves.toMatch(/SCRAM/);
      await expect(connectPg(withPassword(url, 'not-the-password'))).resolves.toMatch(
        /^28P01 password authentication failed/,
      );
      const client = new PgClient({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ auth_method: string }>(
          'SELECT DISTINCT auth_method FROM pg_hba_file_rules',
        );
        expect(rows.map((r) => r.auth_method)).toEqual(['scram-sha-256']);
        const role = await client.query<{ scram: boolean }>(
          "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = 'pathway'",
        );
        expect(role.rows).toEqual([{ scram: true }]);
      } finally {
        await client.end();
      }
    });

    it.each([
      ["npm test's", testRedisUrl],
      ["the stack's own", () => stack.env.REDIS_URL],
    ])('%s Redis never evicts and runs the clock deadlines need (hz 100)', async (_, url) => {
      const redis = new Redis(url(), { maxRetriesPerRequest: 1 });
      try {
        expect(await evictionPolicy(redis)).toBe('noeviction');
        expect(await redisClockHz(redis)).toBe(REDIS_CLOCK_HZ);
      } finally {
        redis.disconnect();
      }
    });

    it.each([
      ["npm test's", testRedisUrl],
      ["the stack's own", () => stack.env.REDIS_URL],
    ])('%s Redis refuses commands without AUTH (NOAUTH) and a wrong password (WRONGPASS)', async (_, url) => {
      const password = decodeURIComponent(new URL(url()).password);
      expect(password).not.toBe('');
      // A connection that does not authenticate: every command is refused until AUTH with the password.
      const redis = new Redis(withPassword(url(), ''), { enableReadyCheck: false, maxRetriesPerRequest: 0 });
      redis.on('error', () => undefined);
      try {
        await expect(redis.ping()).rejects.toThrow(/^NOAUTH/);
        await expect(redis.set('pathway:probe', 'x')).rejects.toThrow(/^NOAUTH/);
        await expect(redis.call('AUTH', 'not-the-password')).rejects.toThrow(/^WRONGPASS/);
        await expect(redis.ping()).rejects.toThrow(/^NOAUTH/);
        await expect(redis.call('AUTH', password)).resolves.toBe('OK');
        await expect(redis.ping()).resolves.toBe('PONG');
      } finally {
        redis.disconnect();
      }
    });
  });
});
