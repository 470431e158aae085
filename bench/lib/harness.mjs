// Shared by the benchmarks: their own servers, the built apps, tokens, and a keep-alive HTTP client.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureNpmDependencies, freePort, root, startPostgres, startRedis, tmpDir } from '../../scripts/lib/infra.mjs';

export { root };
export const say = (line) => process.stdout.write(`${line}\n`);
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function machine() {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Installs, builds, starts a durable PostgreSQL and a Redis in a temporary directory. */
export async function startBench() {
  ensureNpmDependencies();
  const require = createRequire(path.join(root, 'package.json'));
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('build failed');
  const dir = tmpDir('pathway-bench-');
  const stops = [];
  const pg = await startPostgres({ dataRoot: dir, port: await freePort(), durable: true, logFile: path.join(dir, 'postgres.log') });
  stops.push(pg.stop);
  const redis = await startRedis({ dir: path.join(dir, 'redis'), port: await freePort(), logFile: path.join(dir, 'redis.log') });
  stops.push(redis.stop);
  const port = await freePort();
  const env = {
    PATH: process.env.PATH, DATABASE_URL: pg.url, REDIS_URL: redis.url, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1',
    CPR_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), LOG_LEVEL: 'warn',
  };
  return {
    require, dir, pg, redis, env, baseUrl: `http://127.0.0.1:${port}`,
    /** Starts an app of dist/apps (api, worker) with extra env; BENCH_API_NODE_ARGS goes to the API's node. */
    start(name, extraEnv = {}) {
      const nodeArgs = name === 'api' ? (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean) : [];
      const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist', 'apps', name, 'main.js')], { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
      stops.push(() => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))));
      return child;
    },
    token(...args) {
      const r = spawnSync(process.execPath, [path.join(root, 'dist', 'apps', 'cli', 'main.js'), 'token', ...args], { cwd: root, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout.trim();
    },
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
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

/** A keep-alive JSON POST client for one token. */
export function poster(baseUrl, token, sockets = 16) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
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
  post.close = () => agent.destroy();
  return post;
}
