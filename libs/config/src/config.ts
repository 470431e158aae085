import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import type { DisclosurePolicy, Policy } from '@app/pathway';
import { LOG_LEVELS, logSettingsOf, type LogFormat, type LogLevel } from './logging';
import { KEY_ID_PATTERN, LEGACY_KEY_ID, type KeyRing } from './key-ring';
import { loadDisclosurePolicy, loadPolicy } from './policy-file';

/** What any token must keep to, whoever signed it. */
export interface TokenLimits {
  /** TOKEN_MAX_LIFETIME: a token lives at most this long (exp - iat, or exp - now without iat). */
  maxLifetimeSeconds: number;
  /** TOKEN_CLOCK_SKEW: how far the issuer's clock may be off ours (iat in the future, exp, nbf). */
  clockSkewSeconds: number;
}

export type AuthConfig = TokenLimits &
  (
    | { mode: 'local'; keyDir: string; issuer: string; audience: string }
    | { mode: 'jwks'; jwksUrl: string; issuer: string | undefined; audience: string | undefined }
  );

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** A span such as `0s`, `90s`, `30m`, `12h` or `7d`, in seconds; null for anything else. */
export function durationSeconds(text: string): number | null {
  const m = /^(\d{1,9})(s|m|h|d)$/.exec(text);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : null;
}

/** A token lifetime such as `90s`, `30m`, `12h` or `7d`, in seconds; null for anything else (and for 0). */
export function lifetimeSeconds(text: string): number | null {
  const seconds = durationSeconds(text);
  return seconds ? seconds : null;
}

export const DEFAULT_TOKEN_MAX_LIFETIME = '12h';
export const DEFAULT_TOKEN_CLOCK_SKEW = '60s';
const MAX_TOKEN_LIFETIME_LIMIT = 30 * 86_400;
const MAX_CLOCK_SKEW = 600;

/** TOKEN_MAX_LIFETIME (default 12h, 1 second to 30 days) and TOKEN_CLOCK_SKEW (default 60s, at most 10 minutes). */
function tokenLimitsOf(env: NodeJS.ProcessEnv, problems: string[]): TokenLimits {
  const span = (name: string, fallback: string, min: number, max: number, hint: string): number => {
    const raw = env[name] || fallback;
    const seconds = durationSeconds(raw);
    if (seconds === null || seconds < min || seconds > max) {
      problems.push(`${name} must be a number and s, m, h or d (such as ${fallback}), ${hint}, got "${raw}"`);
      return durationSeconds(fallback)!;
    }
    return seconds;
  };
  return {
    maxLifetimeSeconds: span(
      'TOKEN_MAX_LIFETIME',
      DEFAULT_TOKEN_MAX_LIFETIME,
      1,
      MAX_TOKEN_LIFETIME_LIMIT,
      'from 1s to 30d',
    ),
    clockSkewSeconds: span('TOKEN_CLOCK_SKEW', DEFAULT_TOKEN_CLOCK_SKEW, 0, MAX_CLOCK_SKEW, 'from 0s to 10m'),
  };
}

/** The token limits alone (for the CLI, which signs tokens without the rest of the configuration). */
export function loadTokenLimits(env: NodeJS.ProcessEnv = process.env): TokenLimits {
  const problems: string[] = [];
  const limits = tokenLimitsOf(env, problems);
  if (problems.length) throw new ConfigError(problems);
  return limits;
}

/** How people sign in to the dashboard. */
export interface SignInConfig {
  /** Development sign-in: pick a role and organisation and get a token signed with the local key. */
  local: boolean;
  /** The identity provider the dashboard signs in with (authorization code with PKCE); null: none. */
  oidc: { authority: string; clientId: string; scope: string } | null;
}

