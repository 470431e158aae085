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
