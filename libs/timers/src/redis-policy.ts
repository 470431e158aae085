import type Redis from 'ioredis';

/** What the eviction policy check writes to. */
export interface PolicyLogger {
  error(message: string): void;
  log(message: string): void;
}

/** Redis's maxmemory-policy, read from INFO (which managed Redis services allow even where CONFIG GET is disabled). */
export async function evictionPolicy(redis: Redis): Promise<string | null> {
  const info = await redis.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? null;
}

const problemOf = (policy: string | null) =>
  `Redis maxmemory-policy is "${policy ?? 'unknown'}"; Pathway's queues need "noeviction" (an evicted job is a lost deadline). ` +
  'Start Redis with --maxmemory-policy noeviction, or run CONFIG SET maxmemory-policy noeviction.';

/**
 * Queues must never lose a job to memory pressure: the worker refuses, at start, a Redis whose
 * maxmemory-policy is anything but noeviction.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const policy = await evictionPolicy(redis);
  if (policy !== 'noeviction') throw new Error(problemOf(policy));
}

/**
 * The clock rate Pathway asks of Redis (`hz`). Redis notices that a blocking command's timeout has
 * passed only at its next clock tick or the next request of any client: a worker waiting for its
 * next delayed job (BullMQ blocks on the queue's marker until the job is due) wakes up to 1/hz late.
 * At Redis's default of 10 a deadline on a quiet Redis fires up to 100 ms late (about 45 ms at the
 * median, as the benchmark's plain BullMQ shows); at 100, up to 10 ms.
 */
export const REDIS_CLOCK_HZ = 100;

/** Redis's clock rate, read from INFO (which managed Redis services allow where CONFIG GET is disabled). */
export async function redisClockHz(redis: Redis): Promise<number | null> {
  const info = await redis.info('server');
  const hz = /^hz:(\d+)/m.exec(info)?.[1];
  return hz === undefined ? null : Number(hz);
}

/** Why this clock rate makes deadlines late, or null when it does not. */
export function clockProblem(hz: number | null): string | null {
  if (hz === null || hz >= REDIS_CLOCK_HZ) return null;
  return (
    `Redis runs its clock at hz ${hz}: a deadline can fire up to ${Math.round(1000 / hz)} ms late. ` +
    `Start Redis with --hz ${REDIS_CLOCK_HZ}, or run CONFIG SET hz ${REDIS_CLOCK_HZ}.`
  );
}

/** How often a running process checks the policy again (someone may change it with CONFIG SET). */
export const EVICTION_CHECK_MS = 60_000;

/**
 * Checks the eviction policy while the process runs: every EVICTION_CHECK_MS and whenever the
 * connection is ready again (a Redis restarted, perhaps with another configuration). A wrong policy
 * is loud: an error line at every check, and `problem` says what is wrong (readiness reports it)
 * until it is right again. While Redis does not answer, the last finding stands.
 */
export class EvictionPolicyWatch {
  /** Why the policy is wrong; null while it is noeviction (or not yet known). */
  problem: string | null = null;
  policy: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly onReady = () => void this.check();

  constructor(
    private readonly redis: Redis,
    private readonly logger: PolicyLogger,
    private readonly intervalMs = EVICTION_CHECK_MS,
  ) {}

  /** Checks now, then every interval and on every reconnect. */
  start(): this {
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
    this.redis.on('ready', this.onReady);
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.redis.removeListener('ready', this.onReady);
  }

  async check(): Promise<void> {
    let policy: string | null;
    try {
      policy = await evictionPolicy(this.redis);
    } catch {
      return; // Redis is away: its outage is reported elsewhere; the next check tries again.
    }
    const wasWrong = this.problem !== null;
    this.policy = policy;
    this.problem = policy === 'noeviction' ? null : problemOf(policy);
    if (this.problem) this.logger.error(this.problem);
    else if (wasWrong) this.logger.log('Redis maxmemory-policy is noeviction again');
  }
}
