import fs from 'node:fs';
import path from 'node:path';
import type { DisclosurePolicy, Policy } from '@app/pathway';
import { loadDisclosurePolicy, loadPolicy } from './policy-file';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export type AuthConfig =
  | { mode: 'local'; keyDir: string; issuer: string; audience: string }
  | { mode: 'jwks'; jwksUrl: string; issuer: string | undefined; audience: string | undefined };

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
  /** 32-byte AES-256-GCM key for CPR numbers at rest. */
  cprKey: Buffer;
  runMigrations: boolean;
  dbPoolSize: number;
  logLevels: LogLevel[];
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
  worker: WorkerConfig;
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
}

/** A bad or missing variable: the message names every one of them. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

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

  let cprKey = Buffer.alloc(0);
  const rawKey = env.CPR_ENCRYPTION_KEY;
  if (!rawKey) problems.push('CPR_ENCRYPTION_KEY is required (32 bytes, base64 or 64 hex digits)');
  else {
    cprKey = /^[0-9a-fA-F]{64}$/.test(rawKey) ? Buffer.from(rawKey, 'hex') : Buffer.from(rawKey, 'base64');
    if (cprKey.length !== 32) problems.push('CPR_ENCRYPTION_KEY must be 32 bytes, as base64 or 64 hex digits');
  }

  let auth: AuthConfig;
  if (env.JWT_JWKS_URL) {
    if (!/^https?:\/\//.test(env.JWT_JWKS_URL)) problems.push('JWT_JWKS_URL must be an http(s) URL');
    auth = {
      mode: 'jwks',
      jwksUrl: env.JWT_JWKS_URL,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
    };
  } else {
    auth = {
      mode: 'local',
      keyDir: path.join(dataDir, 'auth'),
      issuer: env.JWT_ISSUER || 'pathway-local',
      audience: env.JWT_AUDIENCE || 'pathway',
    };
  }

  const signIn = signInOf(env, auth, bool('DEV_SIGN_IN', false), problems);

  const logLevel = (env.LOG_LEVEL || 'log') as LogLevel;
  if (!LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);

  const policy = loadPolicy(env.PATHWAY_POLICY_FILE || undefined, problems);
  const disclosure = loadDisclosurePolicy(env.PATHWAY_DISCLOSURE_FILE || undefined, problems);
  const clockFile = env.PATHWAY_CLOCK_FILE || undefined;
  if (clockFile && !Number.isFinite(Date.parse(readFirstLine(clockFile))))
    problems.push(`PATHWAY_CLOCK_FILE ${clockFile}: must hold an ISO 8601 instant`);

  const config: AppConfig = {
    databaseUrl,
    redisUrl,
    host: env.HOST || '0.0.0.0',
    port: integer('PORT', 3000, 0, 65535),
    dataDir,
    auth,
    signIn,
    cprKey,
    runMigrations: bool('RUN_MIGRATIONS', true),
    dbPoolSize: integer('DB_POOL_SIZE', 20, 1, 500),
    logLevels: LEVELS.slice(0, LEVELS.indexOf(logLevel) + 1),
    policy: policy as Policy,
    disclosure: disclosure as DisclosurePolicy,
    clockFile,
    timerHorizonMs: integer('TIMER_HORIZON_MS', 600_000, 1_000, 10 * 366 * 86_400_000),
    publicBaseUrl: (env.PUBLIC_BASE_URL || 'http://localhost:3000').replace(/\/+$/, ''),
    smtp: smtpOf(env, problems),
    worker: {
      concurrency: integer('WORKER_CONCURRENCY', 32, 1, 1000),
      reconcileIntervalMs: integer('RECONCILE_INTERVAL_MS', 30_000, 200, 3_600_000),
      relayPollMs: integer('RELAY_POLL_MS', 500, 10, 1000),
      lockDurationMs: integer('JOB_LOCK_MS', 30_000, 1000, 600_000),
      testRelayHoldMs: integer('TEST_RELAY_HOLD_MS', 0, 0, 600_000),
      testFireHoldMs: integer('TEST_FIRE_HOLD_MS', 0, 0, 600_000),
      deliveryAttempts: integer('DELIVERY_ATTEMPTS', 12, 1, 100),
      deliveryBackoffMs: integer('DELIVERY_BACKOFF_MS', 2_000, 10, 3_600_000),
    },
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

function readFirstLine(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
