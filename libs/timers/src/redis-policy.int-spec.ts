import Redis from 'ioredis';
import { RedisServer } from '@test/support/redis-server';
import { testRedisUrl } from '@test/support/stack';
import { assertNoEviction, clockProblem, EvictionPolicyWatch, REDIS_CLOCK_HZ, redisClockHz } from './redis-policy';

describe('the worker refuses a Redis that may evict', () => {
  let evicting: RedisServer;

  beforeAll(async () => {
    evicting = await RedisServer.start('allkeys-lru');
  });
  afterAll(() => evicting?.stop());

  it('rejects allkeys-lru with a message naming the fix', async () => {
    const redis = new Redis(evicting.url, { maxRetriesPerRequest: 1 });
    await expect(assertNoEviction(redis)).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/);
    redis.disconnect();
  });

  it('accepts the test Redis, started with noeviction', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    redis.disconnect();
  });
});

describe('a Redis whose settings change while the process runs', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await RedisServer.start('noeviction');
  });
  afterAll(() => server?.stop());

  describe('the eviction policy is watched while the process runs', () => {
    it('reports a policy changed at run time at every check, loudly, and clears it when it is right again', async () => {
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      const errors: string[] = [];
      const logs: string[] = [];
      const watch = new EvictionPolicyWatch(redis, { error: (m) => errors.push(m), log: (m) => logs.push(m) });
      try {
        await watch.check();
        expect([watch.policy, watch.problem, errors]).toEqual(['noeviction', null, []]);

        await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
        await watch.check();
        await watch.check();
        expect(watch.policy).toBe('allkeys-lru');
        expect(watch.problem).toMatch(/maxmemory-policy is "allkeys-lru".*noeviction/);
        expect(errors).toHaveLength(2);

        await redis.config('SET', 'maxmemory-policy', 'noeviction');
        await watch.check();
        expect(watch.problem).toBeNull();
        expect(logs).toEqual(['Redis maxmemory-policy is noeviction again']);
      } finally {
        watch.stop();
        redis.disconnect();
      }
    });
  });

  describe("Redis's clock, which decides how late a due job is woken", () => {
    it('is read from INFO; below 100 hz it is a problem naming how late a deadline can be and the fix', async () => {
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        expect(await redisClockHz(redis)).toBe(REDIS_CLOCK_HZ);
        expect(clockProblem(await redisClockHz(redis))).toBeNull();

        await redis.config('SET', 'hz', '10');
        expect(await redisClockHz(redis)).toBe(10);
        expect(clockProblem(await redisClockHz(redis))).toBe(
          'Redis runs its clock at hz 10: a deadline can fire up to 100 ms late. Start Redis with --hz 100, or run CONFIG SET hz 100.',
        );

        await redis.config('SET', 'hz', '500');
        expect(clockProblem(await redisClockHz(redis))).toBeNull();
      } finally {
        redis.disconnect();
      }
    });

    it('says nothing when the clock cannot be read', () => {
      expect(clockProblem(null)).toBeNull();
    });
  });
});
