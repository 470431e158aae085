#!/usr/bin/env node
// npm run bench:outage — two APIs and two workers on one PostgreSQL and one Redis, under steady load,
// through a 10 s PostgreSQL outage (fast shutdown: every client is cut off with 57P01).
//
// Load: deadlines falling due at BENCH_OUTAGE_RATE per second (default 25) for 40 s (one per case,
// policy bench/policies/timers.json, the registration backdated to place it), and command clients
// (BENCH_OUTAGE_CLIENTS, default 4) registering cases with an Idempotency-Key each, alternating
// between the two APIs and retrying a failed command (no answer, 5xx, 429) on the other with the
// same key until answered. PostgreSQL stops 10 s into the window and starts again 10 s later.
//
// commands_lost: commands whose key has no event; timers_lost: deadlines of the window without a
// breach event 30 s after the last came due; duplicated: commands applied twice plus breaches fired
// twice; recovery_s: from PostgreSQL's return until every deadline due before it had fired.
// Last line: RESULT commands_lost=… timers_lost=… duplicated=… recovery_s=…
import path from 'node:path';
import { freePort } from '../scripts/lib/infra.mjs';
import { machine, poster, registerDue, root, runBench, say, sleep, waitHealthy } from '../scripts/lib/harness.mjs';

const RATE = Number(process.env.BENCH_OUTAGE_RATE ?? 25);
const CLIENTS = Number(process.env.BENCH_OUTAGE_CLIENTS ?? 4);
const WINDOW_MS = 40_000;
const OUTAGE_AT_MS = 10_000;
const OUTAGE_MS = 10_000;
const SIX_HOURS = 6 * 3600_000;
const RETRY_MS = 200;

