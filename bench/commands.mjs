#!/usr/bin/env node
// npm run bench:commands — commands per second over HTTP against a raw baseline, in one run.
//
// Starts its own PostgreSQL (durable, as `npm start` runs it) and Redis, builds and starts the API
// and the worker, then measures at the same concurrency (16):
//   raw:      single-row INSERTs into case_events through `pg` (one round trip, one commit each);
//   emmett:   Emmett's PostgreSQL event store (a peer), `appendToStream` in-process, each writer on
//             its own streams with the expected stream version, in its own database on the same
//             PostgreSQL (tables created by Emmett);
//   commands: HTTP clients, each on its own cases, sending a course of valid commands: register,
//             refer to the clinic, notify the municipality, assign a coordinator, then recurring
//             facts (network meetings, contact, consent); a new case every CASE_LENGTH commands;
//   reads:    the same clients opening the case each was last on (GET /v1/cases/{id}, the same
//             token): a request on the same stack that appends no event (it records the read in
//             the read audit, case_reads, as every opening of a case does).
// Each phase also prints its CPU per operation, by process (cpuSeconds in scripts/lib/harness.mjs:
// every thread, and the reaped children, of each process tree), from the end of the warm-up to the
// last operation: PostgreSQL (the postmaster and everything under it) and this script's own process
// (the HTTP clients, Emmett's library, the `pg` clients) for every phase; the API, the worker and
// Redis too for commands and reads (Emmett and the raw INSERTs do not use them).
// Prints figures as it goes; the last line is
//   RESULT commands_per_s=<n> p99_ms=<n> raw_inserts_per_s=<n> ratio=<commands/raw>
//          emmett_appends_per_s=<n> emmett_ratio=<commands/emmett>
//          cpu_ms_per_command=<n> emmett_cpu_ms_per_append=<n> reads_per_s=<n>
// BENCH_ROUNDS=n runs the four phases n times, interleaved, so that they share the machine's noise;
// the last line gives the medians.
import { randomUUID } from 'node:crypto';
import {
  cpuSeconds,
  machine,
  percentile,
  poster,
  printPgStats,
  runBench,
  say,
  serverPids,
  waitHealthy,
} from '../scripts/lib/harness.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const WARMUP_SECONDS = 3;
const CASE_LENGTH = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 1);

/** The process trees whose CPU a phase counts (name → pid), set once the stack is up. */
const trees = {};
const SERVICES = ['postgres', 'bench'];
const STACK = ['api', 'worker', 'postgres', 'redis', 'bench'];

/**
 * Runs `worker(i, stopAt, record)` on CONCURRENCY lanes; counts only what completes after the
 * warm-up, and the CPU of the `processes` (names in `trees`) over the same span.
 */
async function measure(label, processes, worker) {
  const start = Date.now();
  const countFrom = start + WARMUP_SECONDS * 1000;
  const stopAt = countFrom + SECONDS * 1000;
  const latencies = [];
  let errors = 0;
  const record = (startedAt, ok) => {
    const now = performance.now();
    if (Date.now() < countFrom) return;
    if (ok) latencies.push(now - startedAt);
    else errors++;
  };
  // CPU read at the end of the warm-up and at the end, not sampled between: reading /proc costs this
  // script's process about 1.6 ms a time. Its own share leaves out the servers it started (its children).
  const others = Object.entries(trees).flatMap(([name, pid]) => (name === 'bench' ? [] : [pid]));
  const cpuNow = () => processes.map((name) => cpuSeconds([trees[name]], name === 'bench' ? others : []));
  let cpuFrom;
  const warm = setTimeout(() => (cpuFrom = cpuNow()), countFrom - Date.now());
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i, stopAt, record)));
  clearTimeout(warm);
  const cpuTo = cpuNow();
  latencies.sort((a, b) => a - b);
  const cpuBy = Object.fromEntries(
    processes.map((name, i) => [name, ((cpuTo[i] - cpuFrom[i]) * 1000) / Math.max(1, latencies.length + errors)]),
  );
  const result = {
    perSecond: Math.round(latencies.length / SECONDS),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    cpuMs: Object.values(cpuBy).reduce((a, b) => a + b, 0),
  };
  say(
    `${label}: ${result.perSecond}/s over ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up), p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, errors ${errors}; ${result.cpuMs.toFixed(2)} ms of CPU each (${Object.entries(
      cpuBy,
    )
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ')})`,
  );
  return result;
}

