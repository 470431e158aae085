#!/usr/bin/env node
// Builds the apps (`nest build`, the stale ones in one run) and the dashboard (vite, into dist/dashboard, served by the
// API under /app), each unless its output is newer than every source file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/infra.mjs';

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

if (stale.length > 0) {
  // One webpack process for all of them (scripts/webpack.config.js: no type check per app).
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'nest'), ['build', ...stale], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // webpack leaves an unchanged bundle untouched; mark it current so the next run skips it.
  const now = new Date();
  for (const app of stale) fs.utimesSync(path.join(root, 'dist', 'apps', app, 'main.js'), now, now);
}

const dashboard = path.join(root, 'dist', 'dashboard', 'index.html');
if (isStale(dashboard, Math.max(...DASHBOARD_SOURCES.map(newest)))) {
  const r = spawnSync(
    path.join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--config', path.join('apps', 'dashboard', 'vite.config.mts'), '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