/** The service's settings, validated. Every variable is documented in the README's table. */
export interface AppConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  dataDir: string;
  auth: AuthConfig;
  signIn: SignInConfig;
  /**
   * The 32-byte AES-256-GCM keys for CPR numbers (and webhook secrets) at rest, by id: new
   * envelopes use the current one; each envelope names the key that opens it.
   */
  cprKeys: KeyRing;
  /**
   * CPR_INDEX_KEY: the 32-byte HMAC-SHA256 key of the CPR's blind index (case_identities.cpr_index),
   * which links a woman's cases. Its own key, never one of the encryption keys (docs/security.md).
   */
  cprIndexKey: Buffer;
  runMigrations: boolean;
  dbPoolSize: number;
  logLevels: LogLevel[];
  /** LOG_FORMAT: JSON lines, or readable lines (`npm start` at a terminal). */
  logFormat: LogFormat;
  /** The active pathway policy (new cases start under it). */
  policy: Policy;
  /** Who sees what of a case (PATHWAY_DISCLOSURE_FILE, else the policy shipped with Pathway). */
  disclosure: DisclosurePolicy;
  /** Tests and demos only: a file holding the current instant (see FileClock). */
  clockFile: string | undefined;
  /**
   * Timers due within this much of now live in Redis; later ones only in PostgreSQL, from where
   * the reconciler loads them as they come within reach. Bounds Redis memory (noeviction!) and
   * spares Redis the timers that are cancelled long before they would fire.
   */
  timerHorizonMs: number;
  /** Where people open the service: links in alerts point here. */
  publicBaseUrl: string;
  /** The SMTP relay alert emails leave through; null: no email. */
  smtp: SmtpConfig | null;
  /**
   * WEBHOOK_ALLOWED_HOSTS: hosts webhooks may reach although their addresses are not public (an
   * on-premises receiver, the tests' receivers): host names in lower case without a trailing dot,
   * matched exactly (any port), and CIDR ranges (a single address as /32 or /128).
   */
  webhookAllowedHosts: string[];
  worker: WorkerConfig;
  http: HttpConfig;
  metrics: MetricsConfig;
}

/** Who may read GET /metrics (API and worker); anyone else gets 404. */
export interface MetricsConfig {
  /** METRICS_ALLOWED_ADDRESSES: client addresses as CIDR ranges (a single address as /32 or /128); default loopback. */
  allowedAddresses: string[];
  /** METRICS_TOKEN: a bearer token that opens /metrics from any address; null: none. */
  token: string | null;
}

