import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultDisclosurePolicy } from '@app/pathway';
import { ConfigError, loadConfig } from './config';

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

  it('loads the disclosure policy shipped with Pathway, or PATHWAY_DISCLOSURE_FILE’s; a bad one refuses to start, naming the file and the field', () => {
    expect(loadConfig({ ...BASE }).disclosure).toEqual(defaultDisclosurePolicy());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-disclosure-'));
    try {
      const file = path.join(dir, 'disclosure.json');
      const bad = defaultDisclosurePolicy();
      fs.writeFileSync(
        file,
        JSON.stringify({ ...bad, parties: { ...bad.parties, auditor: { ...bad.parties.auditor, identity: 'full' } } }),
      );
      expect(problems({ ...BASE, PATHWAY_DISCLOSURE_FILE: file })).toEqual([
        `PATHWAY_DISCLOSURE_FILE ${file}: parties.auditor.identity: the full CPR number is shown only to the responsible municipality and the case's clinic`,
      ]);
      fs.writeFileSync(file, '{');
      expect(problems({ ...BASE, PATHWAY_DISCLOSURE_FILE: file })[0]).toMatch(
        /^PATHWAY_DISCLOSURE_FILE .*disclosure\.json: not valid JSON/,
      );
      expect(problems({ ...BASE, PATHWAY_DISCLOSURE_FILE: path.join(dir, 'missing.json') })).toEqual([
        `PATHWAY_DISCLOSURE_FILE ${path.join(dir, 'missing.json')}: cannot be read`,
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
