#!/usr/bin/env node
// `npm test`: installs what is missing (npm packages; PostgreSQL, Redis and Chromium from Debian when
// root), starts a throwaway PostgreSQL and Redis, checks the formatting, types, lint
// and module boundaries, builds the apps and runs every jest project (domain, integration, system)
// against the real servers; removes the servers and their data afterwards, pass or fail.
// Arguments after `--` go to jest (`npm test -- --selectProjects domain`) and skip the static checks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  SetupError,
  ensureChromium,
  ensureNpmDependencies,
  ensureRedisServer,
  freePort,
  log,
  postgresBinDir,
  root,
  startPostgres,
  startRedis,
  tmpDir,
} from './lib/infra.mjs';

const jestArgs = process.argv.slice(2);
const focused = jestArgs.length > 0;

function step(name, cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    log(name);
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

let servers = [];
let dir;
async function cleanup() {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

let exitCode = 0;
try {
  ensureNpmDependencies();
  postgresBinDir();
  ensureRedisServer();
  const chromium = ensureChromium();
  if (!focused) {
    await step('checking the formatting', bin('prettier'), ['--check', '--log-level=warn', '.']);
    await step('type-checking', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
    await step('type-checking the dashboard', bin('tsc'), [
      '--noEmit',
      '-p',
      path.join('apps', 'dashboard', 'tsconfig.json'),
    ]);
    await step('linting', bin('eslint'), ['--max-warnings=0', '.']);
    await step('checking module boundaries', bin('depcruise'), ['--config', '.dependency-cruiser.cjs', 'apps', 'libs']);
  }
  await step('building the apps', 'node', [path.join('scripts', 'build.mjs')]);

  dir = tmpDir('pathway-test-');
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  const [pg, redis] = await Promise.all([
    startPostgres({ dataRoot: dir, port: pgPort, durable: false, logFile: path.join(dir, 'postgres.log') }),
    startRedis({
      dir: path.join(dir, 'redis'),
      port: redisPort,
      logFile: path.join(dir, 'redis.log'),
      appendfsync: 'no',
    }),
  ]);
  servers = [pg, redis];
  log(`test servers: PostgreSQL on ${pgPort}, Redis on ${redisPort} (data in ${dir})`);

  const env = {
    ...process.env,
    CHROMIUM_PATH: chromium,
    PATHWAY_TEST_PG_URL: pg.url,
    PATHWAY_TEST_REDIS_URL: redis.url,
    PATHWAY_TEST_REDIS_DIR: path.join(dir, 'redis'),
  };
  await step('running the tests', bin('jest'), ['--ci', ...jestArgs], env);
} catch (error) {
  exitCode = 1;
  log(error instanceof SetupError || error instanceof Error ? error.message : String(error));
} finally {
  await cleanup();
}
process.exit(exitCode);