async function rawInserts(Client, databaseUrl) {
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const c = new Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }),
  );
  const data = JSON.stringify({ occurredAt: new Date().toISOString(), note: 'raw baseline row' });
  // The hash-chain columns are filled (the table requires them) but not computed: a raw row.
  const RAW_HASH = Buffer.alloc(32, 1);
  const result = await measure('raw single-row INSERTs', SERVICES, async (i, stopAt, record) => {
    const stream = randomUUID();
    for (let version = 1; Date.now() < stopAt; version++) {
      const t = performance.now();
      try {
        await clients[i].query(
          `INSERT INTO case_events (stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at, prev_hash, hash)
           VALUES ($1, $2, 'BenchRaw', $3, 'bench', 'coordinator', 'municipality:851', 'bench', 'bench', NULL, now(), CASE WHEN $2 = 1 THEN NULL ELSE $4::bytea END, $4::bytea)`,
          [stream, version, data, RAW_HASH],
        );
        record(t, true);
      } catch {
        record(t, false);
      }
    }
  });
  await Promise.all(clients.map((c) => c.end()));
  return result;
}

/** A peer's append: Emmett's `appendToStream`, one event per call, as a command appends here. */
async function emmettAppends(Client, serverUrl) {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS emmett_bench');
  await admin.query('CREATE DATABASE emmett_bench');
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = '/emmett_bench';
  const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
  const store = getPostgreSQLEventStore(url.toString());
  // Creates Emmett's tables and functions before the clock starts.
  await store.appendToStream(randomUUID(), [{ type: 'BenchWarm', data: {} }]);
  const data = {
    occurredAt: new Date().toISOString(),
    note: 'emmett baseline event',
    participants: ['municipality:851'],
  };
  const result = await measure('Emmett appendToStream', SERVICES, async (_i, stopAt, record) => {
    let stream = randomUUID();
    let version = 0n;
    while (Date.now() < stopAt) {
      const t = performance.now();
      try {
        const r = await store.appendToStream(stream, [{ type: 'BenchAppended', data }], {
          expectedStreamVersion: version === 0n ? 'STREAM_DOES_NOT_EXIST' : version,
        });
        version = r.nextExpectedStreamVersion;
        record(t, true);
      } catch {
        record(t, false);
      }
      // A new stream every CASE_LENGTH events, as the commands start a new case.
      if (version >= CASE_LENGTH) {
        stream = randomUUID();
        version = 0n;
      }
    }
  });
  await store.close();
  return result;
}

