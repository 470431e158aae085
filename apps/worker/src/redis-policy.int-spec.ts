import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import Redis from 'ioredis';
import { freePort, testRedisUrl } from '@test/support/stack';
import { assertNoEviction } from './redis-policy';

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => (socket.destroy(), resolve(d.toString().startsWith('+PONG'))));
  });
}

describe('the worker refuses a Redis that may evict', () => {
  let evicting: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    evicting = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline) throw new Error('the evicting redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 20_000);
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
