import { OutageLog, type OutageLogger } from '@app/config';

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres' own messages for a connection that died, or one the pool could not get in time. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|Connection ended|not queryable/i;

/**
 * Whether an error says that PostgreSQL cannot be reached now (not that a statement is wrong):
 * connection refused or reset, a connection that ended, no connection from the pool in time,
 * SQLSTATE class 08 (connection exception), 57P01–57P03 (shut down, crashed, starting) and 53300
 * (too many connections). Looks through TypeORM's QueryFailedError (driverError), `cause` and an
 * AggregateError's errors.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  const nested = [e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => inner !== error && isDatabaseUnavailable(inner, depth + 1));
}

const reasonOf = (error: unknown) =>
  error instanceof Error
    ? error.message || (error as { code?: string }).code || error.name
    : String(error || 'unreachable');

export interface AvailabilityOptions {
  /** The first wait between probes while down (doubles up to maxBackoffMs). */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  logger?: OutageLogger;
}

/**
 * Whether PostgreSQL answers, shared by everything in a process that uses it: `failed(error)` for an
 * error that says it is unreachable (anything else is not an outage and is left to the caller) marks
 * it down, logs `PostgreSQL unavailable: <reason>` once, and probes with `SELECT 1` with backoff
 * (250 ms doubling to 5 s) until it answers; then `PostgreSQL available again after N s` is logged
 * once and whoever waits in `whenAvailable()` goes on. `succeeded()` says it answered (any query).
 */
export class DatabaseAvailability {
  private readonly outages: OutageLog;
  private probe: (() => Promise<unknown>) | null = null;
  private probing: NodeJS.Timeout | null = null;
  private backoffMs: number;
  private closed = false;
  private waiters: (() => void)[] = [];
  private readonly recoveryListeners: (() => void)[] = [];
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(options: AvailabilityOptions = {}) {
    this.firstBackoffMs = options.firstBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.backoffMs = this.firstBackoffMs;
    this.outages = new OutageLog('PostgreSQL', options.logger);
  }

  /** How to ask PostgreSQL whether it answers (e.g. the data source's `SELECT 1`). */
  probeWith(probe: () => Promise<unknown>): this {
    this.probe = probe;
    return this;
  }

  get available(): boolean {
    return !this.outages.isDown;
  }

  /**
   * Reports an error. Returns true when it means PostgreSQL is unreachable (the caller answers or
   * waits accordingly and logs nothing itself), false for any other error.
   */
  failed(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.outages.down(reasonOf(error))) this.backoffMs = this.firstBackoffMs;
    this.scheduleProbe();
    return true;
  }

  /** PostgreSQL answered. */
  succeeded(): void {
    if (this.probing) clearTimeout(this.probing);
    this.probing = null;
    if (!this.outages.up()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of [...waiters, ...this.recoveryListeners]) wake();
  }

  /** Calls `listener` whenever PostgreSQL answers again after an outage. */
  onRecovery(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  /** Resolves at once while available, else when PostgreSQL answers again or this is closed. */
  whenAvailable(): Promise<void> {
    if (this.available || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops probing and lets every waiter go (at shutdown: nothing may wait for the database then). */
  close(): void {
    this.closed = true;
    if (this.probing) clearTimeout(this.probing);
    this.probing = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private scheduleProbe(): void {
    if (this.probing || this.closed || !this.probe || this.available) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.maxBackoffMs, this.backoffMs * 2);
    this.probing = setTimeout(() => void this.runProbe(), wait);
    this.probing.unref();
  }

  private async runProbe(): Promise<void> {
    try {
      await this.probe?.();
      this.probing = null;
      this.succeeded();
    } catch {
      this.probing = null;
      this.scheduleProbe();
    }
  }
}
