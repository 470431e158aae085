#!/usr/bin/env node
// npm run bench:timers — durable timers under load, on this machine's own PostgreSQL and Redis.
//
// 100,000 pending deadlines (one per case, policy bench/policies/timers.json: breach 6 h after the
// registration, which is backdated to place the deadline) spread over the next hours, of which:
//   steady: 12,000 falling due at 200 per second for a minute — lateness = recorded time of the fired
//           event − due time (the event is committed within milliseconds of being recorded);
//   burst:  10,000 due in the same second — the time until the last of them has fired;
//   rebuild: FLUSHALL, then the time until the reconciler has put every pending job back;
//   memory: Redis used_memory per job.
// Each case also has its birth-imminent timer (weeks ahead), so Redis holds two jobs per case.
// Last line: RESULT pending=… p50_ms=… p99_ms=… max_ms=… burst_drain_s=… lost=… rebuild_s=… redis_bytes_per_timer=…
import path from 'node:path';
import { machine, percentile, poster, root, say, sleep, startBench, waitHealthy } from './lib/harness.mjs';

const TOTAL = Number(process.env.BENCH_TIMERS ?? 100_000);
const STEADY = Math.round(TOTAL * 0.12);
const BURST = Math.round(TOTAL * 0.1);
const REST = TOTAL - STEADY - BURST;
const RATE = 200;
const SIX_HOURS = 6 * 3600_000;
const CONCURRENCY = 16;

const bench = await startBench();
const { Client } = bench.require('pg');
const Redis = bench.require('ioredis');
let exitCode = 0;
try {
  say(`machine: ${machine()}; ${TOTAL} deadlines (steady ${STEADY} at ${RATE}/s, burst ${BURST}, ${REST} later)`);
  const env = { PATHWAY_POLICY_FILE: path.join(root, 'bench', 'policies', 'timers.json'), WORKER_CONCURRENCY: '64' };
  bench.start('api', env);
  bench.start('worker', env);
  await waitHealthy(bench.baseUrl);
  const db = new Client({ connectionString: bench.pg.url });
  await db.connect();
  const redis = new Redis(bench.redis.url);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
  const jobsInRedis = async () => (await redis.zcard('bull:deadlines:delayed')) + (await redis.llen('bull:deadlines:wait')) + (await redis.llen('bull:deadlines:active'));
  const memoryBefore = await usedMemory();

  const post = poster(bench.baseUrl, bench.token('--role', 'referrer', '--org', 'gp:bench', '--sub', 'bench'), CONCURRENCY);
  const dueDate = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);
  /** Registers one case per due time (16 at a time); returns the case ids in order. */
  async function register(dues, label) {
    const ids = new Array(dues.length);
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < dues.length) {
        const i = next++;
        const body = { estimatedDueDate: dueDate, municipality: '851', referrer: { kind: 'gp' }, substances: ['alcohol'], occurredAt: new Date(dues[i] - SIX_HOURS).toISOString() };
        const res = await post('/v1/cases', body);
        if (res.status !== 201) throw new Error(`registration → ${res.status} ${res.text}`);
        ids[i] = JSON.parse(res.text).id;
      }
    }));
    say(`registered ${dues.length} (${label}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return ids;
  }

  const now = Date.now();
  await register(Array.from({ length: REST }, () => now + 1800_000 + Math.random() * (SIX_HOURS - 1860_000)), 'later');
  const t0 = Date.now() + 30_000;
  const burstAt = t0 + (STEADY / RATE) * 1000 + 20_000;
  const steadyDues = Array.from({ length: STEADY }, (_, i) => t0 + (i * 1000) / RATE);
  const burstDues = Array.from({ length: BURST }, () => burstAt + Math.floor(Math.random() * 1000));
  const [steadyIds, burstIds] = [await register(steadyDues, 'steady'), await register(burstDues, 'burst')];
  if (Date.now() > t0 - 2_000) say('warning: registration ran into the steady window; lateness includes registration load');

  // All relayed before the clock runs out: the memory figure is for a full queue.
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE relayed_at IS NULL`)).rows;
    if (n === 0) break;
    await sleep(500);
  }
  const pending = (await db.query(`SELECT count(*)::int AS n FROM pending_timers`)).rows[0].n;
  const jobs = await jobsInRedis();
  const bytesPerTimer = Math.round((await usedMemory() - memoryBefore) / jobs);
  say(`pending timers ${pending} (${TOTAL} deadlines + birth-imminent timers), jobs in Redis ${jobs}, ${bytesPerTimer} bytes of Redis memory per job`);

  const firedOf = async (ids) =>
    (await db.query(
      `SELECT extract(epoch FROM e.recorded_at - m.due_at) * 1000 AS late_ms, e.recorded_at
       FROM case_events e JOIN milestones m ON m.case_id = e.stream_id AND m.milestone = e.data->>'milestone'
       WHERE e.type = 'MilestoneBreached' AND e.stream_id = ANY($1::uuid[])`,
      [ids],
    )).rows;
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
  say(`steady: fired ${steady.length}/${STEADY}; lateness p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${max.toFixed(0)} ms, min ${lateness[0].toFixed(0)} ms`);

  await sleep(Math.max(0, burstAt - Date.now()));
  say(`burst: ${BURST} deadlines due in the same second…`);
  const burst = await waitFired(burstIds, burstAt + 120_000);
  const drain = (Math.max(...burst.map((r) => r.recorded_at.getTime())) - burstAt) / 1000;
  say(`burst: fired ${burst.length}/${BURST}, the last ${drain.toFixed(1)} s after the second they fell due`);
  const lost = STEADY - steady.length + (BURST - burst.length);

  const stillPending = (await db.query(`SELECT count(*)::int AS n FROM pending_timers`)).rows[0].n;
  await redis.flushall();
  const flushedAt = Date.now();
  while ((await jobsInRedis()) < stillPending && Date.now() - flushedAt < 300_000) await sleep(200);
  const rebuild = (Date.now() - flushedAt) / 1000;
  say(`rebuild: FLUSHALL, then ${await jobsInRedis()} of ${stillPending} pending jobs back in ${rebuild.toFixed(1)} s`);

  post.close();
  redis.disconnect();
  await db.end();
  if (lost > 0) exitCode = 1;
  say(`RESULT pending=${TOTAL} p50_ms=${p50.toFixed(0)} p99_ms=${p99.toFixed(0)} max_ms=${max.toFixed(0)} burst_drain_s=${drain.toFixed(1)} lost=${lost} rebuild_s=${rebuild.toFixed(1)} redis_bytes_per_timer=${bytesPerTimer}`);
} catch (error) {
  exitCode = 1;
  say(`bench failed: ${error instanceof Error ? error.stack : error}`);
} finally {
  await bench.stop();
}
process.exit(exitCode);
