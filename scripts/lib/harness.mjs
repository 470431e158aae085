// Shared by the benchmarks and the demo: their own servers, the built apps, tokens, and a keep-alive HTTP client.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureNpmDependencies, freePort, root, startPostgres, startRedis, tmpDir } from './infra.mjs';

export { root };
export const say = (line) => process.stdout.write(`${line}\n`);
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function machine() {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** A process's parent and CPU ticks from /proc/<pid>/stat (see cpuSeconds), or null when it is gone. */
function processStat(pid) {
  let stat;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name, in parentheses, may hold spaces: the fields start after its last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

const parentPid = (pid) => processStat(pid)?.ppid;

/**
 * The servers' processes, for cpuSeconds: `db`'s backend (a connected pg client), the postmaster
 * above it, and the Redis server `redis` (an ioredis client) runs in.
 */
export async function serverPids(db, redis) {
  const backend = (await db.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const redisServer = Number(/process_id:(\d+)/.exec(await redis.info('server'))[1]);
  return { backend, postmaster: parentPid(backend), redis: redisServer };
}

/**
 * CPU seconds used so far by the process trees rooted at `pids`, from /proc/<pid>/stat: for each
 * process in them, utime + stime (all its threads) + cutime + cstime (its children that have exited
 * and been waited for, so that a child's time is not lost when it exits). The processes in `except`
 * (and theirs) are left out, e.g. the backend of the benchmark's own connection.
 */
export function cpuSeconds(pids, except = []) {
  const procs = new Map();
  for (const name of fs.readdirSync('/proc')) {
    const stat = /^\d+$/.test(name) && processStat(name);
    if (stat) procs.set(Number(name), stat);
  }
  const children = new Map();
  for (const [pid, { ppid }] of procs) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const skip = new Set(except);
  let ticks = 0;
  const visit = (pid) => {
    if (skip.has(pid) || !procs.has(pid)) return;
    ticks += procs.get(pid).ticks;
    for (const child of children.get(pid) ?? []) visit(child);
  };
  for (const pid of new Set(pids)) visit(pid);
  return ticks / CLOCK_TICKS;
}

/**
 * cpuSeconds(pids, except) every `everyMs` from now until stop(); at(t) is the figure at time t
 * (ms since the epoch), interpolated between the samples around it.
 */
export function cpuSampler(pids, except = [], everyMs = 100) {
  const samples = [];
  const take = () => samples.push([Date.now(), cpuSeconds(pids, except)]);
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
    },
    at(t) {
      const i = samples.findIndex(([time]) => time >= t);
      if (i <= 0) return samples[i === 0 ? 0 : samples.length - 1][1];
      const [[t0, c0], [t1, c1]] = [samples[i - 1], samples[i]];
      return c0 + ((c1 - c0) * (t - t0)) / (t1 - t0);
    },
  };
}

const PRELOAD = 'shared_preload_libraries=';

/**
 * The benchmark cluster's extra settings. BENCH_PG_STATS=1 loads pg_stat_statements, to see where
 * PostgreSQL spends its time (printPgStats); BENCH_PG_SETTINGS="name=value …" adds more, to try one.
 * The libraries both ask to preload are loaded together: a second shared_preload_libraries would
 * replace the first.
 */
export function benchPgSettings(env) {
  const settings = [
    ...(env.BENCH_PG_STATS ? [`${PRELOAD}pg_stat_statements`, 'pg_stat_statements.track=all'] : []),
    ...(env.BENCH_PG_SETTINGS ?? '').split(' ').filter(Boolean),
  ];
  const libraries = settings
    .filter((s) => s.startsWith(PRELOAD))
    .flatMap((s) => s.slice(PRELOAD.length).split(','))
    .filter(Boolean);
  return [
    ...settings.filter((s) => !s.startsWith(PRELOAD)),
    ...(libraries.length > 0 ? [PRELOAD + [...new Set(libraries)].join(',')] : []),
  ];
}

/** Installs, builds, starts a durable PostgreSQL and a Redis in a temporary directory. */
export async function startStack() {
  await ensureNpmDependencies();
  const require = createRequire(path.join(root, 'package.json'));
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('build failed');
  // BENCH_DATA_DIR: servers on that directory's data, kept afterwards (a large data set seeded once, measured again).
  const dir = process.env.BENCH_DATA_DIR ?? tmpDir('pathway-bench-');
  fs.mkdirSync(dir, { recursive: true });
  const stops = [];
  const pgOptions = {
    dataRoot: dir,
    port: await freePort(),
    durable: true,
    logFile: path.join(dir, 'postgres.log'),
    settings: benchPgSettings(process.env),
  };
  let pg = await startPostgres(pgOptions);
  // The PostgreSQL running at the end (bench:outage stops it and starts it again).
  stops.push(() => pg.stop());
  const redis = await startRedis({
    dataRoot: dir,
    port: await freePort(),
    logFile: path.join(dir, 'redis.log'),
  });
  stops.push(redis.stop);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    CPR_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    CPR_INDEX_KEY: Buffer.alloc(32, 8).toString('base64'),
    LOG_LEVEL: 'warn',
    // A benchmark drives thousands of requests a second from one subject and one address: the
    // abuse limits still count (their cost is measured) but are never reached.
    RATE_LIMIT_PER_SUBJECT: '1000000000',
    RATE_LIMIT_PER_ADDRESS: '1000000000',
  };
  /** Starts a Node script with the apps' env and extra env; stopped (SIGTERM, then awaited) with the stack. */
  const startScript = (file, extraEnv = {}, nodeArgs = []) => {
    const child = spawn(process.execPath, [...nodeArgs, file], {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: 'inherit',
    });
    // One that has already exited (with a code, or killed by a signal) has nothing more to say.
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    stops.push(() => new Promise((r) => (exited() ? r() : (child.once('exit', r), child.kill('SIGTERM')))));
    return child;
  };
  return {
    require,
    dir,
    get pg() {
      return pg;
    },
    /** A fast shutdown of PostgreSQL (clients are cut off), e.g. for an outage. */
    stopPostgres: () => pg.stop(),
    /** Starts PostgreSQL again on the same port and data, and waits until it answers. */
    async restartPostgres() {
      pg = await startPostgres(pgOptions);
    },
    redis,
    env,
    baseUrl: `http://127.0.0.1:${port}`,
    /** Starts an app of dist/apps (api, worker) with extra env; BENCH_API_NODE_ARGS / BENCH_WORKER_NODE_ARGS go to its node (e.g. --cpu-prof). */
    start(name, extraEnv = {}) {
      const nodeArgs = (process.env[`BENCH_${name.toUpperCase()}_NODE_ARGS`] ?? '').split(' ').filter(Boolean);
      return startScript(path.join(root, 'dist', 'apps', name, 'main.js'), extraEnv, nodeArgs);
    },
    startScript,
    token(...args) {
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'apps', 'cli', 'main.js'), 'token', ...args], {
        cwd: root,
        env,
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout.trim();
    },
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/**
 * Runs a benchmark on its own servers (startStack), then stops them, removes their data (unless
 * BENCH_KEEP_DATA or BENCH_DATA_DIR is set: 100,000 synthetic cases leave about 15 GB) and exits: 0
 * when `body` returns true, 1 when it returns false or throws.
 */
export async function runBench(body) {
  const bench = await startStack();
  let ok = false;
  try {
    ok = await body(bench);
  } catch (error) {
    say(`bench failed: ${error instanceof Error ? error.stack : error}`);
  } finally {
    await bench.stop();
    if (process.env.BENCH_KEEP_DATA || process.env.BENCH_DATA_DIR) say(`data kept in ${bench.dir}`);
    else fs.rmSync(bench.dir, { recursive: true, force: true });
  }
  process.exit(ok ? 0 : 1);
}

export async function waitHealthy(baseUrl) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error('the API did not become healthy');
}

