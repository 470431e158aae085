#!/usr/bin/env node
// `npm run token`, `npm run rebuild-projections`, …: runs apps/cli with the local servers of
// `npm start` (found running, or started for the command and stopped after it).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { SetupError, ensureNpmDependencies, localServers, log, root } from './lib/infra.mjs';

const [command, ...args] = process.argv.slice(2);
const needsServers = command !== 'token' && command !== undefined;

try {
  await ensureNpmDependencies();
  const build = spawnSync('node', [path.join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new SetupError('the build failed');
  const servers = needsServers
    ? await localServers()
    : { env: { DATA_DIR: process.env.DATA_DIR || path.join(root, '.data') }, stop: async () => {} };
  const child = spawn(
    'node',
    [path.join(root, 'dist', 'apps', 'cli', 'main.js'), ...(command ? [command] : []), ...args],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...servers.env },
    },
  );
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  await servers.stop();
  process.exit(code);
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
