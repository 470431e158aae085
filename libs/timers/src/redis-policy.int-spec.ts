import Redis from 'ioredis';
import { RedisServer } from '@test/support/redis-server';
import { testRedisUrl } from '@test/support/stack';
import { assertNoEviction, EvictionPolicyWatch } from './redis-policy';

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

describe('the eviction policy is watched while the process runs', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await RedisServer.start('noeviction');
  });
  afterAll(() => server?.stop());

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
