import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { register, send } from '@test/support/cases';
import {
  HORIZON_MS,
  lateness,
  query,
  RECONCILE_INTERVAL_MS,
  report,
  settle,
  started,
  STEPS_PER_CASE,
  TIMERS_STACK_ENV as STACK_ENV,
  unrelayed,
  WORKER_ENV,
} from '@test/support/durable-timers';
import { Random } from '@test/support/random';
import { RedisServer } from '@test/support/redis-server';
import { Stack, type Client } from '@test/support/stack';
import { scaled, sleep, waitFor } from '@test/support/time';

/**
 * Chaos tests of the durable timers: real processes (API, workers, redis-server) killed with
 * SIGKILL, Redis restarted from its append-only file or flushed, jobs published twice and
 * processed by two workers at once. Every deadline must still fire, and fire once: the ladder
 * ledger counts, from PostgreSQL alone, every ladder step that fell due while its milestone was
 * open (`expected`), those with a fired event (`fired`), those without (`lost`) and the events
 * beyond one per step (`duplicated`).
 *
 * Each test starts its own stack and its own redis-server (never the shared test Redis: the
 * happy-path timers test runs its workers on that one, on the same queue name). The periodic
 * reconcile is ten minutes (test/support/durable-timers.ts), so that a pass proves the mechanism
 * under test (the relay's redelivery, BullMQ's stalled-job takeover, the AOF, the sentinel) and
 * not the safety net. The seconds policy: every step of a GP registration due within ~12 s.
 */
const QUEUE = 'deadlines';

/** Jobs of the deadlines queue present in Redis (their hash keys), by job id. */
async function jobIds(redis: Redis, pattern = 't.*'): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `bull:${QUEUE}:${pattern}`, 'COUNT', 1_000);
    cursor = next;
    for (const key of keys) {
      const id = key.slice(`bull:${QUEUE}:`.length);
      if (!id.includes(':')) ids.add(id); // t.<case>.<timer>, not t.<case>.<timer>:lock
    }
  } while (cursor !== '0');
  return ids;
}

