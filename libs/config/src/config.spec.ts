import path from 'node:path';
import { ConfigError, isLoopback, loadConfig } from './config';

const BASE = {
  DATABASE_URL: 'postgres://pathway@localhost/pathway',
  REDIS_URL: 'redis://localhost:6379',
  CPR_ENCRYPTION_KEY: 'ab'.repeat(32),
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig({ ...BASE, DATA_DIR: '/tmp/pathway-config-spec' });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dbPoolSize: 20,
      timerHorizonMs: 600_000,
      publicBaseUrl: 'http://localhost:3000',
      smtp: null,
      runMigrations: true,
      dataDir: path.resolve('/tmp/pathway-config-spec'),
      worker: {
        concurrency: 32,
        reconcileIntervalMs: 30_000,
        relayPollMs: 500,
        lockDurationMs: 30_000,
        testRelayHoldMs: 0,
        testFireHoldMs: 0,
        deliveryAttempts: 12,
        deliveryBackoffMs: 2_000,
      },
    });
    expect(config.cprKey).toHaveLength(32);
    expect(config.policy).toMatchObject({ name: 'pregnancy-substance-use', version: 1 });
  });

  it("offers the development sign-in only with the local key, and OIDC only with an identity provider's keys", () => {
    expect(loadConfig(BASE).signIn).toEqual({ local: false, oidc: null });
    expect(loadConfig({ ...BASE, DEV_SIGN_IN: 'true' }).signIn).toEqual({ local: true, oidc: null });
    expect(problems({ ...BASE, DEV_SIGN_IN: 'true', JWT_JWKS_URL: 'https://idp.example/jwks' })).toEqual([
      expect.stringMatching(/^DEV_SIGN_IN signs tokens with the local key/),
    ]);
    const idp = {
      ...BASE,
      JWT_JWKS_URL: 'https://idp.example/jwks',
      JWT_ISSUER: 'https://idp.example/realms/region/',
      OIDC_CLIENT_ID: 'pathway-dashboard',
    };
    expect(loadConfig(idp).signIn).toEqual({
      local: false,
      oidc: { authority: 'https://idp.example/realms/region', clientId: 'pathway-dashboard', scope: 'openid profile' },
    });
    expect(problems({ ...BASE, OIDC_CLIENT_ID: 'pathway-dashboard', OIDC_AUTHORITY: 'idp.example' })).toEqual([
      expect.stringMatching(/^OIDC_CLIENT_ID needs JWT_JWKS_URL/),
      expect.stringMatching(/^OIDC_AUTHORITY \(or JWT_ISSUER\) must be/),
    ]);
  });

  it('refuses the development sign-in on a HOST other than loopback or in production, and says what to use instead', () => {
    for (const HOST of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(loadConfig({ ...BASE, HOST, DEV_SIGN_IN: 'true' })).toMatchObject({ host: HOST, signIn: { local: true } });
    for (const HOST of ['0.0.0.0', '::', '10.1.2.3', '192.168.1.20', 'pathway.example', '128.0.0.1'])
      expect(problems({ ...BASE, HOST, DEV_SIGN_IN: 'true' })).toEqual([
        `DEV_SIGN_IN=true cannot be used with HOST=${HOST}: anyone who reaches the API could sign in as anyone, so the development sign-in needs a loopback HOST (127.0.0.1, ::1 or localhost); unset DEV_SIGN_IN and get tokens with \`npm run token\` or sign in through an identity provider (JWT_JWKS_URL, OIDC_CLIENT_ID)`,
      ]);
    expect(problems({ ...BASE, NODE_ENV: 'production', DEV_SIGN_IN: '1' })).toEqual([
      expect.stringMatching(
        /^DEV_SIGN_IN=true cannot be used with NODE_ENV=production: .* `npm run token` or .*identity provider/,
      ),
    ]);
    expect(problems({ ...BASE, NODE_ENV: 'production', HOST: '0.0.0.0', DEV_SIGN_IN: 'true' })).toEqual([
      expect.stringMatching(/^DEV_SIGN_IN=true cannot be used with HOST=0\.0\.0\.0/),
      expect.stringMatching(/^DEV_SIGN_IN=true cannot be used with NODE_ENV=production/),
    ]);
    // Without the development sign-in any HOST, and production, are fine.
    expect(loadConfig({ ...BASE, HOST: '0.0.0.0', NODE_ENV: 'production', DEV_SIGN_IN: 'false' })).toMatchObject({
      host: '0.0.0.0',
      signIn: { local: false },
    });
  });

  it('tells loopback addresses from the others, IPv4-mapped ones included', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
    ])
      expect([address, isLoopback(address)]).toEqual([address, true]);
    for (const address of [
      '10.1.2.3',
      '::ffff:10.1.2.3',
      '0.0.0.0',
      '::',
      '128.0.0.1',
      'localhost.example',
      '',
      undefined,
    ])
      expect([address, isLoopback(address)]).toEqual([address, false]);
  });

  it('names every missing or bad variable at once', () => {
    const found = problems({
      REDIS_URL: 'http://localhost',
      CPR_ENCRYPTION_KEY: 'short',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
    });
    expect(found).toEqual([
      expect.stringMatching(/^DATABASE_URL is required/),
      expect.stringMatching(/^REDIS_URL must be a redis:\/\/ URL/),
      expect.stringMatching(/^CPR_ENCRYPTION_KEY must be 32 bytes/),
      expect.stringMatching(/^LOG_LEVEL must be one of/),
      expect.stringMatching(/^PORT must be an integer from 0 to 65535, got "eighty"/),
    ]);
  });

  it('refuses a timer horizon shorter than three reconcile intervals: timers enter Redis through the reconciler', () => {
    expect(problems({ ...BASE, TIMER_HORIZON_MS: '60000' })).toEqual([
      expect.stringMatching(/^TIMER_HORIZON_MS \(60000\) must be at least three RECONCILE_INTERVAL_MS \(30000\)/),
    ]);
    expect(loadConfig({ ...BASE, TIMER_HORIZON_MS: '90000' }).timerHorizonMs).toBe(90_000);
    expect(
      loadConfig({ ...BASE, TIMER_HORIZON_MS: '3000', RECONCILE_INTERVAL_MS: '1000' }).worker.reconcileIntervalMs,
    ).toBe(1_000);
  });

  it('reads the SMTP relay from SMTP_URL, and refuses another scheme', () => {
    expect(
      loadConfig({
        ...BASE,
        SMTP_URL: 'smtps://alerts%40kommune.dk:s%3Acret@mail.kommune.dk',
        SMTP_FROM: 'Pathway <alerts@kommune.dk>',
      }).smtp,
    ).toEqual({
      host: 'mail.kommune.dk',
      port: 465,
      secure: true,
      user: 'alerts@kommune.dk',
      password: 's:cret',
      from: 'Pathway <alerts@kommune.dk>',
      language: 'da',
    });
    expect(loadConfig({ ...BASE, SMTP_URL: 'smtp://127.0.0.1:2525', ALERT_EMAIL_LANGUAGE: 'en' }).smtp).toMatchObject({
      port: 2525,
      secure: false,
      user: undefined,
      language: 'en',
    });
    expect(problems({ ...BASE, SMTP_URL: 'http://mail.example' })).toEqual([
      'SMTP_URL must be an smtp:// or smtps:// URL',
    ]);
  });

  it('refuses a relay poll slower than a second', () => {
    expect(problems({ ...BASE, RELAY_POLL_MS: '1500' })).toEqual([
      expect.stringMatching(/^RELAY_POLL_MS must be an integer from \d+ to 1000/),
    ]);
  });
});