async function commands(baseUrl, token) {
  const post = poster(baseUrl, token, CONCURRENCY);
  const dueDate = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);
  const registration = {
    estimatedDueDate: dueDate,
    municipality: '851',
    referrer: { kind: 'gp' },
    substances: ['cocaine'],
  };
  // A course, as a coordinator of the responsible municipality sends it: the hand-offs once per
  // case (each opens and meets milestones), then the facts that recur (a network meeting meets
  // its milestone and opens the next one).
  const opening = [
    ['refer-to-clinic', {}],
    ['notify-municipality', {}],
    [
      'assign-coordinator',
      { coordinator: { id: 'bench', name: 'Bench Coordinator', organisation: 'municipality:851' } },
    ],
  ];
  const cycle = [
    ['record-network-meeting', { participants: ['municipality:851', 'clinic:1081'] }],
    ['record-lost-contact', { note: 'not at home' }],
    ['record-contact-restored', {}],
    ['record-consent', { scope: 'information-sharing', status: 'given' }],
    ['record-consent', { scope: 'information-sharing', status: 'withdrawn' }],
  ];
  const nth = (i) => (i < opening.length ? opening[i] : cycle[(i - opening.length) % cycle.length]);
  let unexpected = null;
  // The case each client was last on, for the reads.
  const cases = [];
  const result = await measure('commands over HTTP', STACK, async (i, stopAt, record) => {
    let caseId = null;
    let onCase = 0;
    while (Date.now() < stopAt) {
      const t = performance.now();
      const [command, body] = onCase > 0 ? nth(onCase - 1) : [];
      const { status, text } =
        caseId && onCase < CASE_LENGTH
          ? await post(`/v1/cases/${caseId}/${command}`, body)
          : await post('/v1/cases', registration);
      const ok = status === 200 || status === 201;
      if (status === 201) {
        caseId = JSON.parse(text).id;
        cases[i] = caseId;
        onCase = 0;
      }
      if (!ok) unexpected ??= `${status} ${text}`;
      record(t, ok);
      onCase++;
    }
  });
  post.close();
  if (unexpected) say(`first failed command: ${unexpected}`);
  return { ...result, cases };
}

/** Each client opens its case, as its page does: no event appended, one read recorded in the read audit. */
async function reads(baseUrl, token, cases) {
  const post = poster(baseUrl, token, CONCURRENCY);
  let unexpected = null;
  const result = await measure('reads over HTTP', STACK, async (i, stopAt, record) => {
    while (Date.now() < stopAt) {
      const t = performance.now();
      const { status, text } = await post.get(`/v1/cases/${cases[i]}`);
      if (status !== 200) unexpected ??= `${status} ${text}`;
      record(t, status === 200);
    }
  });
  post.close();
  if (unexpected) say(`first failed read: ${unexpected}`);
  return result;
}

await runBench(async (bench) => {
  say(`machine: ${machine()}; concurrency ${CONCURRENCY}`);
  trees.api = bench.start('api').pid;
  trees.worker = bench.start('worker').pid;
  await waitHealthy(bench.baseUrl);
  const token = bench.token('--role', 'coordinator', '--org', 'municipality:851', '--sub', 'bench');

  const { Client } = bench.require('pg');
  const db = new Client({ connectionString: bench.pg.url });
  await db.connect();
  const redis = new (bench.require('ioredis'))(bench.redis.url);
  ({ postmaster: trees.postgres, redis: trees.redis } = await serverPids(db, redis));
  await db.end();
  redis.disconnect();
  trees.bench = process.pid;
  const rounds = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) say(`round ${round} of ${ROUNDS}`);
    const raw = await rawInserts(Client, bench.pg.url);
    const emmett = await emmettAppends(Client, bench.pg.url);
    const cmd = await commands(bench.baseUrl, token);
    const read = await reads(bench.baseUrl, token, cmd.cases);
    rounds.push({ raw, emmett, cmd, read });
  }
  const median = (pick) => {
    const sorted = rounds.map(pick).sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 2)];
  };
  const cmdPerSecond = median((r) => r.cmd.perSecond);
  const rawPerSecond = median((r) => r.raw.perSecond);
  const emmettPerSecond = median((r) => r.emmett.perSecond);
  await printPgStats(Client, bench.pg.url);
  say(
    `RESULT commands_per_s=${cmdPerSecond} p99_ms=${median((r) => r.cmd.p99).toFixed(1)} raw_inserts_per_s=${rawPerSecond} ratio=${(cmdPerSecond / rawPerSecond).toFixed(3)} emmett_appends_per_s=${emmettPerSecond} emmett_ratio=${(cmdPerSecond / emmettPerSecond).toFixed(3)} cpu_ms_per_command=${median((r) => r.cmd.cpuMs).toFixed(2)} emmett_cpu_ms_per_append=${median((r) => r.emmett.cpuMs).toFixed(2)} reads_per_s=${median((r) => r.read.perSecond)}`,
  );
  return rounds.every((r) => r.cmd.errors === 0 && r.emmett.errors === 0 && r.read.errors === 0);
});
