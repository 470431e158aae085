import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import Redis from 'ioredis';
import { ALERT_STREAM_CHANNEL } from '@app/alerts';
import type { Principal } from '@app/auth';
import type { AlertView } from '@app/cases';
import { APP_CONFIG, RedisOutages, type AppConfig } from '@app/config';
import { TooManyRequestsError } from '../http/api-error';
import { subjectOf } from '../http/rate-limit';

/** What the delivery worker publishes for every alert that is raised, re-sent, acknowledged or resolved. */
export interface AlertStreamMessage {
  event: 'raised' | 'resent' | 'acknowledged' | 'resolved';
  alert: AlertView;
}

type Listener = (message: AlertStreamMessage) => void;

/** Whether a caller sees an alert: her organisations' duty inboxes, and the cases she coordinates. */
export function concerns(principal: Principal, alert: Pick<AlertView, 'owner' | 'coordinator'>): boolean {
  return (
    principal.organisations.includes(alert.owner) ||
    (principal.role === 'coordinator' && alert.coordinator === principal.sub)
  );
}

/** Every 15 s at most a comment line keeps proxies, and the server's idle timeout, from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * The API instance's end of the live alert stream: one Redis subscription, fanned out to the
 * connected clients. Every instance subscribes, so a client may be connected to any of them.
 * A subject may have STREAMS_PER_SUBJECT streams open on one instance (counted here, per instance:
 * a count shared in Redis would outlive an instance that is killed with its streams open).
 */
@Injectable()
export class AlertStream implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('AlertStream');
  /** Each listener with the function that ends its client's response. */
  private readonly listeners = new Map<Listener, () => void>();
  /** Open streams per subject. */
  private readonly streams = new Map<string, number>();
  private subscriber: Redis | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RedisOutages) private readonly redisOutages: RedisOutages,
  ) {}

  onModuleInit(): void {
    // Reconnects and re-subscribes by itself after a Redis restart.
    this.subscriber = new Redis(this.config.redisUrl, {
      maxRetriesPerRequest: null,
      connectionName: 'pathway-api-alerts',
    });
    // Its errors while Redis is away (one per reconnect attempt) make one line per outage.
    this.redisOutages.watch(this.subscriber);
    this.subscriber.on('message', (_channel, raw: string) => {
      // A message that arrived just after the last client left is not parsed for nobody.
      if (this.listeners.size === 0) return;
      let message: AlertStreamMessage;
      try {
        message = JSON.parse(raw) as AlertStreamMessage;
      } catch {
        return;
      }
      for (const listener of this.listeners.keys()) listener(message);
    });
  }

  /**
   * Subscribed only while a client listens: an instance with no stream open is sent no alerts and
   * parses none (every firing publishes one, to every subscribed instance).
   */
  private subscribed(on: boolean): void {
    if (!this.subscriber) return;
    const change = on
      ? this.subscriber.subscribe(ALERT_STREAM_CHANNEL)
      : this.subscriber.unsubscribe(ALERT_STREAM_CHANNEL);
    void change.catch((error: Error) =>
      this.logger.warn(`cannot ${on ? 'subscribe to' : 'unsubscribe from'} alerts: ${error.message}`),
    );
  }

  /** How often a stream sends a heartbeat: well within the server's idle timeout. */
  get heartbeatMs(): number {
    return Math.min(HEARTBEAT_MS, Math.floor(this.config.http.idleTimeoutMs / 2));
  }

  /**
   * Takes one of the principal's stream slots, or refuses (429 TOO_MANY_STREAMS) when its subject has
   * all of them open; the returned function gives it back (once, however often it is called).
   */
  reserve(principal: Principal): () => void {
    const subject = subjectOf(principal);
    const open = this.streams.get(subject) ?? 0;
    const most = this.config.http.streamsPerSubject;
    if (open >= most)
      throw new TooManyRequestsError(
        'TOO_MANY_STREAMS',
        `you have ${most} live alert streams open, the most allowed: close one (another tab or window) and try again`,
      );
    this.streams.set(subject, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.streams.get(subject) ?? 1) - 1;
      if (left > 0) this.streams.set(subject, left);
      else this.streams.delete(subject);
    };
  }

  /** Calls `listener` for every alert message until the returned function is called; `end` closes the client's stream at shutdown. */
  listen(listener: Listener, end: () => void): () => void {
    this.listeners.set(listener, end);
    if (this.listeners.size === 1) this.subscribed(true);
    return () => {
      if (this.listeners.delete(listener) && this.listeners.size === 0) this.subscribed(false);
    };
  }

  /** Open streams would keep the HTTP server from closing: end them first (clients reconnect elsewhere). */
  beforeApplicationShutdown(): void {
    for (const end of this.listeners.values()) end();
    this.listeners.clear();
    this.subscribed(false);
    this.streams.clear();
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
