#!/usr/bin/env node
// npm run bench:timers — durable timers under load, on this machine's own PostgreSQL and Redis, against
// the peer issue 17 names in the same run: plain BullMQ delayed jobs whose handler does one INSERT.
//
// Pathway: 100,000 pending deadlines (one per case, policy bench/policies/timers.json: breach 6 h after
// the registration, which is backdated to place the deadline) spread over the next hours, of which:
//   steady: 12,000 falling due at 200 per second for a minute — lateness = recorded time of the fired
//           event − due time (the worker's clock when its command handler starts, before the append);
//   burst:  10,000 due in the same second — the time until the last of them has fired; BENCH_BURSTS
//           rounds of it (3), each with the baseline's, the order of the two turned every other round;
//   rebuild: FLUSHALL (before the steady windows), then the time until the reconciler has put back
//            every timer due within the horizon — the steady and burst windows then show that
//            nothing was lost across the flush;
//   memory: Redis used_memory per job in Redis.
// Timers due beyond TIMER_HORIZON_MS (default 10 min) are in PostgreSQL only until they come near;
// BENCH_HORIZON_MS sets the service's horizon (e.g. 31536000000: everything in Redis, as the issue
// first framed it). Once its breach has fired, each case's next timer is the birth-imminent escalation
// at the start of week 37, weeks ahead.
// BENCH_DUMP_LATE=<prefix>: each steady firing's time and lateness (epoch ms, ms) to <prefix>-<side>.txt.
//
// Baseline (after the rebuild, so the FLUSHALL leaves it alone): as many delayed jobs on a queue of its
// own (bench-baseline) on the same Redis, with the same job options as Pathway's deadline jobs and the
// same due times relative to its windows (12,000 at 200/s, 10,000 in one second, the rest 30 min to 6 h
// ahead); its worker (bench/timers-baseline-worker.mjs) is a Node process of its own with Pathway's
// worker concurrency (64, or BENCH_WORKER_CONCURRENCY) and pool size (20), and inserts one row per job
// into bench_baseline_firings in the same PostgreSQL. Lateness = the handler's clock when it starts − due
// time (as Pathway's). BENCH_WORKERS=n (default 1) starts n worker processes on each side.
//
// Windows, interleaved so that noise is shared; the side not measured is idle but up: baseline steady,
// Pathway steady, then the bursts in rounds: baseline and Pathway, Pathway and baseline, baseline and
// Pathway… (a drift of the machine's speed during the run falls on both sides alike). The burst figures
// of the last line are the medians of the rounds: each side's drain and CPU, and the ratio of each round.
// CPU per firing, per burst: CPU seconds from the burst's second until its last firing, divided by the
// firings, also printed per process. Counted (cpuSeconds in scripts/lib/harness.mjs): utime + stime of all threads, plus cutime +
// cstime of reaped children, of every process in these trees — Pathway: its worker, its API, the
// PostgreSQL postmaster and everything under it (backends, checkpointer, WAL writer, autovacuum…) and
// the Redis server; baseline: its worker, PostgreSQL and Redis likewise. The backend of this script's
// own connection is left out; whatever the idle side does then (Pathway's relay and reconciler polling,
// the baseline worker's blocking wait) is in PostgreSQL's and Redis's figure.
// Lost: due jobs that never fired by the end of the run; duplicated: a second MilestoneBreached for a
// case, a second row for a baseline job. Exit 0 only when nothing is lost on either side.
// Last line: RESULT pending=… p50_ms=… p99_ms=… max_ms=… burst_drain_s=… lost=… rebuild_s=…
//   redis_bytes_per_timer=… baseline_p50_ms=… baseline_p99_ms=… p99_ratio=… baseline_burst_drain_s=…
//   burst_ratio=… cpu_ms_per_firing=… baseline_cpu_ms_per_firing=… cpu_ratio=… bursts=… baseline_lost=…
//   duplicated=… baseline_duplicated=…
import fs from 'node:fs';
import path from 'node:path';
import {
  cpuSampler,
  machine,
  percentile,
  poster,
  printPgStats,
  registerDue,
  root,
  say,
  serverPids,
  sleep,
  runBench,
  waitHealthy,
} from '../scripts/lib/harness.mjs';

