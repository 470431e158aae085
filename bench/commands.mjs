#!/usr/bin/env node
// npm run bench:commands — commands per second over HTTP against a raw baseline, in one run.
//
// Starts its own PostgreSQL (durable, as `npm start` runs it) and Redis, builds and starts the API
// and the worker, then measures at the same concurrency (16):
//   raw:      single-row INSERTs into case_events through `pg` (one round trip, one commit each);
//   commands: HTTP clients, each on its own cases, sending a cycle of valid commands (a new case,
//             i.e. register-concern, every CASE_LENGTH commands).
// Prints figures as it goes; the last line is
//   RESULT commands_per_s=<n> p99_ms=<n> raw_inserts_per_s=<n> ratio=<commands/raw>
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureNpmDependencies, freePort, root, startPostgres, startRedis, tmpDir } from '../scripts/lib/infra.mjs';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 16);
const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const WARMUP_SECONDS = 3;
const CASE_LENGTH = 40;

ensureNpmDependencies();
const require = createRequire(path.join(root, 'package.json'));
const { Client } = require('pg');

const say = (line) => process.stdout.write(`${line}\n`);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function build() {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('build failed');
}

function cli(env, ...args) {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'apps', 'cli', 'main.js'), ...args], { cwd: root, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

async function waitHealthy(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the API did not become healthy');
}

/** Runs `worker(i, stopAt, record)` on CONCURRENCY lanes; counts only what completes after the warm-up. */
async function measure(label, worker) {
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
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i, stopAt, record)));
  latencies.sort((a, b) => a - b);
  const result = {
    perSecond: Math.round(latencies.length / SECONDS),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
  say(`${label}: ${result.perSecond}/s over ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up), p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, errors ${errors}`);
  return result;
}

async function rawInserts(databaseUrl) {
  const clients = await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    const c = new Client({ connectionString: databaseUrl });
    await c.connect();
    return c;
  }));
  const data = JSON.stringify({ occurredAt: new Date().toISOString(), note: 'raw baseline row' });
  const result = await measure('raw single-row INSERTs', async (i, stopAt, record) => {
    const stream = randomUUID();
    for (let version = 1; Date.now() < stopAt; version++) {
      const t = performance.now();
      try {
        await clients[i].query(
          `INSERT INTO case_events (stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at)
           VALUES ($1, $2, 'BenchRaw', $3, 'bench', 'coordinator', 'municipality:851', 'bench', 'bench', NULL, now())`,
          [stream, version, data],
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

async function commands(baseUrl, token) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(baseUrl);
  const post = (urlPath, body) =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        { agent, hostname, port, path: urlPath, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const dueDate = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);
  const registration = { estimatedDueDate: dueDate, municipality: '851', referrer: { kind: 'gp' }, substances: ['cocaine'] };
  // Valid in a loop for a coordinator of the responsible municipality.
  const cycle = [
    ['record-network-meeting', { participants: ['municipality:851', 'clinic:1081'] }],
    ['record-lost-contact', { note: 'not at home' }],
    ['record-contact-restored', {}],
    ['record-consent', { scope: 'information-sharing', status: 'given' }],
    ['notify-municipality', {}],
    ['record-consent', { scope: 'information-sharing', status: 'withdrawn' }],
  ];
  let unexpected = null;
  const result = await measure('commands over HTTP', async (_i, stopAt, record) => {
    let caseId = null;
    let onCase = 0;
    while (Date.now() < stopAt) {
      const t = performance.now();
      const [command, body] = cycle[(onCase - 1) % cycle.length] ?? [];
      const { status, text } = caseId && onCase < CASE_LENGTH ? await post(`/v1/cases/${caseId}/${command}`, body) : await post('/v1/cases', registration);
      const ok = status === 200 || status === 201;
      if (status === 201) {
        caseId = JSON.parse(text).id;
        onCase = 0;
      }
      if (!ok) unexpected ??= `${status} ${text}`;
      record(t, ok);
      onCase++;
    }
  });
  agent.destroy();
  if (unexpected) say(`first failed command: ${unexpected}`);
  return result;
}

const dir = tmpDir('pathway-bench-');
const stops = [];
let exitCode = 0;
try {
  say(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; concurrency ${CONCURRENCY}`);
  build();
  const pg = await startPostgres({ dataRoot: dir, port: await freePort(), durable: true, logFile: path.join(dir, 'postgres.log') });
  stops.push(pg.stop);
  const redis = await startRedis({ dir: path.join(dir, 'redis'), port: await freePort(), logFile: path.join(dir, 'redis.log') });
  stops.push(redis.stop);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH, DATABASE_URL: pg.url, REDIS_URL: redis.url, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1',
    CPR_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'warn',
  };
  // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API.
  const apiArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const apps = ['api', 'worker'].map((name) =>
    spawn(process.execPath, [...(name === 'api' ? apiArgs : []), path.join(root, 'dist', 'apps', name, 'main.js')], { cwd: root, env, stdio: 'inherit' }),
  );
  stops.push(() => Promise.all(apps.map((a) => new Promise((r) => (a.exitCode !== null ? r() : (a.once('exit', r), a.kill('SIGTERM')))))));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl);
  const token = cli(env, 'token', '--role', 'coordinator', '--org', 'municipality:851', '--sub', 'bench');

  const raw = await rawInserts(pg.url);
  const cmd = await commands(baseUrl, token);
  if (cmd.errors > 0) exitCode = 1;
  const ratio = cmd.perSecond / raw.perSecond;
  say(`RESULT commands_per_s=${cmd.perSecond} p99_ms=${cmd.p99.toFixed(1)} raw_inserts_per_s=${raw.perSecond} ratio=${ratio.toFixed(3)}`);
} catch (error) {
  exitCode = 1;
  say(`bench failed: ${error instanceof Error ? error.stack : error}`);
} finally {
  for (const stop of stops.reverse()) await stop();
}
process.exit(exitCode);
