import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '@app/auth';
import { probe } from '@app/config';
import { DatabaseAvailability, poolUse } from '@app/persistence';
import { EvictionPolicyWatch } from '@app/timers';

export const HEALTH_REDIS = Symbol('HEALTH_REDIS');

/**
 * Liveness and readiness, for load balancers and orchestrators; no token needed.
 * - GET /health/live: 200 while the process serves; nothing else is checked (restarting the API
 *   would not bring a dependency back).
 * - GET /health/ready (and GET /health, for existing users): 200 when PostgreSQL answers, 503 when
 *   it does not (the API can do nothing without it). Redis down, or with an eviction policy other
 *   than noeviction, is reported as `"redis": {"status": "degraded"}` and still 200: commands keep
 *   working without Redis (the outbox holds the timers and alerts), so taking every API out of
 *   rotation for it would turn a survivable fault into an outage.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(HEALTH_REDIS) private readonly redis: Redis,
    @Inject(DatabaseAvailability) private readonly database: DatabaseAvailability,
    @Inject(EvictionPolicyWatch) private readonly policy: EvictionPolicyWatch,
  ) {}

  @Public()
  @Get('live')
  live(): unknown {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.readiness(reply);
  }

  @Public()
  @Get()
  health(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    return this.readiness(reply);
  }

  private async readiness(reply: FastifyReply): Promise<unknown> {
    let failure: unknown = null;
    const [postgres, redis] = await Promise.all([
      probe(() =>
        this.dataSource.query('SELECT 1').catch((error: unknown) => {
          failure = error;
          throw error;
        }),
      ),
      probe(() => this.redis.ping()),
    ]);
    if (postgres.status === 'up') this.database.succeeded();
    else if (failure) this.database.failed(failure);
    const redisOk = redis.status === 'up' && this.policy.problem === null;
    const ok = postgres.status === 'up';
    reply.status(ok ? 200 : 503);
    return {
      status: ok ? (redisOk ? 'ok' : 'degraded') : 'unavailable',
      postgres: { ...postgres, pool: poolUse(this.dataSource) },
      redis: {
        ...redis,
        ...(this.policy.policy && { evictionPolicy: this.policy.policy }),
        ...(!redisOk && { status: 'degraded' }),
        ...(redis.status !== 'up' && { problem: `Redis does not answer: ${redis.error}` }),
        ...(redis.status === 'up' && this.policy.problem && { problem: this.policy.problem }),
      },
    };
  }
}