describe('chaos: durable timers survive crashes, restarts and races', () => {
  let redis: RedisServer | undefined;
  let stack: Stack | undefined;
  let client: Redis | undefined;
  let gp: Client;
  let t0: number;

  async function up(options: { workers?: number; env?: Record<string, string> } = {}): Promise<Stack> {
    t0 = Date.now();
    redis = await RedisServer.start();
    client = new Redis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    client.on('error', () => undefined); // the tests kill this Redis; the client reconnects
    stack = await Stack.start({ redisUrl: redis.url, env: { ...STACK_ENV, ...options.env } });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    for (let i = 0; i < (options.workers ?? 0); i++) await started(stack.startWorker(WORKER_ENV));
    return stack;
  }

  afterEach(async () => {
    client?.disconnect();
    if (stack) {
      // A graceful stop waits for Redis and the jobs in hand; a test that broke things gets 5 s, then kill -9.
      await Promise.all(
        stack.workers.map(async (w) => {
          const force = setTimeout(() => w.child.kill('SIGKILL'), 5_000);
          await w.stop();
          clearTimeout(force);
        }),
      );
      await stack.stop();
    }
    await redis?.stop();
    [stack, redis, client] = [undefined, undefined, undefined];
  });

  it('a relay killed before it relays (no worker runs while the commands commit): the next worker schedules the deadlines', async () => {
    const s = await up();
    const first = await started(s.startWorker(WORKER_ENV));
    await first.stop('SIGKILL');

    const ids = await Promise.all(Array.from({ length: 10 }, () => register(gp)));
    expect(await unrelayed(s.db.url, 0)).toBe(10 * 3); // the 3 ladder timers per case; the rest are beyond the horizon
    expect((await jobIds(client!)).size).toBe(0);

    await sleep(1_000);
    const second = await started(s.startWorker(WORKER_ENV));
    const ledger = await settle(s.db.url);
    const left = await unrelayed(s.db.url);
    await report(
      'relay killed, none running',
      s,
      ledger,
      t0,
      `${/start: .*/.exec(second.logs)?.[0] ?? 'no start reconcile logged'}`,
    );
    expect(ids).toHaveLength(10);
    expect(ledger.expected).toBe(10 * STEPS_PER_CASE);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
    expect(left).toBe(0);
  });

  it('a relay killed after publishing to Redis and before deleting the relayed rows: the next worker relays them again, once', async () => {
    const s = await up();
    const holding = await started(s.startWorker({ ...WORKER_ENV, TEST_RELAY_HOLD_MS: '1500' }));
    // The first case's rows make the relay publish and hold for 1.5 s; the others commit meanwhile
    // and go out together in its next batch, during whose hold it is killed. 1.5 s, so that no
    // job is due yet at the kill: a job the killed worker had taken would wait for its lock to
    // expire (JOB_LOCK_MS, 30 s by default), which is the next test's subject, not this one's.
    const trigger = await register(gp);
    await waitFor(
      'the first batch in Redis',
      async () => [...(await jobIds(client!))].some((id) => id.includes(trigger)),
      { everyMs: 50 },
    );
    const ids = await Promise.all(Array.from({ length: 10 }, () => register(gp)));
    const all = [trigger, ...ids];
    await waitFor(
      'the second batch in Redis',
      async () => {
        const published = [...(await jobIds(client!))];
        return ids.every((id) => published.filter((j) => j.includes(id)).length === 3);
      },
      { everyMs: 20 },
    );
    await holding.stop('SIGKILL');
    expect(await client!.llen(`bull:${QUEUE}:active`)).toBe(0);

    // Published but not deleted: the killed transaction's rows are still in the outbox (their lock went with the connection).
    const [held] = await query<{ n: string }>(
      s.db.url,
      `SELECT count(*) AS n FROM outbox WHERE payload->>'caseId' = ANY($1)`,
      [ids],
    );
    expect(Number(held.n)).toBe(10 * 3);

    const next = await started(s.startWorker(WORKER_ENV));
    expect(await unrelayed(s.db.url)).toBe(0);
    const ledger = await settle(s.db.url);
    await report('relay killed mid-relay', s, ledger, t0, /start: .*/.exec(next.logs)?.[0] ?? '');
    expect(ledger.expected).toBe(all.length * STEPS_PER_CASE);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
  });

  it('a worker killed while it processes deadline jobs: another takes the stalled jobs over and each step fires once', async () => {
    const lock = { JOB_LOCK_MS: '2000' };
    const s = await up();
    const stuck = await started(s.startWorker({ ...WORKER_ENV, ...lock, TEST_FIRE_HOLD_MS: '20000' }));
    await started(s.startWorker({ ...WORKER_ENV, ...lock }));
    await Promise.all(Array.from({ length: 10 }, () => register(gp)));

    // The warnings fall due after 3 s; the stuck worker holds every job it takes.
    const active = await waitFor(
      'jobs held by the stuck worker',
      async () => {
        const list = await client!.lrange(`bull:${QUEUE}:active`, 0, -1);
        return list.length >= 3 && list;
      },
      { everyMs: 50 },
    );
    await sleep(300);
    const held = await client!.lrange(`bull:${QUEUE}:active`, 0, -1);
    await stuck.stop('SIGKILL');

    const ledger = await settle(s.db.url);
    await report(
      'worker killed mid-job',
      s,
      ledger,
      t0,
      `jobs held at the kill: ${held.length} (first seen ${active.length})`,
    );
    expect(held.length).toBeGreaterThan(0);
    expect(ledger.expected).toBe(10 * STEPS_PER_CASE);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
    // Every job the killed worker held was taken over: its step fired (by the other worker).
    const fired = await query<{ id: string }>(
      s.db.url,
      `SELECT DISTINCT causation_id AS id FROM case_events WHERE type IN ('MilestoneWarned', 'MilestoneBreached', 'MilestoneEscalated')`,
    );
    const causes = new Set(fired.map((r) => r.id));
    expect(held.filter((id) => !causes.has(id))).toEqual([]);
  });

  it('redis-server killed with SIGKILL and restarted under load: every deadline fires, the workers resume by themselves', async () => {
    const s = await up({ workers: 2 });
    const workers = [...s.workers];
    const pids = workers.map((w) => w.child.pid);
    const cases: string[] = [];
    /** Readiness while Redis is down and after: status and Redis's state. */
    const health: string[] = [];
    const ready = async () => {
      const res = await fetch(`${s.baseUrl}/health/ready`);
      return `${res.status} ${((await res.json()) as { redis: { status: string } }).redis.status}`;
    };
    const outage = (async () => {
      await sleep(1_500);
      await redis!.kill();
      const down = Date.now();
      await sleep(500);
      health.push(await ready());
      await sleep(1_500);
      await redis!.restart();
      return Date.now() - down;
    })();
    // 60 registrations over ~4 s, through the outage: commands need PostgreSQL only.
    for (let batch = 0; batch < 12; batch++) {
      cases.push(...(await Promise.all(Array.from({ length: 5 }, () => register(gp)))));
      await sleep(330);
    }
    const downMs = await outage;
    await s.waitForHealth();
    // The API's readiness waits for nothing but PostgreSQL: Redis comes back to 'up' by itself.
    await waitFor('Redis up again in readiness', async () => (await ready()) === '200 up');
    health.push(await ready());

    const ledger = await settle(s.db.url);
    const reconciles = workers
      .map((w, i) => `worker ${i}: ${/redis restarted: .*/.exec(w.logs)?.[0] ?? 'no restart reconcile logged'}`)
      .join('; ');
    await report(
      'redis kill -9 and restart',
      s,
      ledger,
      t0,
      `Redis down ${downMs} ms, /health/ready ${health.join(' then ')}; ${reconciles}`,
    );
    expect(cases).toHaveLength(60);
    expect(ledger.expected).toBe(60 * STEPS_PER_CASE);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
    expect(s.workers).toHaveLength(2);
    expect(s.workers.map((w) => w.child.pid)).toEqual(pids);
    expect(workers.every((w) => w.running)).toBe(true);
    // Commands work without Redis: the API stays in rotation, with Redis reported degraded.
    expect(health).toEqual(['200 degraded', '200 up']);
  });

  it('FLUSHALL: the reconciler notices the missing sentinel and restores every pending deadline within seconds', async () => {
    const s = await up({ workers: 2 });
    await Promise.all(Array.from({ length: 20 }, () => register(gp)));
    await sleep(1_500); // the first steps are close; the later ones (breaches, escalations) are seconds away

    // Timers within the horizon that cannot fire before the restore (the later steps): all in Redis now.
    const waiting = async () =>
      (
        await query<{ case_id: string; timer: string }>(
          s.db.url,
          `SELECT case_id, timer FROM pending_timers WHERE fire_at > now() + interval '2 seconds' AND fire_at <= now() + $1 * interval '1 millisecond'`,
          [HORIZON_MS],
        )
      ).map((r) => `t.${r.case_id}.${r.timer}`);
    const before = await waiting();
    expect(before.length).toBeGreaterThan(0);
    expect([...(await jobIds(client!))]).toEqual(expect.arrayContaining(before));

    const flushedAt = Date.now();
    expect(await client!.flushall()).toBe('OK');
    const restoredAfter = await waitFor('the pending timers back in Redis', async () => {
      const inRedis = await jobIds(client!);
      return before.every((id) => inRedis.has(id)) && Date.now() - flushedAt;
    });

    const ledger = await settle(s.db.url);
    const late = await lateness(s.db.url);
    const restores = s.workers
      .map((w, i) => `worker ${i}: ${/redis lost its data: .*/.exec(w.logs)?.[0] ?? 'nothing to restore'}`)
      .join('; ');
    await report(
      'FLUSHALL',
      s,
      ledger,
      t0,
      `${before.length} pending timers back in Redis ${restoredAfter} ms after the flush; ${restores}`,
    );
    expect(ledger.expected).toBe(20 * STEPS_PER_CASE);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
    // Restored by the sentinel check (every second), not by the periodic reconcile (ten minutes).
    expect(restoredAfter).toBeLessThan(scaled(5_000));
    expect(late[late.length - 1]).toBeLessThan(RECONCILE_INTERVAL_MS);
    expect(s.workers.some((w) => /redis lost its data/.test(w.logs))).toBe(true);
  });

  it('jobs published twice and processed by two workers at once: one fired event per step', async () => {
    const s = await up({ workers: 2 });
    const ids = await Promise.all(Array.from({ length: 10 }, () => register(gp)));
    const queue = new Queue(QUEUE, {
      connection: { host: '127.0.0.1', port: redis!.port, password: redis!.password, maxRetriesPerRequest: null },
    });
    // Every pending ladder timer gets a second job of its own (another id, the same data, the same time),
    // so that the original and the duplicate fall due together and the two workers race.
    const duplicated = new Set<string>();
    let republished = 0;
    const until = Date.now() + 13_000;
    try {
      while (Date.now() < until) {
        const rows = await query<{ case_id: string; timer: string; fire_at: Date }>(
          s.db.url,
          `SELECT case_id, timer, fire_at FROM pending_timers WHERE kind = 'ladder' AND fire_at < now() + interval '1 minute'`,
        );
        const fresh = rows.filter((r) => !duplicated.has(`${r.case_id}.${r.timer}`));
        await queue.addBulk(
          fresh.map((r) => ({
            name: 'fire',
            data: { caseId: r.case_id, timer: r.timer, fireAt: r.fire_at.toISOString() },
            opts: {
              jobId: `dup.${r.case_id}.${r.timer}`,
              delay: Math.max(0, r.fire_at.getTime() - Date.now()),
              removeOnComplete: false,
              attempts: 8,
              backoff: { type: 'exponential', delay: 500 },
            },
          })),
        );
        fresh.forEach((r) => duplicated.add(`${r.case_id}.${r.timer}`));
        // Half-way, the relay publishes everything once more (same job ids, most of them long done):
        // every job the outbox has put in Redis so far goes back into the outbox.
        if (!republished && Date.now() > until - 7_000) {
          const published = (await queue.getJobs(['completed', 'delayed', 'wait', 'active'])).filter((j) =>
            j.id?.startsWith('t.'),
          );
          const rows = published.map((j) => ({
            stream_id: j.data.caseId,
            message_key: `schedule.${j.id}`,
            payload: { op: 'schedule', jobId: j.id, ...j.data },
          }));
          republished = (
            await query(
              s.db.url,
              `INSERT INTO outbox (stream_id, topic, message_key, payload) SELECT stream_id, 'deadlines', message_key, payload FROM json_to_recordset($1::json) AS r(stream_id uuid, message_key text, payload jsonb) RETURNING id`,
              [JSON.stringify(rows)],
            )
          ).length;
        }
        await sleep(100);
      }
      const ledger = await settle(s.db.url);
      const done = await waitFor('every duplicate job done', async () => {
        const jobs = await queue.getJobs(['completed']);
        return jobs.length >= duplicated.size && jobs;
      }).catch(() => queue.getJobs(['completed']));
      const outcome = { fired: 0, noop: 0 };
      for (const job of done) outcome[(job.returnvalue as { appended: number } | null)?.appended ? 'fired' : 'noop']++;
      await report(
        'published twice, two workers',
        s,
        ledger,
        t0,
        `duplicate jobs: ${duplicated.size} (${outcome.fired} fired first, ${outcome.noop} found the step done); outbox rows relayed again: ${republished}`,
      );
      expect(ids).toHaveLength(10);
      // Only each milestone's next step is pending at a time, and a step whose predecessor fired late
      // is fired again within moments of appearing: such a step can come and go between two polls.
      // Many steps get their duplicate (on a busy machine the polls come further apart and fewer do:
      // 67 of 120 were seen under a load of 15 on 2 cores), and every duplicate ran.
      expect(duplicated.size).toBeGreaterThanOrEqual(0.25 * 10 * STEPS_PER_CASE);
      expect(done).toHaveLength(duplicated.size);
      expect(outcome.noop).toBeGreaterThan(0);
      expect(republished).toBeGreaterThan(0);
      expect(ledger.expected).toBe(10 * STEPS_PER_CASE);
      expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
    } finally {
      await queue.close();
    }
  });

  it('a milestone met at the moment its breach fires: either met on time, or breached and then met late', async () => {
    const s = await up({ workers: 1 });
    const n = 40;
    const ids = await Promise.all(Array.from({ length: n }, () => register(gp)));
    const due = new Map(
      (
        await query<{ case_id: string; due_at: Date }>(
          s.db.url,
          `SELECT case_id, due_at FROM milestones WHERE rule = 'municipality-notification'`,
        )
      ).map((r) => [r.case_id, r.due_at.getTime()]),
    );
    const random = new Random(Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000));
    // Each case's notification lands within ±300 ms of its breach. byProfessional: false opens no receipt
    // milestone (8 s), so that every step of the test is due within ~12 s.
    await Promise.all(
      ids.map(async (id) => {
        await sleep((due.get(id) as number) + random.int(-300, 300) - Date.now());
        await send(gp, id, 'notify-municipality', { byProfessional: false });
      }),
    );

    const ledger = await settle(s.db.url);
    const events = await query<{ stream_id: string; type: string; late: boolean | null }>(
      s.db.url,
      `SELECT e.stream_id, e.type, (e.data->>'late')::boolean AS late FROM case_events e JOIN milestones m ON m.case_id = e.stream_id AND m.milestone = e.data->>'milestone'
       WHERE m.rule = 'municipality-notification' AND e.type IN ('MilestoneMet', 'MilestoneBreached') ORDER BY e.stream_id, e.version`,
    );
    const outcomes = { onTime: 0, breachedThenLate: 0, other: [] as string[] };
    for (const id of ids) {
      const seen = events
        .filter((e) => e.stream_id === id)
        .map((e) => (e.type === 'MilestoneMet' ? `met${e.late ? '-late' : ''}` : 'breached'))
        .join(',');
      if (seen === 'met') outcomes.onTime++;
      else if (seen === 'breached,met-late') outcomes.breachedThenLate++;
      else outcomes.other.push(`${id}: ${seen}`);
    }
    await report(
      'met at the breach',
      s,
      ledger,
      t0,
      `seed ${random.seed}: met on time ${outcomes.onTime}, breached then met late ${outcomes.breachedThenLate}, other ${outcomes.other.length}`,
    );
    if (outcomes.other.length) process.stdout.write(`other outcomes:\n${outcomes.other.join('\n')}\n`);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.onTime + outcomes.breachedThenLate).toBe(n);
    expect(ledger.expected).toBeGreaterThan(0);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
  });

  it('several workers at once do not double-fire: 3 workers, 60 cases', async () => {
    const s = await up({ workers: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(...(await Promise.all(Array.from({ length: 20 }, () => register(gp)))));
    const ledger = await settle(s.db.url);
    await report('3 workers', s, ledger, t0);
    expect(ids).toHaveLength(60);
    expect(ledger.expected).toBe(60 * STEPS_PER_CASE);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
  });
});
