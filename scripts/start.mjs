#!/usr/bin/env node
// `npm start`: the whole service on this machine. Installs what is missing, builds, starts
// PostgreSQL and Redis with their data in .data/ (unless DATABASE_URL / REDIS_URL point elsewhere),
// then runs the API and the worker, supervised: one that stops unexpectedly is started again with
// backoff (1 s, 2 s, 4 s … 30 s; from 1 s again after a minute of running), and that is logged.
// Ctrl-C stops the apps, then the servers; the data stays.
// Each step says what it does and how long it took; the dashboard's URL comes last, once the API
// answers /health and the worker is ready.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import {
  SetupError,
  ensureNpmDependencies,
  freePort,
  isLoopbackHost,
  localServers,
  log,
  root,
  runCommand,
  step,
} from './lib/infra.mjs';
import { supervise } from './lib/supervise.mjs';

const supervised = [];
let servers;
let stopping = false;
/** Called with each line an app writes (name, line), besides printing it. */
const lineListeners = new Set();

function run(name, env) {
  const start = () => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', name, 'main.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        process.stdout.write(`${name.padEnd(6)} | ${line}\n`);
        for (const listener of lineListeners) listener(name, line);
      });
    }
    return child;
  };
  supervised.push(supervise(name, start, { log, onConfigError: () => void shutdown(1) }));
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping the API and the worker…');
  await Promise.all(supervised.map((s) => s.stop()));
  if (servers) {
    log('stopping Redis and PostgreSQL (the data stays in .data/)…');
    await servers.stop();
  }
  process.exit(code);
}

/** 0.0.0.0 or ::: every address of this machine, loopback included. */
const isUnspecified = (host) => host === '0.0.0.0' || host === '::' || host === '[::]';

// A terminal's Ctrl-C reaches the apps too (same process group); we wait for them and then stop
// the servers, which run in their own group. A second Ctrl-C while stopping is ignored.
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `url` answers 200 (asked every 200 ms). */
async function answers(url) {
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
}

/** The worker logs "ready" (context Worker) once it runs: as a JSON line or a pretty one. */
const WORKER_READY = /"context":"Worker".*"msg":"ready"|\[Worker\] ready\b/;

/**
 * Resolves once the worker is ready: its "ready" line, when its level shows it, else its own
 * /health/ready answering.
 */
function workerReady(workerBase, logLevel) {
  if (logLevel === 'error' || logLevel === 'warn') return answers(`${workerBase}/health/ready`);
  return new Promise((resolve) => {
    const listener = (name, line) => {
      if (name !== 'worker' || !WORKER_READY.test(line)) return;
      lineListeners.delete(listener);
      resolve();
    };
    lineListeners.add(listener);
  });
}

/** A Node outside the versions package.json states (engines), which every dependency accepts: said once. */
function checkNodeVersion() {
  const manifest = path.join(root, 'package.json');
  const stated = JSON.parse(fs.readFileSync(manifest, 'utf8')).engines?.node;
  let semver;
  try {
    semver = createRequire(manifest)('semver'); // npm's range arithmetic, installed with the dev tools
  } catch {
    return;
  }
  if (stated && !semver.satisfies(process.versions.node, stated))
    log(
      `Node ${process.versions.node} is not one Pathway states (${stated} in package.json) and its dependencies ask for: it may run, but use one of those`,
    );
}

/** What starting the servers means here: those DATABASE_URL and REDIS_URL do not name are ours to start. */
function serversStep() {
  const data = process.env.DATA_DIR || '.data';
  const [pg, redis] = [!process.env.DATABASE_URL, !process.env.REDIS_URL];
  if (pg && redis) return `starting PostgreSQL and Redis (their data in ${data}/)`;
  if (pg) return `starting PostgreSQL (its data in ${data}/; Redis: REDIS_URL)`;
  if (redis) return `starting Redis (its data in ${data}/; PostgreSQL: DATABASE_URL)`;
  return 'reading the local keys (PostgreSQL and Redis: DATABASE_URL and REDIS_URL)';
}

try {
  await ensureNpmDependencies();
  checkNodeVersion();
  await step('building the apps and the web page, where their sources changed', async () => {
    const code = await runCommand(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
    if (code !== 0) throw new SetupError('the build failed (see above)');
  });
  servers = await step(serversStep(), () => localServers());
  const port = process.env.PORT || '3000';
  // The API listens on this machine only unless HOST says otherwise (the API's own default too).
  const host = process.env.HOST || '127.0.0.1';
  // On this machine the dashboard offers the development sign-in, unless an identity provider is
  // set; never where others reach the API or in production (the API would refuse to start).
  const exposed = !isLoopbackHost(host) || process.env.NODE_ENV === 'production';
  let devSignIn = process.env.DEV_SIGN_IN;
  if (devSignIn === undefined || devSignIn === '') {
    devSignIn = process.env.JWT_JWKS_URL || exposed ? 'false' : 'true';
    if (exposed && !process.env.JWT_JWKS_URL)
      log(
        `the development sign-in is off: ${process.env.NODE_ENV === 'production' ? 'NODE_ENV=production' : `HOST=${host} lets others reach the API`} (get a token with \`npm run token\`)`,
      );
  }
  // The worker's own HTTP port (health, for a supervisor or load balancer): WORKER_PORT, or a free one.
  const workerPort = process.env.WORKER_PORT || String(await freePort());
  // The apps write JSON lines; a person at a terminal reads them better as single readable lines. Their
  // output comes through our pipe, so they cannot tell that a terminal is at the end of it.
  const logFormat = process.env.LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json');
  const base = `http://${isUnspecified(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  const env = {
    ...process.env,
    ...servers.env,
    HOST: host,
    PORT: port,
    DEV_SIGN_IN: devSignIn,
    LOG_FORMAT: logFormat,
    // The links in alerts lead to this service, on whatever port it runs.
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || base,
  };
  const workerBase = base.replace(/:\d+$/, `:${workerPort}`);
  await step('starting the API (it migrates the database first) and the worker', () => {
    const ready = workerReady(workerBase, process.env.LOG_LEVEL);
    run('api', env);
    run('worker', { ...env, WORKER_PORT: workerPort });
    return Promise.all([answers(`${base}/health`), ready]);
  });
  log(`API documentation at ${base}/docs`);
  log(
    `health: ${base}/health/live and ${base}/health/ready; the worker's: ${workerBase}/health/ready (WORKER_PORT=${workerPort})`,
  );
  log('a token: npm run -s token -- --role coordinator --org municipality:851 --sub alice');
  log('Ctrl-C stops everything');
  // Last, so that it is the line in view: Nest's route lines are at debug (LOG_LEVEL=debug shows them).
  log(`the dashboard: ${base}/app`);
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  await shutdown(1);
}
