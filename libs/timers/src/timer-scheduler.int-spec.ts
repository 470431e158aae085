import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { testRedisUrl } from '@test/support/stack';
import type { DeadlineJobData } from './deadline-jobs';
import { BullMqTimerScheduler } from './timer-scheduler';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const HOUR = 3_600_000;

/** `count` timers of distinct cases, all due an hour from NOW. */
function timersDueInAnHour(count: number) {
  const fireAt = new Date(NOW.getTime() + HOUR).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    jobId: `timer-${i}`,
    caseId: randomUUID(),
    timer: `m${i}.breach.g1`,
    fireAt,
  }));
}

const schedulerOn = (queue: Queue<DeadlineJobData>, redis: Redis) =>
  new BullMqTimerScheduler(queue, redis, { now: () => NOW });

describe('the timer scheduler', () => {
  let redis: Redis;
  let queue: Queue<DeadlineJobData>;

  beforeAll(() => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    queue = new Queue<DeadlineJobData>(`test-${randomUUID()}`, { connection: { url: testRedisUrl() } });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('makes every job of a batch fall due at its timer, however long the batch takes to build', async () => {
    // A delayed job falls due at its timestamp plus its delay. 5,000 jobs take BullMQ milliseconds to
    // build: a timestamp taken per job would make the last of them fall due that much later.
    const timers = timersDueInAnHour(5_000);
    const before = Date.now();
    await schedulerOn(queue, redis).schedule(timers);
    const after = Date.now();

    const jobs = await queue.getDelayed(0, -1);
    expect(jobs).toHaveLength(5_000);
    expect(new Set(jobs.map((j) => j.delay))).toEqual(new Set([HOUR]));
    // One instant for the whole batch, read when it was scheduled.
    const timestamps = new Set(jobs.map((j) => j.timestamp));
    expect(timestamps.size).toBe(1);
    const [timestamp] = timestamps;
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(after);
  });

  it('names exactly the timers without a job, across chunks counted whole and chunks counted short', async () => {
    const own = new Queue<DeadlineJobData>(`test-${randomUUID()}`, { connection: { url: testRedisUrl() } });
    try {
      const timers = timersDueInAnHour(1_600);
      const scheduler = schedulerOn(own, redis);
      await scheduler.schedule(timers);
      expect(await scheduler.missing(timers.map((t) => t.jobId))).toEqual([]);

      // Chunks of 500: one gone from each of the first two and the last, none from the third (counted
      // whole); and two never scheduled.
      const gone = ['timer-0', 'timer-499', 'timer-1599'];
      for (const id of gone) await own.remove(id);
      const asked = ['never-1', ...timers.map((t) => t.jobId), 'never-2'];
      expect(await scheduler.missing(asked)).toEqual(['never-1', ...gone, 'never-2']);
      expect(await scheduler.missing([])).toEqual([]);
    } finally {
      await own.obliterate({ force: true });
      await own.close();
    }
  });
});
