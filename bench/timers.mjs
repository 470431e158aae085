#!/usr/bin/env node
// npm run bench:timers — durable timers under load, on this machine's own PostgreSQL and Redis.
//
// 100,000 pending deadlines (one per case, policy bench/policies/timers.json: breach 6 h after the
// registration, which is backdated to place the deadline) spread over the next hours, of which:
//   steady: 12,000 falling due at 200 per second for a minute — lateness = recorded time of the fired
//           event − due time (the event is committed within milliseconds of being recorded);
//   burst:  10,000 due in the same second — the time until the last of them has fired;
//   rebuild: FLUSHALL (before the steady window), then the time until the reconciler has put back
//            every timer due within the horizon — the steady and burst windows then show that
//            nothing was lost across the flush;
//   memory: Redis used_memory per job in Redis.
// Timers due beyond TIMER_HORIZON_MS (default 10 min) are in PostgreSQL only until they come near;
// BENCH_HORIZON_MS sets the service's horizon (e.g. 31536000000: everything in Redis, as the issue
// first framed it). Once its breach has fired, each case's next timer is the birth-imminent escalation
// at the start of week 37, weeks ahead.
// Last line: RESULT pending=… p50_ms=… p99_ms=… max_ms=… burst_drain_s=… lost=… rebuild_s=… redis_bytes_per_timer=…
import path from 'node:path';
import {
  machine,
  percentile,
  poster,
  registerDue,
  root,
  say,
  sleep,
  runBench,
  waitHealthy,
} from '../scripts/lib/harness.mjs';

const TOTAL = Number(process.env.BENCH_TIMERS ?? 100_000);
const STEADY = Math.round(TOTAL * 0.12);
const BURST = Math.round(TOTAL * 0.1);
const REST = TOTAL - STEADY - BURST;
const RATE = 200;
const SIX_HOURS = 6 * 3600_000;
const CONCURRENCY = 16;

await runBench(async (bench) => {
  const { Client } = bench.require('pg');
  const Redis = bench.require('ioredis');
  say(`machine: ${machine()}; ${TOTAL} deadlines (steady ${STEADY} at ${RATE}/s, burst ${BURST}, ${REST} later)`);
  const horizonMs = Number(process.env.BENCH_HORIZON_MS ?? 600_000);
  const env = {
    PATHWAY_POLICY_FILE: path.join(root, 'bench', 'policies', 'timers.json'),
    WORKER_CONCURRENCY: '64',
    TIMER_HORIZON_MS: String(horizonMs),
  };
  say(`timer horizon ${horizonMs} ms`);
  bench.start('api', env);
  bench.start('worker', env);
  await waitHealthy(bench.baseUrl);
  const db = new Client({ connectionString: bench.pg.url });
  await db.connect();
  const redis = new Redis(bench.redis.url);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
  const jobsInRedis = async () =>
    (await redis.zcard('bull:deadlines:delayed')) +
    (await redis.llen('bull:deadlines:wait')) +
    (await redis.llen('bull:deadlines:active'));
  const memoryBefore = await usedMemory();

  const post = poster(
    bench.baseUrl,
    bench.token('--role', 'referrer', '--org', 'gp:bench', '--sub', 'bench'),
    CONCURRENCY,
  );
  const register = (dues, label) => registerDue(post, dues, SIX_HOURS, label, CONCURRENCY);

  const now = Date.now();
  await register(
    Array.from({ length: REST }, () => now + 1800_000 + Math.random() * (SIX_HOURS - 1860_000)),
    'later',
  );
  // Room before the steady window for the relay to finish and for the rebuild measurement.
  const t0 = Date.now() + 30_000 + (STEADY + BURST) / 1.5 + 40_000;
  const burstAt = t0 + (STEADY / RATE) * 1000 + 20_000;
  const steadyDues = Array.from({ length: STEADY }, (_, i) => t0 + (i * 1000) / RATE);
  const burstDues = Array.from({ length: BURST }, () => burstAt + Math.floor(Math.random() * 1000));
  const [steadyIds, burstIds] = [await register(steadyDues, 'steady'), await register(burstDues, 'burst')];
  // All relayed before the clock runs out: the memory figure is for a full queue.
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows;
    if (n === 0) break;
    await sleep(500);
  }
  const pending = (await db.query(`SELECT count(*)::int AS n FROM pending_timers`)).rows[0].n;
  const jobs = await jobsInRedis();
  const bytesPerTimer = Math.round(((await usedMemory()) - memoryBefore) / jobs);
  say(
    `pending timers ${pending} in PostgreSQL (one per case: its deadline), ${jobs} of them due within the horizon and in Redis, ${bytesPerTimer} bytes of Redis memory per job`,
  );

  const near = (
    await db.query(`SELECT count(*)::int AS n FROM pending_timers WHERE fire_at <= now() + make_interval(secs => $1)`, [
      horizonMs / 1000,
    ])
  ).rows[0].n;
  await redis.flushall();
  const flushedAt = Date.now();
  while ((await jobsInRedis()) < near && Date.now() - flushedAt < 300_000) await sleep(100);
  const rebuild = (Date.now() - flushedAt) / 1000;
  say(
    `rebuild: FLUSHALL, then ${await jobsInRedis()} of ${near} timers due within the horizon back in Redis in ${rebuild.toFixed(1)} s`,
  );
  if (Date.now() > t0 - 2_000) say('warning: the rebuild ran into the steady window');

  const firedOf = async (ids) =>
    (
      await db.query(
        `SELECT extract(epoch FROM e.recorded_at - m.due_at) * 1000 AS late_ms, e.recorded_at
       FROM case_events e JOIN milestones m ON m.case_id = e.stream_id AND m.milestone = e.data->>'milestone'
       WHERE e.type = 'MilestoneBreached' AND e.stream_id = ANY($1::uuid[])`,
        [ids],
      )
    ).rows;
  const waitFired = async (ids, until) => {
    for (;;) {
      const rows = await firedOf(ids);
      if (rows.length >= ids.length || Date.now() > until) return rows;
      await sleep(1_000);
    }
  };

  await sleep(Math.max(0, t0 - Date.now()));
  say(`steady: ${STEADY} deadlines falling due at ${RATE}/s…`);
  const steady = await waitFired(steadyIds, t0 + (STEADY / RATE) * 1000 + 30_000);
  const lateness = steady.map((r) => Number(r.late_ms)).sort((a, b) => a - b);
  const [p50, p99, max] = [percentile(lateness, 50), percentile(lateness, 99), lateness[lateness.length - 1]];
  say(
    `steady: fired ${steady.length}/${STEADY}; lateness p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${max.toFixed(0)} ms, min ${lateness[0].toFixed(0)} ms`,
  );

  await sleep(Math.max(0, burstAt - Date.now()));
  say(`burst: ${BURST} deadlines due in the same second…`);
  const burst = await waitFired(burstIds, burstAt + 120_000);
  const drain = (Math.max(...burst.map((r) => r.recorded_at.getTime())) - burstAt) / 1000;
  say(`burst: fired ${burst.length}/${BURST}, the last ${drain.toFixed(1)} s after the second they fell due`);
  const lost = STEADY - steady.length + (BURST - burst.length);

  post.close();
  redis.disconnect();
  await db.end();
  say(
    `RESULT pending=${TOTAL} p50_ms=${p50.toFixed(0)} p99_ms=${p99.toFixed(0)} max_ms=${max.toFixed(0)} burst_drain_s=${drain.toFixed(1)} lost=${lost} rebuild_s=${rebuild.toFixed(1)} redis_bytes_per_timer=${bytesPerTimer}`,
  );
  return lost === 0;
});
