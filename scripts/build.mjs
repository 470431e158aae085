#!/usr/bin/env node
// Builds the apps (`nest build`, the stale ones in one run) and the dashboard (vite, into dist/dashboard, served by the
// API under /app), each unless its output is newer than every source file. Each build it runs is a named step with how
// long it took (scripts/lib/infra.mjs step); nothing is said of what is up to date.
import fs from 'node:fs';
import path from 'node:path';
import { log, root, runCommand, step } from './lib/infra.mjs';

const APPS = ['api', 'worker', 'cli'];
const SOURCES = ['apps', 'libs', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];
const DASHBOARD_SOURCES = ['apps/dashboard', 'package-lock.json'];

function newest(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(full).reduce((max, child) => Math.max(max, newest(path.join(entry, child))), stat.mtimeMs);
}

const sourceTime = Math.max(...SOURCES.map(newest));
const isStale = (output, time) => !fs.existsSync(output) || fs.statSync(output).mtimeMs < time;
const stale = APPS.filter((app) => isStale(path.join(root, 'dist', 'apps', app, 'main.js'), sourceTime));

const NAMES = { api: 'the API', worker: 'the worker', cli: 'the command line' };
const names = (apps) =>
  apps
    .map((app) => NAMES[app])
    .join(', ')
    .replace(/, ([^,]*)$/, ' and $1');

/** Runs a build command as a step; exits with its code when it fails. */
async function build(what, cmd, args) {
  let code = 0;
  await step(what, async () => {
    code = await runCommand(cmd, args);
    if (code !== 0) throw new Error(`${what} failed`);
  }).catch((error) => {
    log(`${error.message} (see above)`);
    process.exit(code || 1);
  });
}

if (stale.length > 0) {
  // One webpack process for all of them (scripts/webpack.config.js: no type check per app).
  await build(`building ${names(stale)} (nest build)`, path.join(root, 'node_modules', '.bin', 'nest'), [
    'build',
    ...stale,
  ]);
  // webpack leaves an unchanged bundle untouched; mark it current so the next run skips it.
  const now = new Date();
  for (const app of stale) fs.utimesSync(path.join(root, 'dist', 'apps', app, 'main.js'), now, now);
}

const dashboard = path.join(root, 'dist', 'dashboard', 'index.html');
if (isStale(dashboard, Math.max(...DASHBOARD_SOURCES.map(newest)))) {
  await build('building the web page (vite)', path.join(root, 'node_modules', '.bin', 'vite'), [
    'build',
    '--config',
    path.join('apps', 'dashboard', 'vite.config.mts'),
    '--logLevel',
    'warn',
  ]);
}
