import Redis from 'ioredis';
import { RedisServer } from '@test/support/redis-server';
import { testRedisUrl } from '@test/support/stack';
import { assertNoEviction } from './redis-policy';

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