/** The API's abuse limits, server timeouts and security headers. */
export interface HttpConfig {
  /** The window the request counters count in; each counter starts at its first request. */
  rateLimitWindowMs: number;
  /** Requests per window per subject (the verified token's `sub` with its organisations); 0: no limit. */
  rateLimitPerSubject: number;
  /** Requests per window per client address, authenticated or not; 0: no limit. */
  rateLimitPerAddress: number;
  /** Development sign-ins per window per client address; 0: no limit. */
  rateLimitSignIn: number;
  /** Open live alert streams per subject on one API instance. */
  streamsPerSubject: number;
  /** A request's headers must arrive within this long (slowloris). */
  headersTimeoutMs: number;
  /** A whole request (headers and body) must arrive within this long; answers may take longer. */
  requestTimeoutMs: number;
  /** A connection with no traffic either way for this long is closed (live streams send heartbeats). */
  idleTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** Strict-Transport-Security max-age in seconds; null: no HSTS header (the service is not behind TLS). */
  hstsMaxAgeS: number | null;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** Implicit TLS (smtps://); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  language: 'da' | 'en';
}

export interface WorkerConfig {
  /** How many deadline jobs one worker fires at a time. */
  concurrency: number;
  /** How often the reconciler rebuilds missing timers from PostgreSQL. */
  reconcileIntervalMs: number;
  /** How often the relay polls the outbox when no NOTIFY wakes it (at most 1 s). */
  relayPollMs: number;
  /** How long a worker holds a job before another may take it over (BullMQ lockDuration). */
  lockDurationMs: number;
  /** Fault injection for the chaos tests: hold after publishing to Redis, before deleting the relayed rows. */
  testRelayHoldMs: number;
  /** Fault injection for the chaos tests: hold inside a deadline job, before firing. */
  testFireHoldMs: number;
  /** Attempts of a webhook or email delivery before it goes to the dead-letter list. */
  deliveryAttempts: number;
  /** The first retry's delay; each further retry waits twice as long. */
  deliveryBackoffMs: number;
  /** WORKER_PORT: the worker's own HTTP port (health, metrics) on HOST; 0 (default): none. */
  httpPort: number;
}

/**
 * The exit code of an app that refuses its configuration (sysexits' EX_CONFIG): `npm start`'s
 * supervisor does not restart it (scripts/lib/supervise.mjs), since it would only refuse again.
 */
export const CONFIG_ERROR_EXIT_CODE = 78;

/** A bad or missing variable: the message names every one of them. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const required = (name: string, pattern: RegExp, hint: string): string => {
    const value = env[name];
    if (!value) problems.push(`${name} is required (${hint})`);
    else if (!pattern.test(value)) problems.push(`${name} must be ${hint}`);
    return value ?? '';
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!['true', 'false', '1', '0'].includes(raw)) problems.push(`${name} must be true or false, got "${raw}"`);
    return raw === 'true' || raw === '1';
  };

  const databaseUrl = required('DATABASE_URL', /^postgres(ql)?:\/\//, 'a postgres:// URL');
  const redisUrl = required('REDIS_URL', /^rediss?:\/\//, 'a redis:// URL');
  const dataDir = path.resolve(env.DATA_DIR || '.data');

  const cprKeys = cprKeysOf(env, problems);
  const cprIndexKey = cprIndexKeyOf(env, cprKeys, problems);

  let auth: AuthConfig;
  const limits = tokenLimitsOf(env, problems);
  if (env.JWT_JWKS_URL) {
    if (!/^https?:\/\//.test(env.JWT_JWKS_URL)) problems.push('JWT_JWKS_URL must be an http(s) URL');
    auth = {
      ...limits,
      mode: 'jwks',
      jwksUrl: env.JWT_JWKS_URL,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
    };
  } else {
    auth = {
      ...limits,
      mode: 'local',
      keyDir: path.join(dataDir, 'auth'),
      issuer: env.JWT_ISSUER || 'pathway-local',
      audience: env.JWT_AUDIENCE || 'pathway',
    };
  }

  const host = env.HOST || '127.0.0.1';
  const signIn = signInOf(env, auth, bool('DEV_SIGN_IN', false), problems);
  if (signIn.local) refuseExposedDevSignIn(host, env.NODE_ENV, problems);

  const logging = logSettingsOf(env);
  problems.push(...logging.problems);

  const policy = loadPolicy(env.PATHWAY_POLICY_FILE || undefined, problems);
  const disclosure = loadDisclosurePolicy(env.PATHWAY_DISCLOSURE_FILE || undefined, problems);
  const clockFile = env.PATHWAY_CLOCK_FILE || undefined;
  if (clockFile && !Number.isFinite(Date.parse(readFirstLine(clockFile))))
    problems.push(`PATHWAY_CLOCK_FILE ${clockFile}: must hold an ISO 8601 instant`);

  const config: AppConfig = {
    databaseUrl,
    redisUrl,
    host,
    port: integer('PORT', 3000, 0, 65535),
    dataDir,
    auth,
    signIn,
    cprKeys,
    cprIndexKey,
    runMigrations: bool('RUN_MIGRATIONS', true),
    dbPoolSize: integer('DB_POOL_SIZE', 20, 1, 500),
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(logging.level) + 1),
    logFormat: logging.format,
    policy: policy as Policy,
    disclosure: disclosure as DisclosurePolicy,
    clockFile,
    timerHorizonMs: integer('TIMER_HORIZON_MS', 600_000, 1_000, 10 * 366 * 86_400_000),
    publicBaseUrl: (env.PUBLIC_BASE_URL || 'http://localhost:3000').replace(/\/+$/, ''),
    smtp: smtpOf(env, problems),
    webhookAllowedHosts: allowedHostsOf(env.WEBHOOK_ALLOWED_HOSTS, problems),
    worker: {
      concurrency: integer('WORKER_CONCURRENCY', 32, 1, 1000),
      reconcileIntervalMs: integer('RECONCILE_INTERVAL_MS', 30_000, 200, 3_600_000),
      relayPollMs: integer('RELAY_POLL_MS', 500, 10, 1000),
      lockDurationMs: integer('JOB_LOCK_MS', 30_000, 1000, 600_000),
      testRelayHoldMs: integer('TEST_RELAY_HOLD_MS', 0, 0, 600_000),
      testFireHoldMs: integer('TEST_FIRE_HOLD_MS', 0, 0, 600_000),
      deliveryAttempts: integer('DELIVERY_ATTEMPTS', 12, 1, 100),
      deliveryBackoffMs: integer('DELIVERY_BACKOFF_MS', 2_000, 10, 3_600_000),
      httpPort: integer('WORKER_PORT', 0, 0, 65535),
    },
    http: httpOf(integer, problems),
    metrics: metricsOf(env, problems),
  };
  if (!/^https?:\/\/[^\s/]+/.test(config.publicBaseUrl))
    problems.push(`PUBLIC_BASE_URL must be an http(s) URL, got "${config.publicBaseUrl}"`);
  if (config.timerHorizonMs < 3 * config.worker.reconcileIntervalMs) {
    problems.push(
      `TIMER_HORIZON_MS (${config.timerHorizonMs}) must be at least three RECONCILE_INTERVAL_MS (${config.worker.reconcileIntervalMs}): timers enter Redis by the reconciler`,
    );
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const KEY_HINT = '32 bytes, as base64 or 64 hex digits';

function keyOf(raw: string): Buffer | null {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  return key.length === 32 ? key : null;
}

/**
 * CPR_INDEX_KEY: required, since every stored CPR number is indexed with it (a deployment without
 * it would register a woman's second case as a stranger's). Refused when it is one of the
 * encryption keys: the index key is kept apart so that either can leak or rotate alone.
 */
function cprIndexKeyOf(env: NodeJS.ProcessEnv, ring: KeyRing, problems: string[]): Buffer {
  const raw = env.CPR_INDEX_KEY;
  if (!raw) {
    problems.push(`CPR_INDEX_KEY is required (${KEY_HINT}; the key of the CPR's blind index, not an encryption key)`);
    return Buffer.alloc(0);
  }
  const key = keyOf(raw);
  if (!key) {
    problems.push(`CPR_INDEX_KEY must be ${KEY_HINT}`);
    return Buffer.alloc(0);
  }
  if ([...ring.keys.values()].some((k) => k.equals(key)))
    problems.push('CPR_INDEX_KEY must be a key of its own, not one of the CPR encryption keys');
  return key;
}

/**
 * CPR_ENCRYPTION_KEY (the legacy single key, id `k0`), CPR_ENCRYPTION_KEYS (`id:key,id:key`) and
 * CPR_ENCRYPTION_KEY_ID (the current key; needed when the ring holds more than one).
 */
function cprKeysOf(env: NodeJS.ProcessEnv, problems: string[]): KeyRing {
  const keys = new Map<string, Buffer>();
  const legacy = env.CPR_ENCRYPTION_KEY;
  const listed = env.CPR_ENCRYPTION_KEYS;
  if (!legacy && !listed) {
    problems.push(`CPR_ENCRYPTION_KEY is required (${KEY_HINT}), or CPR_ENCRYPTION_KEYS with CPR_ENCRYPTION_KEY_ID`);
    return { currentKeyId: LEGACY_KEY_ID, keys };
  }
  if (legacy) {
    const key = keyOf(legacy);
    if (key) keys.set(LEGACY_KEY_ID, key);
    else problems.push(`CPR_ENCRYPTION_KEY must be ${KEY_HINT}`);
  }
  for (const entry of (listed ?? '').split(',').filter((e) => e.trim() !== '')) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon).trim() : '';
    const key = colon > 0 ? keyOf(entry.slice(colon + 1).trim()) : null;
    if (!KEY_ID_PATTERN.test(id) || !key) {
      // Never echo the entry: it holds a key.
      problems.push(
        `CPR_ENCRYPTION_KEYS must be id:key pairs separated by commas (an id of letters, digits, _ or -; a key of ${KEY_HINT}); entry ${id && id.length <= 32 ? `"${id}"` : 'without an id'} is not`,
      );
    } else if (keys.has(id)) {
      problems.push(
        `CPR_ENCRYPTION_KEYS names key ${id} twice${id === LEGACY_KEY_ID ? ` (${LEGACY_KEY_ID} is CPR_ENCRYPTION_KEY)` : ''}`,
      );
    } else keys.set(id, key);
  }
  const ids = [...keys.keys()];
  const currentKeyId = env.CPR_ENCRYPTION_KEY_ID || (ids.length === 1 ? ids[0] : '');
  if (!currentKeyId && ids.length > 1)
    problems.push(`CPR_ENCRYPTION_KEY_ID is required when the key ring holds several keys (${ids.join(', ')})`);
  else if (currentKeyId && !keys.has(currentKeyId) && ids.length > 0)
    problems.push(
      `CPR_ENCRYPTION_KEY_ID ${currentKeyId} is not in the key ring (${ids.join(', ')}): add it to CPR_ENCRYPTION_KEYS`,
    );
  return { currentKeyId, keys };
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether `host` (a HOST setting or a peer's address) is this machine's loopback: `localhost`,
 * 127.0.0.0/8 (also IPv4-mapped, ::ffff:127.x) or ::1.
 */
export function isLoopback(host: string | undefined): boolean {
  const h = (host ?? '').toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const family = net.isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The development sign-in gives anyone who reaches it a token for any role: only on a loopback
 * HOST, and never in production.
 */
function refuseExposedDevSignIn(host: string, nodeEnv: string | undefined, problems: string[]): void {
  const instead =
    'get tokens with `npm run token` or sign in through an identity provider (JWT_JWKS_URL, OIDC_CLIENT_ID)';
  if (!isLoopback(host))
    problems.push(
      `DEV_SIGN_IN=true cannot be used with HOST=${host}: anyone who reaches the API could sign in as anyone, so the development sign-in needs a loopback HOST (127.0.0.1, ::1 or localhost); unset DEV_SIGN_IN and ${instead}`,
    );
  if (nodeEnv === 'production')
    problems.push(
      `DEV_SIGN_IN=true cannot be used with NODE_ENV=production: the development sign-in signs any role without credentials; unset DEV_SIGN_IN and ${instead}`,
    );
}

/** DEV_SIGN_IN (local key only) and OIDC_CLIENT_ID, OIDC_AUTHORITY (default JWT_ISSUER), OIDC_SCOPE (with JWKS only). */
function signInOf(env: NodeJS.ProcessEnv, auth: AuthConfig, local: boolean, problems: string[]): SignInConfig {
  if (local && auth.mode !== 'local')
    problems.push('DEV_SIGN_IN signs tokens with the local key: it cannot be used with JWT_JWKS_URL');
  const clientId = env.OIDC_CLIENT_ID;
  if (!clientId) return { local, oidc: null };
  const authority = (env.OIDC_AUTHORITY || env.JWT_ISSUER || '').replace(/\/+$/, '');
  if (auth.mode !== 'jwks')
    problems.push("OIDC_CLIENT_ID needs JWT_JWKS_URL: the API verifies the identity provider's tokens with its keys");
  if (!/^https?:\/\/[^\s/]+/.test(authority))
    problems.push(
      "OIDC_AUTHORITY (or JWT_ISSUER) must be the identity provider's http(s) URL when OIDC_CLIENT_ID is set",
    );
  return { local, oidc: { authority, clientId, scope: env.OIDC_SCOPE || 'openid profile' } };
}

/** The abuse limits, server timeouts and HSTS: RATE_LIMIT_*, STREAMS_PER_SUBJECT, HTTP_*_TIMEOUT_MS, HSTS_MAX_AGE. */
function httpOf(
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): HttpConfig {
  const perWindow = (name: string, fallback: number) => integer(name, fallback, 0, 1_000_000_000);
  const hsts = integer('HSTS_MAX_AGE', 0, 0, 2 ** 31 - 1);
  const http: HttpConfig = {
    rateLimitWindowMs: integer('RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000),
    rateLimitPerSubject: perWindow('RATE_LIMIT_PER_SUBJECT', 3_000),
    rateLimitPerAddress: perWindow('RATE_LIMIT_PER_ADDRESS', 6_000),
    rateLimitSignIn: perWindow('RATE_LIMIT_SIGN_IN', 10),
    streamsPerSubject: integer('STREAMS_PER_SUBJECT', 5, 1, 1_000),
    headersTimeoutMs: integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    idleTimeoutMs: integer('HTTP_IDLE_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
    keepAliveTimeoutMs: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 3_600_000),
    hstsMaxAgeS: hsts > 0 ? hsts : null,
  };
  if (http.headersTimeoutMs > http.requestTimeoutMs)
    problems.push(
      `HTTP_HEADERS_TIMEOUT_MS (${http.headersTimeoutMs}) must not exceed HTTP_REQUEST_TIMEOUT_MS (${http.requestTimeoutMs}): the headers are part of the request`,
    );
  return http;
}

/** SMTP_URL (smtp:// or smtps://, with an optional user and password), SMTP_FROM, ALERT_EMAIL_LANGUAGE. */
function smtpOf(env: NodeJS.ProcessEnv, problems: string[]): SmtpConfig | null {
  const raw = env.SMTP_URL;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
    return null;
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  const language = env.ALERT_EMAIL_LANGUAGE || 'da';
  if (language !== 'da' && language !== 'en') problems.push('ALERT_EMAIL_LANGUAGE must be da or en');
  return {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 587)),
    secure: url.protocol === 'smtps:',
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    from: env.SMTP_FROM || 'Pathway <pathway@localhost>',
    language: language as 'da' | 'en',
  };
}

/**
 * WEBHOOK_ALLOWED_HOSTS, comma-separated: host names (`hooks.example.org`), addresses (`10.1.2.3`,
 * `::1`) and CIDR ranges (`10.1.2.0/24`); no scheme, port or path. A name must be written as a URL
 * would carry it, so that an address in another form (`0x7f000001`) is not mistaken for a name.
 */
function allowedHostsOf(raw: string | undefined, problems: string[]): string[] {
  return hostsOrRangesOf('WEBHOOK_ALLOWED_HOSTS', raw, true, problems);
}

/** Who may read /metrics: the loopback addresses unless METRICS_ALLOWED_ADDRESSES says otherwise. */
export const DEFAULT_METRICS_ALLOWED_ADDRESSES = '127.0.0.0/8,::1';
const MIN_METRICS_TOKEN_LENGTH = 16;

/** METRICS_ALLOWED_ADDRESSES (addresses and CIDR ranges, no names) and METRICS_TOKEN (at least 16 characters). */
function metricsOf(env: NodeJS.ProcessEnv, problems: string[]): MetricsConfig {
  const raw = env.METRICS_ALLOWED_ADDRESSES ?? DEFAULT_METRICS_ALLOWED_ADDRESSES;
  const token = env.METRICS_TOKEN || null;
  if (token !== null && (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token)))
    problems.push(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces`);
  return { allowedAddresses: hostsOrRangesOf('METRICS_ALLOWED_ADDRESSES', raw, false, problems), token };
}

/**
 * A comma-separated list of addresses and CIDR ranges (each as a normalised range; a single address
 * as /32 or /128) and, with `names`, host names (lower case, without a trailing dot).
 */
function hostsOrRangesOf(variable: string, raw: string | undefined, names: boolean, problems: string[]): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.flatMap((entry) => {
    const bare = entry.replace(/^\[(.*)\]$/, '$1');
    const address = bare.split('/')[0];
    if (ipaddr.IPv4.isValidFourPartDecimal(address) || ipaddr.IPv6.isValid(address)) {
      if (!bare.includes('/')) {
        const single = ipaddr.process(bare);
        return [`${single.toString()}/${single.kind() === 'ipv4' ? 32 : 128}`];
      }
      if (ipaddr.isValidCIDR(bare)) {
        const [range, bits] = ipaddr.parseCIDR(bare);
        return [`${range.toString()}/${bits}`];
      }
    } else if (names) {
      const name = entry.toLowerCase().replace(/\.+$/, '');
      if (name && hostnameOf(name) === name) return [name];
    }
    problems.push(
      names
        ? `${variable}: "${entry}" is not a host name, an address or a CIDR range (write addresses in four decimal parts; no scheme, port or path)`
        : `${variable}: "${entry}" is not an address or a CIDR range (write addresses in four decimal parts; no port)`,
    );
    return [];
  });
}

/** Whether `address` (a peer's address, also IPv4-mapped IPv6 or in brackets) is in one of the CIDR `ranges`. */
export function inRanges(address: string | undefined, ranges: readonly string[]): boolean {
  const bare = (address ?? '').replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.process(bare);
  return ranges.some((entry) => {
    if (!entry.includes('/')) return false;
    const [range, bits] = ipaddr.parseCIDR(entry);
    return range.kind() === parsed.kind() && parsed.match(range, bits);
  });
}

/** The host name a URL would carry for this host, or null when it is none. */
function hostnameOf(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

function readFirstLine(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
