import path from 'node:path';
import { register, send } from '@test/support/cases';
import { freePort } from '@test/support/ports';
import { RedisServer } from '@test/support/redis-server';
import { Stack, type Client } from '@test/support/stack';
import { waitFor } from '@test/support/time';

const SECONDS_POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');
const TOKEN = 'metrics-token-for-the-system-test';
/** An address no test client has (TEST-NET-1): only the token opens /metrics where this is the allowed one. */
const ELSEWHERE = '192.0.2.1/32';

/** The value of the sample `name{labels}` (labels in any order, all of them given), or null when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const has = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => has[k] === v)) return Number(m[3]);
  }
  return null;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text() };
}

/** Prometheus metrics on the API and the worker: what they show after a command and a fired deadline, and who may read them. */
describe('/metrics', () => {
  let stack: Stack;
  let gp: Client;
  let workerUrl: string;
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
    stack = await Stack.start({
      redisUrl: redis.url,
      env: { PATHWAY_POLICY_FILE: SECONDS_POLICY, RECONCILE_INTERVAL_MS: '2000' },
    });
    // The worker opens its metrics to the token only, so the test reads them with it and is refused without.
    const port = await freePort();
    stack.startWorker({ WORKER_PORT: String(port), METRICS_ALLOWED_ADDRESSES: ELSEWHERE, METRICS_TOKEN: TOKEN });
    workerUrl = `http://127.0.0.1:${port}/metrics`;
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('shows on the API requests by route template, commands by type and outcome, outbox and queue gauges; no case id', async () => {
    const id = await register(gp);
    await send(gp, id, 'notify-municipality');
    // A referrer may not close a case: a refusal with its code.
    const refused = await gp.post(`/v1/cases/${id}/close-case`, { reason: 'completed' });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    const { status, text } = await scrape(`${stack.baseUrl}/metrics`);
    expect(status).toBe(200);
    expect(text).not.toContain(id);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);

    expect(
      sample(text, 'pathway_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/cases',
        status: '201',
      }),
    ).toBe(1);
    expect(
      sample(text, 'pathway_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/v1/cases/:id/:command',
        status: '200',
      }),
    ).toBe(1);
    expect(sample(text, 'pathway_commands_total', { type: 'register-concern', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'pathway_commands_total', { type: 'notify-municipality', outcome: 'accepted' })).toBe(1);
    expect(
      sample(text, 'pathway_commands_total', { type: 'close-case', outcome: 'refused', code: refused.body.code }),
    ).toBe(1);
    expect(sample(text, 'pathway_outbox_rows')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'pathway_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'pathway_queue_jobs', { queue: 'deadlines', state: 'delayed' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'pathway_timers_pending', { store: 'redis' })).not.toBeNull();
    expect(sample(text, 'pathway_timers_pending', { store: 'postgres_beyond_horizon' })).not.toBeNull();
    expect(sample(text, 'pathway_redis_noeviction')).toBe(1);
    expect(sample(text, 'pathway_pg_pool_clients', { state: 'total' })).toBeGreaterThan(0);
    expect(sample(text, 'pathway_scrape_probe_up', { probe: 'outbox' })).toBe(1);
    expect(sample(text, 'pathway_nodejs_eventloop_lag_seconds')).not.toBeNull();
  });

  it('shows on the worker the firing lateness, the rows relayed and the ladder steps fired, once the first step is due', async () => {
    await register(gp);
    const headers = { authorization: `Bearer ${TOKEN}` };
    const text = await waitFor(
      () => 'the worker to report a fired ladder step, the relayed outbox rows and a reconciler pass',
      async () => {
        const res = await scrape(workerUrl, headers).catch(() => null);
        // The start-up reconcile may put the timer into Redis before the relay moves its outbox row:
        // the step can fire before the row is counted as relayed. Both happen; wait for both. On a
        // busy machine the step may also fire before a reconciler pass has finished: wait for one.
        return res?.status === 200 &&
          (sample(res.text, 'pathway_ladder_steps_total', { level: 'warning' }) ?? 0) > 0 &&
          (sample(res.text, 'pathway_outbox_relayed_rows_total', { topic: 'deadlines' }) ?? 0) > 0 &&
          (sample(res.text, 'pathway_reconciler_runs_total', { outcome: 'ok' }) ?? 0) > 0
          ? res.text
          : null;
      },
    );
    expect(sample(text, 'pathway_timer_firing_lateness_seconds_count')).toBeGreaterThan(0);
    // Buckets go up to a minute and beyond: a step fired within a minute is in the 60 s bucket.
    expect(sample(text, 'pathway_timer_firing_lateness_seconds_bucket', { le: '60' })).toBeGreaterThan(0);
    expect(sample(text, 'pathway_timer_jobs_total', { outcome: 'fired' })).toBeGreaterThan(0);
    expect(sample(text, 'pathway_outbox_relayed_rows_total', { topic: 'deadlines' })).toBeGreaterThan(0);
    expect(sample(text, 'pathway_outbox_relay_lag_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'pathway_reconciler_runs_total', { outcome: 'ok' })).toBeGreaterThan(0);
    expect(sample(text, 'pathway_alerts_raised_total')).not.toBeNull();
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  });

  it('answers 404 to an address not allowed, without the token or with another one; the token opens it', async () => {
    const workerDenied = await scrape(workerUrl);
    expect(workerDenied.status).toBe(404);
    expect(workerDenied.text).toBe((await scrape(workerUrl.replace(/metrics$/, 'no-such-route'))).text);
    expect((await scrape(workerUrl, { authorization: 'Bearer not-the-metrics-token' })).status).toBe(404);
    expect((await scrape(workerUrl, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);

    const { baseUrl } = await stack.startApi({ METRICS_ALLOWED_ADDRESSES: ELSEWHERE, METRICS_TOKEN: TOKEN });
    const denied = await scrape(`${baseUrl}/metrics`);
    const unknownRoute = await scrape(`${baseUrl}/no-such-route`);
    expect(denied.status).toBe(404);
    // Not advertised: the answer of a route that does not exist.
    expect(JSON.parse(denied.text)).toEqual({ ...JSON.parse(unknownRoute.text), message: expect.any(String) });
    expect((await scrape(`${baseUrl}/metrics`, { authorization: `Bearer ${TOKEN}x` })).status).toBe(404);
    const opened = await scrape(`${baseUrl}/metrics`, { authorization: `Bearer ${TOKEN}` });
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('pathway_http_request_duration_seconds_bucket');
  });

  it('still answers while Redis is down, within a second, with what PostgreSQL knows and the failed probes marked', async () => {
    // The API alone: how a worker lives through a Redis outage is the chaos tests' matter.
    await Promise.all(stack.workers.map((worker) => worker.stop()));
    await redis.kill();
    try {
      const started = performance.now();
      const { status, text } = await scrape(`${stack.baseUrl}/metrics`);
      const ms = performance.now() - started;
      expect(status).toBe(200);
      expect(ms).toBeLessThan(1_000 * Number(process.env.PATHWAY_TEST_TIME_FACTOR ?? 1) + 500);
      expect(sample(text, 'pathway_scrape_probe_up', { probe: 'queues' })).toBe(0);
      expect(sample(text, 'pathway_scrape_probe_up', { probe: 'redis_policy' })).toBe(0);
      expect(sample(text, 'pathway_queue_jobs', { queue: 'deadlines', state: 'delayed' })).toBeNull();
      expect(sample(text, 'pathway_redis_noeviction')).toBeNull();
      expect(sample(text, 'pathway_scrape_probe_up', { probe: 'outbox' })).toBe(1);
      expect(sample(text, 'pathway_outbox_rows')).not.toBeNull();
    } finally {
      await redis.restart();
    }
  });
});
