import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { freePort } from '@test/support/ports';
import { RedisServer } from '@test/support/redis-server';
import { TIMEOUT, waitFor } from '@test/support/time';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm start` as a person sees it (scripts/start.mjs), against this test's PostgreSQL and Redis
 * (DATABASE_URL, REDIS_URL): every step named with how long it took, the dashboard's URL last and
 * only once the API answers /health, and none of Nest's route lines at the default level.
 */
describe('npm start', () => {
  let db: TestDatabase;
  let redis: RedisServer;
  let dir: string;
  let port: number;
  let start: ChildProcess;
  const outputFile = () => path.join(dir, 'start.log');
  const lines = () => fs.readFileSync(outputFile(), 'utf8').split('\n').filter(Boolean);
  const dashboardLine = () => `[pathway] the dashboard: http://127.0.0.1:${port}/app`;

  beforeAll(async () => {
    [db, redis] = await Promise.all([createTestDatabase(), RedisServer.start()]);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-start-'));
    port = await freePort();
    // Its own output and the apps' (stdout and stderr) into one file, in the order written.
    const out = fs.openSync(outputFile(), 'a');
    start = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        DATA_DIR: dir,
        PORT: String(port),
      },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    await waitFor(
      () => `npm start to print the dashboard's URL:\n${lines().join('\n')}`,
      () => {
        if (start.exitCode !== null) throw new Error(`npm start exited (${start.exitCode}):\n${lines().join('\n')}`);
        return lines().includes(dashboardLine());
      },
    );
  }, TIMEOUT.condition * 2);

  afterAll(async () => {
    if (start && start.exitCode === null) {
      const exited = new Promise((resolve) => start.once('exit', resolve));
      start.kill('SIGINT');
      await exited;
    }
    await Promise.all([redis?.stop(), db?.drop()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the dashboard URL last, after the API listens and the worker is ready, and the API answers /health', async () => {
    const output = lines();
    const url = output.indexOf(dashboardLine());
    const listening = output.findIndex((l) => l.startsWith('api ') && l.includes('listening on'));
    const ready = output.findIndex((l) => l.startsWith('worker ') && /"msg":"ready"/.test(l));
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(url).toBeGreaterThan(Math.max(listening, ready));
    // Nothing after it: no app line, no health check the harness made.
    expect(output.slice(url + 1)).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it('names each step with how long it took', () => {
    const output = lines();
    for (const step of [
      'building the apps and the web page, where their sources changed',
      'reading the local keys (PostgreSQL and Redis: DATABASE_URL and REDIS_URL)',
      'starting the API (it migrates the database first) and the worker',
    ]) {
      expect(output).toContain(`[pathway] ${step}…`);
      expect(output).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^\\[pathway\\] ${escape(step)}: done in \\d`))]),
      );
    }
  });

  it("keeps Nest's route and module lines, and passing health checks, out of the default level", () => {
    const output = lines().join('\n');
    expect(output).not.toContain('Mapped {');
    expect(output).not.toContain('dependencies initialized');
    expect(output).not.toMatch(/GET \/health\S* 200/);
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
