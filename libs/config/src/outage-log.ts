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
 * Handles a Redis client's errors (an ioredis client without an 'error' listener floods the log with
 * "Unhandled error event" at every reconnect attempt): one line when it loses Redis, one when it is
 * back. Returns the connection, for use in a factory.
 */
export function logConnectionOutages<T extends ReconnectingConnection>(connection: T, outages: OutageLog): T {
  connection.on('error', (error) => outages.down(error.message || String(error)));
  connection.on('ready', () => outages.up());
  return connection;
}
