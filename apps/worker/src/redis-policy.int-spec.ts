import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort, testRedisUrl } from '@test/support/stack';
import { assertNoEviction } from './redis-policy';

describe('the worker refuses a Redis that may evict', () => {
  let evicting: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    evicting = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 50 });
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
  });
  afterAll(() => evicting?.kill('SIGKILL'));

  it('rejects allkeys-lru with a message naming the fix', async () => {
    const redis = new Redis({ port, maxRetriesPerRequest: 1 });
    await expect(assertNoEviction(redis)).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/);
    redis.disconnect();
  });

  it('accepts the test Redis, started with noeviction', async () => {
    const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    redis.disconnect();
  });
});
