#!/usr/bin/env node
// `npm start`: the whole service on this machine. Installs what is missing, builds, starts
// PostgreSQL and Redis with their data in .data/ (unless DATABASE_URL / REDIS_URL point elsewhere),
// then runs the API and the worker, supervised: one that stops unexpectedly is started again with
// backoff (1 s, 2 s, 4 s … 30 s; from 1 s again after a minute of running), and that is logged.
// Ctrl-C stops the apps, then the servers; the data stays.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { SetupError, ensureNpmDependencies, freePort, isLoopbackHost, localServers, log, root } from './lib/infra.mjs';
import { supervise } from './lib/supervise.mjs';

const supervised = [];
let servers;
let stopping = false;

function run(name, env) {
  const start = () => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'apps', name, 'main.js')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) {
      readline
        .createInterface({ input: stream })
        .on('line', (line) => process.stdout.write(`${name.padEnd(6)} | ${line}\n`));
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

try {
  ensureNpmDependencies();
  log('building…');
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new SetupError('the build failed (see above)');
  servers = await localServers();
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
  const env = { ...process.env, ...servers.env, HOST: host, PORT: port, DEV_SIGN_IN: devSignIn, LOG_FORMAT: logFormat };
  run('api', env);
  run('worker', { ...env, WORKER_PORT: workerPort });
  const base = `http://${isUnspecified(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  log(`dashboard at ${base}/app — API documentation at ${base}/docs`);
  log(
    `health: ${base}/health/live and ${base}/health/ready; the worker's: ${base.replace(/:\d+$/, `:${workerPort}`)}/health/ready (WORKER_PORT=${workerPort})`,
  );
  log('a token: npm run -s token -- --role coordinator --org municipality:851 --sub alice');
  log('Ctrl-C stops everything');
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  await shutdown(1);
}