const TOTAL = Number(process.env.BENCH_TIMERS ?? 100_000);
const STEADY = Math.round(TOTAL * 0.12);
const BURST = Math.round(TOTAL * 0.1);
const BURSTS = Number(process.env.BENCH_BURSTS ?? 3);
const REST = TOTAL - STEADY - BURST * BURSTS;
const RATE = 200;
const SIX_HOURS = 6 * 3600_000;
const CONCURRENCY = 16;
// Deadline jobs each side's worker holds at once (WORKER_CONCURRENCY, the same for both).
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '64';
// Worker processes on each side (the same number for both).
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const BASELINE_QUEUE = 'bench-baseline';

await runBench(async (bench) => {
  const { Client } = bench.require('pg');
  const Redis = bench.require('ioredis');
  const { Queue } = bench.require('bullmq');
  say(
    `machine: ${machine()}; ${TOTAL} deadlines (steady ${STEADY} at ${RATE}/s, ${BURSTS} bursts of ${BURST}, ${REST} later)`,
  );
  const horizonMs = Number(process.env.BENCH_HORIZON_MS ?? 600_000);
  const env = {
    PATHWAY_POLICY_FILE: path.join(root, 'bench', 'policies', 'timers.json'),
    WORKER_CONCURRENCY,
    TIMER_HORIZON_MS: String(horizonMs),
  };
  say(`timer horizon ${horizonMs} ms`);
  const api = bench.start('api', env);
  const workers = Array.from({ length: WORKERS }, () => bench.start('worker', env));
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
  const later = () => now + 1800_000 + Math.random() * (SIX_HOURS - 1860_000);
  const registering = Date.now();
  await register(Array.from({ length: REST }, later), 'later');
  const perRegistration = (Date.now() - registering) / REST;
  // Room before the first window for the steady and burst registrations (2.5 times as long as these
  // took each: theirs go to Redis too, and the machine may be busy), the relay, the rebuild
  // measurement and the baseline's jobs.
  const window = (STEADY / RATE) * 1000;
  const baselineSteadyAt =
    Date.now() + 2.5 * perRegistration * (STEADY + BURST * BURSTS) + 30_000 + 40_000 + TOTAL * 0.4;
  const pathwaySteadyAt = baselineSteadyAt + window + 15_000;
  // Each burst 20 s (or 2 ms a timer) after the one before: both sides drain 10,000 in under 6 s here.
  const burstGap = Math.max(20_000, BURST * 2);
  const rounds = Array.from({ length: BURSTS }, (_, r) => {
    const first = pathwaySteadyAt + window + 20_000 + 2 * r * burstGap;
    const second = first + burstGap;
    // The baseline's jobs of the round: ids `burst<round>-<n>`.
    const baselineJobs = `burst${r + 1}`;
    return r % 2 === 0
      ? { baselineJobs, baselineAt: first, pathwayAt: second }
      : { baselineJobs, pathwayAt: first, baselineAt: second };
  });
  const steadyDues = (t0) => Array.from({ length: STEADY }, (_, i) => t0 + (i * 1000) / RATE);
  const burstDues = (at) => Array.from({ length: BURST }, () => at + Math.floor(Math.random() * 1000));
  const steadyIds = await register(steadyDues(pathwaySteadyAt), 'steady');
  for (const [r, round] of rounds.entries()) round.ids = await register(burstDues(round.pathwayAt), `burst ${r + 1}`);
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

  // The baseline: its table, its worker (a process of its own), then its jobs, the soonest first.
  await db.query(
    `CREATE TABLE bench_baseline_firings (job_id text NOT NULL, due_at timestamptz NOT NULL, fired_at timestamptz NOT NULL)`,
  );
  const baselineWorkers = Array.from({ length: WORKERS }, () => {
    const baselineWorker = bench.startScript(path.join(root, 'bench', 'timers-baseline-worker.mjs'), {
      BASELINE_QUEUE,
      WORKER_CONCURRENCY: env.WORKER_CONCURRENCY,
      DB_POOL_SIZE: '20',
    });
    baselineWorker.once('exit', (code, signal) => say(`baseline worker exited (${code ?? signal})`));
    return baselineWorker;
  });
  const queueRedis = new Redis(bench.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(BASELINE_QUEUE, { connection: queueRedis });
  for (const started = Date.now(); (await queue.getWorkers()).length < WORKERS; await sleep(100))
    if (Date.now() - started > 30_000) throw new Error('the baseline worker did not start');
  const baselineMemoryBefore = await usedMemory();
  const addBaseline = async (prefix, dues) => {
    for (let i = 0; i < dues.length; i += 1000)
      await queue.addBulk(
        dues.slice(i, i + 1000).map((due, j) => ({
          name: 'fire',
          data: { due },
          // Pathway's deadline job options (libs/timers/src/timer-scheduler.ts): only the handler differs.
          opts: {
            jobId: `${prefix}-${i + j}`,
            delay: Math.max(0, due - Date.now()),
            attempts: 8,
            backoff: { type: 'exponential', delay: 500 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
  };
  const addedFrom = Date.now();
  await addBaseline('steady', steadyDues(baselineSteadyAt));
  for (const { baselineJobs, baselineAt } of rounds) await addBaseline(baselineJobs, burstDues(baselineAt));
  await addBaseline('later', Array.from({ length: REST }, later));
  const baselineJobs = await queue.getDelayedCount();
  say(
    `baseline: ${baselineJobs} delayed jobs on ${BASELINE_QUEUE} added in ${((Date.now() - addedFrom) / 1000).toFixed(1)} s, ${Math.round(((await usedMemory()) - baselineMemoryBefore) / baselineJobs)} bytes of Redis memory per job`,
  );
  // A new cluster has no WAL segments to recycle until its first checkpoint: each 16 MB segment is
  // created, zero-filled, while every commit waits for it (85–133 ms here), and the loading above
  // leaves those stalls to whichever window writes the most WAL. A checkpoint now gives both sides
  // the recycled segments of a PostgreSQL that has been running for a while.
  const checkpointFrom = Date.now();
  await db.query('CHECKPOINT');
  say(`checkpoint before the windows: ${((Date.now() - checkpointFrom) / 1000).toFixed(1)} s`);
  if (Date.now() > baselineSteadyAt - 2_000)
    say('warning: the rebuild, the baseline jobs or the checkpoint ran into the first window');

  // Each firing as the time it was recorded and its lateness; the first firing of a job or case only.
  const pathwayFired = async (ids) =>
    (
      await db.query(
        `SELECT DISTINCT ON (e.stream_id) extract(epoch FROM e.recorded_at - m.due_at) * 1000 AS late_ms, e.recorded_at AS at
       FROM case_events e JOIN milestones m ON m.case_id = e.stream_id AND m.milestone = e.data->>'milestone'
       WHERE e.type = 'MilestoneBreached' AND e.stream_id = ANY($1::uuid[]) ORDER BY e.stream_id, e.position`,
        [ids],
      )
    ).rows;
  // The poll reads only the events appended since the windows began (a range of the primary key),
  // not every event of the window's cases: it competes with the side it waits for, and should cost
  // about what the baseline's does.
  const [{ since }] = (await db.query(`SELECT coalesce(max(position), 0) AS since FROM case_events`)).rows;
  const pathwayCount = async (ids) =>
    (
      await db.query(
        `SELECT count(DISTINCT e.stream_id)::int AS n FROM case_events e JOIN unnest($1::uuid[]) AS k(id) ON k.id = e.stream_id
         WHERE e.position > $2 AND e.type = 'MilestoneBreached'`,
        [ids, since],
      )
    ).rows[0].n;
  const baselineFired = async (prefix) =>
    (
      await db.query(
        `SELECT DISTINCT ON (job_id) extract(epoch FROM fired_at - due_at) * 1000 AS late_ms, fired_at AS at
       FROM bench_baseline_firings WHERE job_id LIKE $1 || '-%' ORDER BY job_id, fired_at`,
        [prefix],
      )
    ).rows;
  const baselineCount = async (prefix) =>
    (
      await db.query(
        `SELECT count(DISTINCT job_id)::int AS n FROM bench_baseline_firings WHERE job_id LIKE $1 || '-%'`,
        [prefix],
      )
    ).rows[0].n;
  // A cheap count once a second while waiting (its backend is left out of the CPU figures), the rows once.
  const waitFired = async (count, fired, key, expected, until) => {
    while ((await count(key)) < expected && Date.now() < until) await sleep(1_000);
    return fired(key);
  };

  const steadyWindow = async (label, at, count, fired, key) => {
    await sleep(Math.max(0, at - Date.now()));
    say(`steady (${label}): ${STEADY} due at ${RATE}/s…`);
    // Counted only once the last is due: a count during the window would compete with the side it
    // measures, and Pathway's (over its events) costs PostgreSQL more than the baseline's.
    await sleep(Math.max(0, at + window - Date.now()));
    const rows = await waitFired(count, fired, key, STEADY, at + window + 15_000);
    const lateness = rows.map((r) => Number(r.late_ms)).sort((a, b) => a - b);
    if (process.env.BENCH_DUMP_LATE)
      fs.writeFileSync(
        `${process.env.BENCH_DUMP_LATE}-${label}.txt`,
        rows.map((r) => `${new Date(r.at).getTime()} ${Number(r.late_ms).toFixed(1)}\n`).join(''),
      );
    const [p50, p99, max] = [percentile(lateness, 50), percentile(lateness, 99), lateness[lateness.length - 1]];
    say(
      `steady (${label}): fired ${rows.length}/${STEADY}; lateness p50 ${p50?.toFixed(0)} ms, p99 ${p99?.toFixed(0)} ms, max ${max?.toFixed(0)} ms, min ${lateness[0]?.toFixed(0)} ms`,
    );
    return { p50, p99, max };
  };

  const { backend, postmaster, redis: redisPid } = await serverPids(db, redis);
  // Redis rewrites its append-only file when the file has doubled (auto-aof-rewrite-percentage): a
  // child writes the whole data set out, for about a second here. A rewrite that falls in a burst costs
  // whichever side is measured then, whoever's writes grew the file, so each burst starts just after one.
  const rewriteAof = async () => {
    // Refused while one is already running: that one is waited for.
    await redis.bgrewriteaof().catch(() => undefined);
    while (/aof_rewrite_(in_progress|scheduled):1/.test(await redis.info('persistence'))) await sleep(50);
  };
  // `processes`: name → the pid (or pids) of the process trees that work for a firing; each name is
  // sampled on its own, so that the CPU per firing is also printed per process.
  const burstWindow = async (label, at, processes, count, fired, key) => {
    await rewriteAof();
    if (Date.now() > at - 200)
      say(`warning: the burst (${label}) began late: the burst or rewrite ahead of it ran into it`);
    await sleep(Math.max(0, at - 200 - Date.now()));
    const samplers = Object.entries(processes).map(([name, pids]) => [name, cpuSampler([pids].flat(), [backend])]);
    const cpu = {
      stop: () => samplers.forEach(([, sampler]) => sampler.stop()),
      at: (t) => samplers.reduce((sum, [, sampler]) => sum + sampler.at(t), 0),
    };
    await sleep(Math.max(0, at - Date.now()));
    say(`burst (${label}): ${BURST} due in the same second…`);
    const rows = await waitFired(count, fired, key, BURST, at + 120_000);
    cpu.stop();
    const last = Math.max(...rows.map((r) => r.at.getTime()));
    const drain = (last - at) / 1000;
    const cpuMs = ((cpu.at(last) - cpu.at(at)) * 1000) / rows.length;
    say(
      `burst (${label}): fired ${rows.length}/${BURST}, the last ${drain.toFixed(1)} s after the second they fell due; ${cpuMs.toFixed(2)} ms of CPU per firing (${samplers
        .map(([name, sampler]) => `${name} ${(((sampler.at(last) - sampler.at(at)) * 1000) / rows.length).toFixed(2)}`)
        .join(', ')})`,
    );
    return { drain, cpuMs };
  };

  const baselineSteady = await steadyWindow('baseline', baselineSteadyAt, baselineCount, baselineFired, 'steady');
  const steady = await steadyWindow('Pathway', pathwaySteadyAt, pathwayCount, pathwayFired, steadyIds);
  // BENCH_PG_STATS=1: PostgreSQL's statements during the bursts (the baseline's is its one INSERT).
  if (process.env.BENCH_PG_STATS)
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()');
  const windows = {
    baseline: (r) =>
      burstWindow(
        `baseline, round ${r + 1}`,
        rounds[r].baselineAt,
        { worker: baselineWorkers.map((w) => w.pid), postgres: postmaster, redis: redisPid },
        baselineCount,
        baselineFired,
        rounds[r].baselineJobs,
      ),
    Pathway: (r) =>
      burstWindow(
        `Pathway, round ${r + 1}`,
        rounds[r].pathwayAt,
        { worker: workers.map((w) => w.pid), api: api.pid, postgres: postmaster, redis: redisPid },
        pathwayCount,
        pathwayFired,
        rounds[r].ids,
      ),
  };
  for (const [r, round] of rounds.entries())
    for (const side of r % 2 === 0 ? ['baseline', 'Pathway'] : ['Pathway', 'baseline'])
      round[side] = await windows[side](r);
  const median = (values) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const of = (side, figure) => median(rounds.map((round) => round[side][figure]));
  const burst = { drain: of('Pathway', 'drain'), cpuMs: of('Pathway', 'cpuMs') };
  const baselineBurst = { drain: of('baseline', 'drain'), cpuMs: of('baseline', 'cpuMs') };
  const burstRatio = median(rounds.map((round) => round.Pathway.drain / round.baseline.drain));
  const cpuRatio = median(rounds.map((round) => round.Pathway.cpuMs / round.baseline.cpuMs));
  say(
    `bursts, round by round (Pathway / baseline): ${rounds
      .map(
        (round, r) =>
          `${r + 1}: ${round.Pathway.drain.toFixed(1)} / ${round.baseline.drain.toFixed(1)} s, ${round.Pathway.cpuMs.toFixed(2)} / ${round.baseline.cpuMs.toFixed(2)} ms`,
      )
      .join('; ')}`,
  );

  await printPgStats(Client, bench.pg.url);

  // Lost and duplicated, at the end: a late firing is late, not lost.
  const pathwayIds = [...steadyIds, ...rounds.flatMap((round) => round.ids)];
  const {
    rows: [p],
  } = await db.query(
    `SELECT count(DISTINCT stream_id)::int AS fired, count(*)::int AS events FROM case_events WHERE type = 'MilestoneBreached' AND stream_id = ANY($1::uuid[])`,
    [pathwayIds],
  );
  const {
    rows: [b],
  } = await db.query(
    `SELECT count(DISTINCT job_id)::int AS fired, count(*)::int AS rows FROM bench_baseline_firings WHERE job_id NOT LIKE 'later-%'`,
  );
  const lost = pathwayIds.length - p.fired;
  const baselineLost = STEADY + BURST * BURSTS - b.fired;
  const [duplicated, baselineDuplicated] = [p.events - p.fired, b.rows - b.fired];
  say(
    `lost: Pathway ${lost}, baseline ${baselineLost}; duplicated: Pathway ${duplicated} (second MilestoneBreached of a case), baseline ${baselineDuplicated} (second row of a job)`,
  );

  post.close();
  redis.disconnect();
  await queue.close();
  // A connection given to BullMQ is the giver's to close.
  queueRedis.disconnect();
  await db.end();
  const fixed = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : 'none');
  say(
    `RESULT pending=${TOTAL} p50_ms=${fixed(steady.p50)} p99_ms=${fixed(steady.p99)} max_ms=${fixed(steady.max)} burst_drain_s=${fixed(burst.drain, 1)} lost=${lost} rebuild_s=${rebuild.toFixed(1)} redis_bytes_per_timer=${bytesPerTimer}` +
      ` baseline_p50_ms=${fixed(baselineSteady.p50)} baseline_p99_ms=${fixed(baselineSteady.p99)} p99_ratio=${fixed(steady.p99 / baselineSteady.p99, 1)}` +
      ` baseline_burst_drain_s=${fixed(baselineBurst.drain, 1)} burst_ratio=${fixed(burstRatio, 1)}` +
      ` cpu_ms_per_firing=${fixed(burst.cpuMs, 2)} baseline_cpu_ms_per_firing=${fixed(baselineBurst.cpuMs, 2)}` +
      ` cpu_ratio=${fixed(cpuRatio, 1)} bursts=${BURSTS}` +
      ` baseline_lost=${baselineLost} duplicated=${duplicated} baseline_duplicated=${baselineDuplicated}`,
  );
  return lost === 0 && baselineLost === 0;
});
