import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultDisclosurePolicy } from '@app/pathway';
import { ConfigError, inRanges, isLoopback, loadConfig } from './config';

const BASE = {
  DATABASE_URL: 'postgres://pathway@localhost/pathway',
  REDIS_URL: 'redis://localhost:6379',
  CPR_ENCRYPTION_KEY: 'ab'.repeat(32),
  CPR_INDEX_KEY: 'ef'.repeat(32),
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
      webhookAllowedHosts: [],
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
    expect(config.cprKeys.currentKeyId).toBe('k0');
    expect([...config.cprKeys.keys.keys()]).toEqual(['k0']);
    expect(config.cprKeys.keys.get('k0')).toEqual(Buffer.from('ab'.repeat(32), 'hex'));
    expect(config.policy).toMatchObject({ name: 'pregnancy-substance-use', version: 2 });
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

  it('limits tokens to TOKEN_MAX_LIFETIME (default 12h) and TOKEN_CLOCK_SKEW (default 60s), from either signer', () => {
    expect(loadConfig(BASE).auth).toMatchObject({ mode: 'local', maxLifetimeSeconds: 43_200, clockSkewSeconds: 60 });
    expect(
      loadConfig({
        ...BASE,
        TOKEN_MAX_LIFETIME: '30m',
        TOKEN_CLOCK_SKEW: '0s',
        JWT_JWKS_URL: 'https://idp.example/jwks',
      }).auth,
    ).toMatchObject({ mode: 'jwks', maxLifetimeSeconds: 1_800, clockSkewSeconds: 0 });
    expect(problems({ ...BASE, TOKEN_MAX_LIFETIME: '12 hours', TOKEN_CLOCK_SKEW: '1h' })).toEqual([
      'TOKEN_MAX_LIFETIME must be a number and s, m, h or d (such as 12h), from 1s to 30d, got "12 hours"',
      'TOKEN_CLOCK_SKEW must be a number and s, m, h or d (such as 60s), from 0s to 10m, got "1h"',
    ]);
    expect(problems({ ...BASE, TOKEN_MAX_LIFETIME: '0h' })).toEqual([
      expect.stringMatching(/^TOKEN_MAX_LIFETIME must/),
    ]);
    expect(problems({ ...BASE, TOKEN_MAX_LIFETIME: '31d' })).toEqual([
      expect.stringMatching(/from 1s to 30d, got "31d"$/),
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
      expect.stringMatching(/^CPR_INDEX_KEY is required/),
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

  it('reads WEBHOOK_ALLOWED_HOSTS as names, addresses and ranges, and refuses what a URL would read otherwise', () => {
    expect(
      loadConfig({
        ...BASE,
        WEBHOOK_ALLOWED_HOSTS: ' Hooks.Kommune.DK. , 127.0.0.1,10.20.0.0/16, [::1], fd00::/8,::ffff:10.0.0.7 ,',
      }).webhookAllowedHosts,
    ).toEqual(['hooks.kommune.dk', '127.0.0.1/32', '10.20.0.0/16', '::1/128', 'fd00::/8', '10.0.0.7/32']);
    const bad = [
      '0x7f000001',
      '127.1',
      'hooks.example:8443',
      'https://hooks.example',
      'hooks.example/path',
      '10.0.0.0/33',
      'a b',
    ];
    expect(problems({ ...BASE, WEBHOOK_ALLOWED_HOSTS: bad.join(',') })).toEqual(
      bad.map(
        (entry) =>
          `WEBHOOK_ALLOWED_HOSTS: "${entry}" is not a host name, an address or a CIDR range (write addresses in four decimal parts; no scheme, port or path)`,
      ),
    );
  });

  it('opens /metrics to loopback by default, to METRICS_ALLOWED_ADDRESSES and to a METRICS_TOKEN of 16 characters or more', () => {
    expect(loadConfig(BASE).metrics).toEqual({ allowedAddresses: ['127.0.0.0/8', '::1/128'], token: null });
    const open = loadConfig({
      ...BASE,
      METRICS_ALLOWED_ADDRESSES: '10.0.0.0/8, 192.0.2.1',
      METRICS_TOKEN: 'a-token-of-sixteen',
    }).metrics;
    expect(open).toEqual({ allowedAddresses: ['10.0.0.0/8', '192.0.2.1/32'], token: 'a-token-of-sixteen' });
    expect(loadConfig({ ...BASE, METRICS_ALLOWED_ADDRESSES: '' }).metrics.allowedAddresses).toEqual([]);
    expect(problems({ ...BASE, METRICS_ALLOWED_ADDRESSES: 'prometheus.local', METRICS_TOKEN: 'short' })).toEqual([
      'METRICS_TOKEN must be at least 16 characters without spaces',
      'METRICS_ALLOWED_ADDRESSES: "prometheus.local" is not an address or a CIDR range (write addresses in four decimal parts; no port)',
    ]);
  });

  it('tells whether a peer address is in the allowed ranges, IPv4-mapped or not', () => {
    const ranges = loadConfig({ ...BASE, METRICS_ALLOWED_ADDRESSES: '127.0.0.0/8,::1,10.1.0.0/16' }).metrics
      .allowedAddresses;
    expect(['127.0.0.1', '::ffff:127.0.0.1', '::1', '[::1]', '10.1.2.3'].map((a) => inRanges(a, ranges))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['10.2.0.1', '192.0.2.1', '::2', 'localhost', '', undefined].map((a) => inRanges(a, ranges))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('gives abuse limits, server timeouts and no HSTS by default; 0 turns a limit off; HSTS only when asked for', () => {
    expect(loadConfig(BASE).http).toEqual({
      rateLimitWindowMs: 60_000,
      rateLimitPerSubject: 3_000,
      rateLimitPerAddress: 6_000,
      rateLimitSignIn: 10,
      streamsPerSubject: 5,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      idleTimeoutMs: 30_000,
      keepAliveTimeoutMs: 72_000,
      hstsMaxAgeS: null,
    });
    expect(
      loadConfig({ ...BASE, RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_SIGN_IN: '3', HSTS_MAX_AGE: '31536000' }).http,
    ).toMatchObject({ rateLimitPerSubject: 0, rateLimitSignIn: 3, hstsMaxAgeS: 31_536_000 });
    expect(loadConfig({ ...BASE, HSTS_MAX_AGE: '0' }).http.hstsMaxAgeS).toBeNull();
    expect(problems({ ...BASE, STREAMS_PER_SUBJECT: '0', RATE_LIMIT_PER_ADDRESS: '-1' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_PER_ADDRESS must be an integer from 0 to/),
      expect.stringMatching(/^STREAMS_PER_SUBJECT must be an integer from 1 to/),
    ]);
  });

  it('refuses a header timeout longer than the request timeout: the headers are part of the request', () => {
    expect(problems({ ...BASE, HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toEqual([
      expect.stringMatching(/^HTTP_HEADERS_TIMEOUT_MS \(20000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(10000\)/),
    ]);
  });

  it('refuses a relay poll slower than a second', () => {
    expect(problems({ ...BASE, RELAY_POLL_MS: '1500' })).toEqual([
      expect.stringMatching(/^RELAY_POLL_MS must be an integer from \d+ to 1000/),
    ]);
  });

  describe('the CPR key ring', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = 'cd'.repeat(32);

    it('keeps CPR_ENCRYPTION_KEY as the legacy key k0, beside the keys of CPR_ENCRYPTION_KEYS', () => {
      const ring = loadConfig({
        ...BASE,
        CPR_ENCRYPTION_KEYS: `k1:${a}, k-2_x:${b}`,
        CPR_ENCRYPTION_KEY_ID: 'k1',
      }).cprKeys;
      expect(ring.currentKeyId).toBe('k1');
      expect([...ring.keys.keys()]).toEqual(['k0', 'k1', 'k-2_x']);
      expect(ring.keys.get('k1')).toEqual(Buffer.alloc(32, 1));
      expect(ring.keys.get('k-2_x')).toEqual(Buffer.from(b, 'hex'));
    });

    it('works without the legacy key once it is removed, and takes a lone key as the current one', () => {
      const { CPR_ENCRYPTION_KEY: _legacy, ...withoutLegacy } = BASE;
      expect(loadConfig({ ...withoutLegacy, CPR_ENCRYPTION_KEYS: `k1:${a}` }).cprKeys.currentKeyId).toBe('k1');
      expect(
        loadConfig({ ...withoutLegacy, CPR_ENCRYPTION_KEYS: `k1:${a},k2:${b}`, CPR_ENCRYPTION_KEY_ID: 'k2' }).cprKeys
          .currentKeyId,
      ).toBe('k2');
      expect(problems(withoutLegacy)).toEqual([expect.stringMatching(/^CPR_ENCRYPTION_KEY is required/)]);
    });

    it('refuses a current key id that is not in the ring, an ambiguous ring, a bad entry or an id given twice, never echoing a key', () => {
      expect(problems({ ...BASE, CPR_ENCRYPTION_KEYS: `k1:${a}`, CPR_ENCRYPTION_KEY_ID: 'k9' })).toEqual([
        'CPR_ENCRYPTION_KEY_ID k9 is not in the key ring (k0, k1): add it to CPR_ENCRYPTION_KEYS',
      ]);
      expect(problems({ ...BASE, CPR_ENCRYPTION_KEYS: `k1:${a}` })).toEqual([
        'CPR_ENCRYPTION_KEY_ID is required when the key ring holds several keys (k0, k1)',
      ]);
      const bad = problems({
        ...BASE,
        CPR_ENCRYPTION_KEYS: `k1:${a.slice(4)},k.2:${b},${b}`,
        CPR_ENCRYPTION_KEY_ID: 'k0',
      });
      expect(bad).toEqual([
        expect.stringMatching(/^CPR_ENCRYPTION_KEYS must be id:key pairs .* entry "k1" is not$/),
        expect.stringMatching(/entry "k.2" is not$/),
        expect.stringMatching(/entry without an id is not$/),
      ]);
      expect(bad.join('\n')).not.toContain(b);
      expect(bad.join('\n')).not.toContain(a.slice(4));
      expect(problems({ ...BASE, CPR_ENCRYPTION_KEYS: `k0:${a}`, CPR_ENCRYPTION_KEY_ID: 'k0' })).toEqual([
        'CPR_ENCRYPTION_KEYS names key k0 twice (k0 is CPR_ENCRYPTION_KEY)',
      ]);
    });
  });

  describe('the CPR index key', () => {
    it('is required, as 32 bytes, and is a key of its own, never echoed', () => {
      expect(loadConfig(BASE).cprIndexKey).toEqual(Buffer.from('ef'.repeat(32), 'hex'));
      const { CPR_INDEX_KEY: _index, ...withoutIndex } = BASE;
      expect(problems(withoutIndex)).toEqual([expect.stringMatching(/^CPR_INDEX_KEY is required/)]);
      expect(problems({ ...BASE, CPR_INDEX_KEY: 'short' })).toEqual([
        expect.stringMatching(/^CPR_INDEX_KEY must be 32 bytes/),
      ]);
      const reused = problems({ ...BASE, CPR_INDEX_KEY: BASE.CPR_ENCRYPTION_KEY });
      expect(reused).toEqual(['CPR_INDEX_KEY must be a key of its own, not one of the CPR encryption keys']);
      const listed = Buffer.alloc(32, 9).toString('base64');
      expect(
        problems({ ...BASE, CPR_ENCRYPTION_KEYS: `k1:${listed}`, CPR_ENCRYPTION_KEY_ID: 'k1', CPR_INDEX_KEY: listed }),
      ).toEqual(['CPR_INDEX_KEY must be a key of its own, not one of the CPR encryption keys']);
    });
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
