#!/usr/bin/env node
// `npm start`: the whole service on this machine. Installs what is missing, builds, starts
// PostgreSQL and Redis with their data in .data/ (unless DATABASE_URL / REDIS_URL point elsewhere),
// then runs the API and the worker. Ctrl-C stops the apps, then the servers; the data stays.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { SetupError, ensureNpmDependencies, localServers, log, root } from './lib/infra.mjs';

const children = new Map();
let servers;
let stopping = false;

function run(name, env) {
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
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      log(`the ${name} stopped unexpectedly (${signal ?? `exit ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  children.set(name, child);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  log('stopping the API and the worker…');
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
  if (servers) {
    log('stopping Redis and PostgreSQL (the data stays in .data/)…');
    await servers.stop();
  }
  process.exit(code);
}

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
  // On this machine the dashboard offers the development sign-in, unless an identity provider is set.
  const devSignIn = process.env.DEV_SIGN_IN ?? (process.env.JWT_JWKS_URL ? 'false' : 'true');
  const env = { ...process.env, ...servers.env, PORT: port, DEV_SIGN_IN: devSignIn };
  run('api', env);
  run('worker', env);
  log(`dashboard at http://localhost:${port}/app — API documentation at http://localhost:${port}/docs`);
  log('a token: npm run -s token -- --role coordinator --org municipality:851 --sub alice');
  log('Ctrl-C stops everything');
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  await shutdown(1);
}
