import { Logger } from '@nestjs/common';

/** The part of a logger an outage log writes to. */
export interface OutageLogger {
  error(message: string): void;
  log(message: string): void;
}

/**
 * Says once that a dependency went away and once that it came back, however many requests or
 * attempts fail in between: `down(reason)` logs `<what> unavailable: <reason>` when it was up,
 * `up()` logs `<what> available again after N s` when it was down. Durations are measured on the
 * monotonic clock (performance.now), which a moved test clock does not touch.
 */
export class OutageLog {
  private since: number | null = null;

  constructor(
    readonly what: string,
    private readonly logger: OutageLogger = new Logger('Availability'),
  ) {}

  get isDown(): boolean {
    return this.since !== null;
  }

  /** True when this began an outage (it was up). */
  down(reason: string): boolean {
    if (this.since !== null) return false;
    this.since = performance.now();
    this.logger.error(`${this.what} unavailable: ${reason}`);
    return true;
  }

  /** True when this ended an outage (it was down). */
  up(): boolean {
    if (this.since === null) return false;
    const seconds = (performance.now() - this.since) / 1_000;
    this.since = null;
    this.logger.log(`${this.what} available again after ${seconds.toFixed(1)} s`);
    return true;
  }
}

/** What an ioredis client (or anything that reconnects the same way) emits. */
interface ReconnectingConnection {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * The outages of Redis as one process sees them through all its connections: down when the first
 * of them loses Redis, up again when every connection that lost it is ready again.
 */
export class RedisOutages extends OutageLog {
  private readonly lost = new Set<object>();

  constructor(logger?: OutageLogger) {
    super('Redis', logger);
  }

  /**
   * Handles a Redis client's errors (an ioredis client without an 'error' listener floods the log
   * with "Unhandled error event" at every reconnect attempt): its loss and return count here.
   * Returns the connection, for use in a factory.
   */
  watch<T extends ReconnectingConnection>(connection: T): T {
    connection.on('error', (error) => {
      this.lost.add(connection);
      this.down(error.message || String(error));
    });
    connection.on('ready', () => {
      if (!this.lost.delete(connection)) return;
      if (this.lost.size === 0) this.up();
    });
    return connection;
  }
}

/** What a health check found of one dependency. */
export interface Probe {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

/** Runs a health check with a time limit: up when it answers in time, down (with why) otherwise. */
export async function probe(check: () => Promise<unknown>, timeoutMs = 2_000): Promise<Probe> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message || 'unreachable' : 'unreachable',
    };
  } finally {
    clearTimeout(timer);
  }
}
