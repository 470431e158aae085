import { metrics } from './metrics';
import { PROBE_TIMEOUT_MS, registerProbe, renderMetrics } from './scrape';

const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start)) ?? null;

describe('renderMetrics', () => {
  it('answers within the probe timeout when a probe hangs or fails, without their gauges, and marks them down', async () => {
    const removers = [
      registerProbe('hangs', [metrics.outboxRows], () => {
        metrics.outboxRows.set(7);
        return new Promise<void>(() => undefined);
      }),
      registerProbe('fails', [metrics.queueJobs, metrics.redisNoEviction], async () => {
        metrics.queueJobs.set({ queue: 'deadlines', state: 'delayed' }, 3);
        metrics.redisNoEviction.set(1);
        throw new Error('ECONNREFUSED');
      }),
      registerProbe('answers', [metrics.outboxOldestAge], async () => {
        metrics.outboxOldestAge.set(12);
      }),
    ];
    try {
      const started = performance.now();
      const { body, contentType } = await renderMetrics();
      expect(performance.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 250);
      expect(contentType).toMatch(/^text\/plain/);
      expect(line(body, 'pathway_scrape_probe_up{probe="hangs"}')).toBe('pathway_scrape_probe_up{probe="hangs"} 0');
      expect(line(body, 'pathway_scrape_probe_up{probe="fails"}')).toBe('pathway_scrape_probe_up{probe="fails"} 0');
      expect(line(body, 'pathway_scrape_probe_up{probe="answers"}')).toBe('pathway_scrape_probe_up{probe="answers"} 1');
      // Absent, not 0: a 0 would read as an empty outbox or a Redis that may evict.
      expect(line(body, 'pathway_outbox_rows ')).toBeNull();
      expect(line(body, 'pathway_redis_noeviction ')).toBeNull();
      expect(line(body, 'pathway_queue_jobs{')).toBeNull();
      expect(line(body, 'pathway_outbox_oldest_age_seconds ')).toBe('pathway_outbox_oldest_age_seconds 12');
    } finally {
      for (const remove of removers) remove();
    }
  });

  it('runs a probe no more once it is removed', async () => {
    const probe = jest.fn(async () => undefined);
    registerProbe('gone', [], probe)();
    await renderMetrics();
    expect(probe).not.toHaveBeenCalled();
  });
});