/**
 * A keep-alive JSON POST client for one token (with extra headers per request, e.g. an
 * Idempotency-Key); `post.get(urlPath)` sends a GET with the same token and sockets.
 */
export function poster(baseUrl, token, sockets = 16) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(baseUrl);
  const send = (method, urlPath, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          agent,
          hostname,
          port,
          path: urlPath,
          method,
          headers: {
            ...headers,
            authorization: `Bearer ${token}`,
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const post = (urlPath, body, headers) => send('POST', urlPath, body, headers);
  post.get = (urlPath) => send('GET', urlPath);
  post.close = () => agent.destroy();
  return post;
}

/**
 * Registers one case per due time over HTTP, `concurrency` at a time, for a policy whose one
 * deadline falls `deadlineMs` after the registration (bench/policies/timers.json: 6 h): each
 * registration is backdated so that its deadline falls at its due time. Returns the case ids in order.
 */
export async function registerDue(post, dues, deadlineMs, label, concurrency = 16) {
  const dueDate = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);
  const ids = new Array(dues.length);
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < dues.length) {
        const i = next++;
        const body = {
          estimatedDueDate: dueDate,
          municipality: '851',
          referrer: { kind: 'gp' },
          substances: ['alcohol'],
          occurredAt: new Date(dues[i] - deadlineMs).toISOString(),
        };
        const res = await post('/v1/cases', body);
        if (res.status !== 201) throw new Error(`registration → ${res.status} ${res.text}`);
        ids[i] = JSON.parse(res.text).id;
      }
    }),
  );
  say(`registered ${dues.length} (${label}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ids;
}

/** With BENCH_PG_STATS=1: the statements that took most of PostgreSQL's time. */
export async function printPgStats(Client, url) {
  if (!process.env.BENCH_PG_STATS) return;
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await db.query(
      `SELECT calls, round(total_exec_time::numeric) AS ms, round((total_exec_time / calls)::numeric, 3) AS ms_per_call, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
     FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`,
    );
    for (const r of rows)
      say(
        `pg: ${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(8)} calls ${String(r.ms_per_call).padStart(8)} ms/call  ${r.query}`,
      );
    const { rows: tables } = await db.query(
      `SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE n_tup_upd > 0 ORDER BY n_tup_upd DESC`,
    );
    for (const t of tables) say(`pg: ${t.relname}: ${t.n_tup_upd} updates, ${t.n_tup_hot_upd} of them HOT`);
  } finally {
    await db.end();
  }
}
