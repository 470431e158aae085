import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import type { Principal } from '@app/auth';
import { APP_CONFIG, type AppConfig, type HttpConfig } from '@app/config';
import { TooManyRequestsError } from './api-error';

/** The Redis connection the counters live in (shared by every API instance). */
export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/** One counter a request counts against, and how many requests its window allows. */
export interface Counter {
  key: string;
  limit: number;
  /** Who is over the limit, for the message: "your account", "your address". */
  whose: string;
}

/**
 * Counts one request against each counter (KEYS) in a fixed window of ARGV[1] ms that starts at the
 * counter's first request; ARGV[2…] are their limits. Returns { ms until the window of the counter
 * over its limit that frees last ends, its 1-based index }, or { 0, 0 } when none is over.
 */
const HIT_SCRIPT = `
local wait, over = 0, 0
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  if count > tonumber(ARGV[i + 1]) and math.max(ttl, 1) > wait then
    wait, over = math.max(ttl, 1), i
  end
end
return { wait, over }
`;

type LimitingRedis = Redis & {
  pathwayRateHit(numKeys: number, ...args: (string | number)[]): Promise<[number, number]>;
};

/** What a counter's key is made of, hashed: no token subject or address is kept in Redis as it is. */
const keyOf = (kind: string, value: string) =>
  `pathway:rate:${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 32)}`;

/** One caller of the API: the verified token's subject with its organisations (the same sub elsewhere is someone else). */
export const subjectOf = (principal: Principal): string =>
  `${principal.sub}\n${[...principal.organisations].sort().join(' ')}`;

/**
 * The abuse limits: request counters in Redis, so that every API instance counts against the same
 * ones. Fails open: while Redis does not answer, requests are let through (the service keeps
 * working; the limits come back with Redis), and that is logged once per outage.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimit');
  private readonly limits: HttpConfig;
  private failing = false;

  constructor(
    @Inject(RATE_LIMIT_REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limits = config.http;
    redis.defineCommand('pathwayRateHit', { lua: HIT_SCRIPT });
  }

  subject(principal: Principal): Counter {
    return {
      key: keyOf('subject', subjectOf(principal)),
      limit: this.limits.rateLimitPerSubject,
      whose: 'your account',
    };
  }

  address(ip: string): Counter {
    return { key: keyOf('address', ip), limit: this.limits.rateLimitPerAddress, whose: 'your address' };
  }

  signIn(ip: string): Counter {
    return { key: keyOf('sign-in', ip), limit: this.limits.rateLimitSignIn, whose: 'sign-ins from your address' };
  }

  /** Counts one request against each counter with a limit; 429 RATE_LIMITED with Retry-After when one is over. */
  async hit(counters: Counter[]): Promise<void> {
    const limited = counters.filter((c) => c.limit > 0);
    if (limited.length === 0) return;
    let wait: number;
    let over: number;
    try {
      [wait, over] = await (this.redis as LimitingRedis).pathwayRateHit(
        limited.length,
        ...limited.map((c) => c.key),
        this.limits.rateLimitWindowMs,
        ...limited.map((c) => c.limit),
      );
    } catch (error) {
      if (!this.failing)
        this.logger.warn(
          `the abuse limits are off while Redis does not answer (${error instanceof Error ? error.message : String(error)}): requests are let through`,
        );
      this.failing = true;
      return;
    }
    if (this.failing) this.logger.warn('Redis answers again: the abuse limits are back');
    this.failing = false;
    if (over === 0) return;
    const seconds = Math.ceil(wait / 1000);
    throw new TooManyRequestsError(
      'RATE_LIMITED',
      `too many requests for ${limited[over - 1].whose}: try again in ${seconds} s`,
      seconds,
    );
  }
}

/** The development sign-in's route: stricter, per address (it needs no token). */
const SIGN_IN_ROUTE = '/v1/sign-in/local';

/**
 * Counts every /v1 request per client address, and the development sign-in's per address on its
 * own, before anything else is done with it (no token is verified for a caller over the limit).
 * /health, /docs and the dashboard's files are not counted.
 */
export function limitByAddress(app: NestFastifyApplication): void {
  const limiter = app.get(RateLimiter);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request: FastifyRequest) => {
      if (!/^\/v1(?:[/?]|$)/.test(request.url)) return;
      const counters = [limiter.address(request.ip)];
      if (request.method === 'POST' && request.routeOptions.url === SIGN_IN_ROUTE)
        counters.push(limiter.signIn(request.ip));
      await limiter.hit(counters);
    });
}

/** Counts every authenticated request per subject. Runs after AuthGuard (registered after it), which sets the principal. */
@Injectable()
export class SubjectRateLimitGuard implements CanActivate {
  constructor(@Inject(RateLimiter) private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (principal) await this.limiter.hit([this.limiter.subject(principal)]);
    return true;
  }
}