await runBench(async (bench) => {
  const { Client } = bench.require('pg');
  const timers = Math.round((RATE * WINDOW_MS) / 1000);
  say(
    `machine: ${machine()}; 2 APIs, 2 workers; ${timers} deadlines due at ${RATE}/s over ${WINDOW_MS / 1000} s, ${CLIENTS} command clients; PostgreSQL down ${OUTAGE_MS / 1000} s from ${OUTAGE_AT_MS / 1000} s into the window`,
  );
  const env = { PATHWAY_POLICY_FILE: path.join(root, 'bench', 'policies', 'timers.json') };
  const secondPort = await freePort();
  const apis = [bench.baseUrl, `http://127.0.0.1:${secondPort}`];
  bench.start('api', env);
  bench.start('api', { ...env, PORT: String(secondPort) });
  const workers = [bench.start('worker', env), bench.start('worker', env)];
  const exits = [];
  workers.forEach((w, i) => w.once('exit', (code, signal) => exits.push(`worker ${i + 1}: ${signal ?? code}`)));
  await Promise.all(apis.map(waitHealthy));

  const token = bench.token('--role', 'referrer', '--org', 'gp:bench', '--sub', 'bench');
  const posts = apis.map((url) => poster(url, token, CLIENTS + 4));
  const t0 = Date.now() + 20_000;
  const dues = Array.from({ length: timers }, (_, i) => t0 + (i * 1000) / RATE);
  const ids = await registerDue(posts[0], dues, SIX_HOURS, 'the deadlines of the window');

  // The command clients: each command to the next API in turn, again on the next until answered.
  const keys = [];
  let turn = 0;
  let retries = 0;
  /** What the retried attempts got: status codes, or `no answer`. */
  const retriedOn = {};
  let running = true;
  const body = () => ({
    estimatedDueDate: new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10),
    municipality: '851',
    referrer: { kind: 'gp' },
    substances: ['alcohol'],
  });
  const send = async (key) => {
    const command = body();
    for (;;) {
      const res = await posts[turn++ % posts.length]('/v1/cases', command, { 'idempotency-key': key }).catch(
        () => null,
      );
      if (res && res.status < 500 && res.status !== 429) {
        if (res.status !== 201) throw new Error(`${key} → ${res.status} ${res.text}`);
        return;
      }
      retries++;
      const why = res ? String(res.status) : 'no answer';
      retriedOn[why] = (retriedOn[why] ?? 0) + 1;
      await sleep(RETRY_MS);
    }
  };
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let n = 0; running; n++) {
      const key = `outage-${c}-${n}`;
      keys.push(key);
      await send(key);
      await sleep(50);
    }
  });

  const connect = async () => {
    const client = new Client({ connectionString: bench.pg.url });
    client.on('error', () => undefined); // the outage cuts it off: its queries fail, nothing more
    await client.connect();
    return client;
  };
  const unfired = async (db, before) =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM milestones m WHERE m.case_id = ANY($1::uuid[]) AND m.due_at <= $2
         AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.stream_id = m.case_id AND e.type = 'MilestoneBreached')`,
        [ids, before],
      )
    ).rows[0].n;
  await sleep(Math.max(0, t0 + OUTAGE_AT_MS - Date.now()));
  const db = await connect();
  const late = await unfired(db, new Date());
  await db.end();
  say(`${late} deadlines not yet fired at the outage; PostgreSQL stops (fast shutdown)…`);
  await bench.stopPostgres();
  const downAt = Date.now();
  await sleep(OUTAGE_MS);
  await bench.restartPostgres();
  const upAt = new Date();
  say(`PostgreSQL back after ${((upAt.getTime() - downAt) / 1000).toFixed(1)} s`);

  const pg = await connect();
  let recovery = NaN;
  const overdue = await unfired(pg, upAt);
  for (;;) {
    const left = await unfired(pg, upAt);
    if (left === 0) {
      recovery = (Date.now() - upAt.getTime()) / 1000;
      break;
    }
    if (Date.now() - upAt.getTime() > 120_000) break;
    await sleep(100);
  }
  say(
    `${overdue} deadlines overdue at PostgreSQL's return; ${Number.isNaN(recovery) ? 'not all fired within 120 s' : `all fired ${recovery.toFixed(1)} s after it`}`,
  );

  await sleep(Math.max(0, t0 + WINDOW_MS - Date.now()));
  running = false;
  await Promise.all(clients);
  const until = t0 + WINDOW_MS + 30_000;
  const breaches = async () =>
    (
      await pg.query(
        `SELECT count(DISTINCT stream_id)::int AS fired, count(*)::int AS events FROM case_events WHERE stream_id = ANY($1::uuid[]) AND type = 'MilestoneBreached'`,
        [ids],
      )
    ).rows[0];
  let fired = await breaches();
  while (fired.fired < ids.length && Date.now() < until) {
    await sleep(500);
    fired = await breaches();
  }
  const { rows } = await pg.query(
    `SELECT count(DISTINCT idempotency_key)::int AS applied, count(*)::int AS events FROM case_events WHERE idempotency_key = ANY($1) AND type = 'ConcernRegistered'`,
    [keys],
  );
  await pg.end();
  posts.forEach((p) => p.close());

  const commandsLost = keys.length - rows[0].applied;
  const timersLost = ids.length - fired.fired;
  const duplicated = rows[0].events - rows[0].applied + (fired.events - fired.fired);
  const answers = Object.entries(retriedOn)
    .map(([why, n]) => `${why} ${n}`)
    .join(', ');
  say(
    `commands: expected=${keys.length} applied=${rows[0].applied} lost=${commandsLost} duplicated=${rows[0].events - rows[0].applied} (retried on the other API ${retries} times: ${answers || 'none'})`,
  );
  say(
    `timers: expected=${ids.length} fired=${fired.fired} lost=${timersLost} duplicated=${fired.events - fired.fired}`,
  );
  say(`workers: ${exits.length ? `exited (${exits.join(', ')})` : 'both ran throughout'}`);
  say(
    `RESULT commands_lost=${commandsLost} timers_lost=${timersLost} duplicated=${duplicated} recovery_s=${Number.isNaN(recovery) ? 'none' : recovery.toFixed(1)}`,
  );
  return commandsLost === 0 && timersLost === 0 && duplicated === 0 && recovery < 10 && exits.length === 0;
});
