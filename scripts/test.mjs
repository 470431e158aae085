#!/usr/bin/env node
// `npm test`: installs what is missing (npm packages; PostgreSQL, Redis and Chromium from Debian when
// root), checks the formatting, then type-checks, lints and checks module boundaries while it builds
// the apps and starts a throwaway PostgreSQL and Redis, and runs every jest project (unit,
// integration, system) against the real servers, several test files at a time; removes the servers
// and their data afterwards, pass or fail.
// Arguments after `--` go to jest (`npm test -- --selectProjects unit`) and skip the static checks.
//
// `npm run test:calendar` (--calendar): the system tests whose expectations involve the calendar,
// once per hard instant (PATHWAY_TEST_NOW: the apps, the browser and the expectations start there).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

/** Instants that break expectations which assume an ordinary weekday afternoon (Copenhagen time). */
const CALENDAR = [
  ['a Friday, 23:30', '2027-02-05T22:30:00.000Z'],
  ['the night summer time ends, 02:45 CEST (the hour that comes twice)', '2027-10-31T00:45:00.000Z'],
  ["New Year's Eve, 23:30", '2026-12-31T22:30:00.000Z'],
  ['Maundy Thursday, 14:00 (five days of Easter holidays ahead)', '2027-03-25T13:00:00.000Z'],
];
/** The system tests whose expectations involve due dates, working days, gestational weeks, years or the clock. */
const CALENDAR_TESTS = ['api', 'audit', 'case-actions', 'courses', 'dashboard', 'error-contract', 'timers'].map(
  (name) => `test/system/${name}.e2e-spec.ts`,
);

const calendar = process.argv[2] === '--calendar';
const jestArgs = process.argv.slice(calendar ? 3 : 2);
const focused = calendar || jestArgs.length > 0;
/**
 * Test files run side by side: most of a system test's time is spent waiting for real timers, so
 * more files than cores keep the cores busy (PATHWAY_TEST_WORKERS overrides).
 */
const workers = process.env.PATHWAY_TEST_WORKERS ?? String(Math.max(2, os.cpus().length + 1));

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs a command with its output on ours; rejects unless it exits 0. */
function run(name, cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    log(name);
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Runs a command beside others: its output is held and shown once it ends, so outputs do not interleave. */
function runBeside(name, cmd, args) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code, signal) => {
      log(`${name}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (output.trim()) process.stderr.write(`${output.trimEnd()}\n`);
      if (code === 0) resolve();
      else reject(new Error(`${name} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Every promise settled; the first failure, if any, thrown after all have ended. */
async function all(promises) {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => r.value);
}

let servers = [];
let dir;
async function cleanup() {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

async function startServers() {
  dir = tmpDir('pathway-test-');
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  servers = await all([
    startPostgres({ dataRoot: dir, port: pgPort, durable: false, logFile: path.join(dir, 'postgres.log') }),
    startRedis({
      dataRoot: dir,
      port: redisPort,
      logFile: path.join(dir, 'redis.log'),
      appendfsync: 'no',
    }),
  ]);
  log(`test servers: PostgreSQL on ${pgPort}, Redis on ${redisPort} (data in ${dir})`);
  const [pg, redis] = servers;
  return {
    PATHWAY_TEST_PG_URL: pg.url,
    PATHWAY_TEST_REDIS_URL: redis.url,
    // For tests that need a PostgreSQL of their own (test/support/postgres-server.ts).
    PATHWAY_TEST_PG_BIN: postgresBinDir(),
  };
}

const build = () => runBeside('building the apps', 'node', [path.join('scripts', 'build.mjs')]);

let exitCode = 0;
try {
  await ensureNpmDependencies();
  postgresBinDir();
  ensureRedisServer();
  const chromium = ensureChromium();
  let serverEnv;
  if (focused) {
    [, serverEnv] = await all([build(), startServers()]);
  } else {
    // The formatting first: a diff in it is the cheapest failure to find.
    await run('checking the formatting', bin('prettier'), ['--check', '--log-level=warn', '.']);
    await run("checking the README's table of who sees what", 'node', [
      path.join('scripts', 'docs-disclosure.mjs'),
      '--check',
    ]);
    log('type-checking, linting, checking module boundaries, building and starting the test servers, side by side…');
    [, , , , , serverEnv] = await all([
      runBeside('type-checking', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']),
      runBeside('type-checking the dashboard', bin('tsc'), [
        '--noEmit',
        '-p',
        path.join('apps', 'dashboard', 'tsconfig.json'),
      ]),
      runBeside('linting', bin('eslint'), ['--max-warnings=0', '.']),
      runBeside('checking module boundaries', bin('depcruise'), [
        '--config',
        '.dependency-cruiser.cjs',
        'apps',
        'libs',
      ]),
      build(),
      startServers(),
    ]);
  }
  const env = { ...process.env, CHROMIUM_PATH: chromium, ...serverEnv };
  const jest = (extra, name, runEnv = env) =>
    run(name, bin('jest'), ['--ci', `--maxWorkers=${workers}`, ...extra, ...jestArgs], runEnv);
  if (calendar) {
    for (const [name, instant] of CALENDAR)
      await jest(CALENDAR_TESTS, `the calendar tests at ${instant}: ${name}`, {
        ...env,
        PATHWAY_TEST_NOW: instant,
      });
  } else {
    await jest([], 'running the tests');
  }
} catch (error) {
  exitCode = 1;
  log(error instanceof SetupError || error instanceof Error ? error.message : String(error));
} finally {
  await cleanup();
}
process.exit(exitCode);
