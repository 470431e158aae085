import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signLocalToken } from '@app/auth';
import { FileClock, type Clock } from '@app/config';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort } from './ports';
import { RedisServer } from './redis-server';
import { clockMoved, testNow, TIMEOUT, waitFor } from './time';

const ROOT = path.resolve(__dirname, '..', '..');

export function testRedisUrl(): string {
  const url = process.env.PATHWAY_TEST_REDIS_URL;
  if (!url) throw new Error('PATHWAY_TEST_REDIS_URL is not set: run the tests with `npm test`');
  return url;
}

/** A line of an app's log: pino's JSON (level as a label, ISO 8601 time, the Nest logger's name as context). */
export interface LogEntry {
  level: string;
  time: string;
  service: string;
  msg: string;
  context?: string;
  requestId?: string;
  correlationId?: string;
  jobId?: string;
  [field: string]: unknown;
}

/** A built app (dist/apps/<name>/main.js) running as its own process. */
export class AppProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(name: 'api' | 'worker', env: Record<string, string>): AppProcess {
    const main = path.join(ROOT, 'dist', 'apps', name, 'main.js');
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm test\`, which builds the apps first`);
    return new AppProcess(
      name,
      spawn(process.execPath, [main], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
  }

  get logs(): string {
    return this.output;
  }

  /** The log as entries (the apps write JSON lines); throws on a line that is not a JSON object. */
  get entries(): LogEntry[] {
    return this.output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          const entry: unknown = JSON.parse(line);
          if (entry && typeof entry === 'object' && !Array.isArray(entry)) return entry as LogEntry;
        } catch {
          // reported below
        }
        throw new Error(`${this.name} logged a line that is not a JSON object: ${line}`);
      });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (graceful) by default; SIGKILL for the chaos tests. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** An HTTP client acting as one principal (or as nobody). */
export class Client {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  async request<T = any>(
    method: string,
    url: string,
    options: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = {
      ...(this.token && { authorization: `Bearer ${this.token}` }),
      ...options.headers,
    };
    let body: string | Buffer | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${url}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, { headers });
  }

  /** GET, the answer's bytes as sent (a text body would lose a byte order mark). */
  async bytes(url: string, headers?: Record<string, string>): Promise<Response<Buffer>> {
    const res = await fetch(`${this.baseUrl}${url}`, {
      headers: { ...(this.token && { authorization: `Bearer ${this.token}` }), ...headers },
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  }

  post<T = any>(url: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request<T>('POST', url, { body, headers });
  }
}

export interface StackOptions {
  /** How many workers to start with the API (none by default). */
  workers?: number;
  /** Use this Redis (e.g. a RedisServer the test may kill) instead of one of the stack's own. */
  redisUrl?: string;
  /** Use this database (e.g. a PostgresServer the test may stop) instead of one on the shared test cluster. */
  databaseUrl?: string;
  /** Run the apps on a clock file that shows this instant now (jumped later with jumpClock); else the tests' clock. */
  clockAt?: string;
  env?: Record<string, string>;
}

/**
 * The real service for a system test: a fresh database, a redis-server of its own, the API (and
 * the worker) as processes on free ports, and tokens signed with this stack's own local key.
 * Nothing is shared with the stacks of other test files running at the same time: not the queues
 * (a worker would take another stack's jobs, whose cases it cannot find), not the pub/sub channel
 * of the live alerts.
 */
export class Stack {
  readonly workers: AppProcess[] = [];
  /** API instances started beside the first one (startApi). */
  readonly apis: AppProcess[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly dataDir: string,
    readonly env: Record<string, string>,
    readonly api: AppProcess,
    readonly baseUrl: string,
    private readonly redis: RedisServer | null,
    /** The apps' clock, read here from the same clock file (or the tests' clock without one). */
    readonly clock: Clock,
  ) {}

  static async start(options: StackOptions = {}): Promise<Stack> {
    const [dbStart, redisStart] = await Promise.allSettled([
      options.databaseUrl
        ? { name: 'external', url: options.databaseUrl, drop: async () => undefined }
        : createTestDatabase(),
      options.redisUrl ? null : RedisServer.start(),
    ]);
    if (dbStart.status === 'rejected' || redisStart.status === 'rejected') {
      if (dbStart.status === 'fulfilled') await dbStart.value.drop();
      if (redisStart.status === 'fulfilled') await redisStart.value?.stop();
      throw dbStart.status === 'rejected' ? dbStart.reason : (redisStart as PromiseRejectedResult).reason;
    }
    const [db, redis] = [dbStart.value, redisStart.value];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-stack-'));
    const port = await freePort();
    const clockFile: Record<string, string> = {};
    if (clockMoved || options.clockAt) {
      // The apps' clock (FileClock) shows the instant written at the moment it is written: the tests' now.
      clockFile.PATHWAY_CLOCK_FILE = path.join(dataDir, 'clock');
      fs.writeFileSync(clockFile.PATHWAY_CLOCK_FILE, options.clockAt ?? testNow().toISOString());
    }
    const env: Record<string, string> = {
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl ?? redis!.url,
      DATA_DIR: dataDir,
      CPR_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CPR_INDEX_KEY: randomBytes(32).toString('base64'),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      // The tests' webhook receivers listen on loopback, which webhooks may reach only when allowed.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      ...clockFile,
      ...options.env,
    };
    const api = AppProcess.start('api', env);
    // The file goes with the stack's data; the clock's poll may see it go, and says nothing.
    const clock = env.PATHWAY_CLOCK_FILE ? new FileClock(env.PATHWAY_CLOCK_FILE, () => undefined) : { now: testNow };
    const stack = new Stack(db, dataDir, env, api, `http://127.0.0.1:${port}`, redis, clock);
    try {
      await stack.waitForHealth();
      for (let i = 0; i < (options.workers ?? 0); i++) stack.startWorker();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Starts one more worker (same database and Redis) and returns it. */
  startWorker(env: Record<string, string> = {}): AppProcess {
    const worker = AppProcess.start('worker', { ...this.env, ...env });
    this.workers.push(worker);
    return worker;
  }

  /** Starts one more API instance (same database and Redis, a port of its own) and waits until it answers. */
  async startApi(env: Record<string, string> = {}): Promise<{ api: AppProcess; baseUrl: string }> {
    const port = await freePort();
    const api = AppProcess.start('api', { ...this.env, ...env, PORT: String(port) });
    this.apis.push(api);
    const baseUrl = `http://127.0.0.1:${port}`;
    await this.waitForHealth(TIMEOUT.condition, api, baseUrl);
    return { api, baseUrl };
  }

  async waitForHealth(timeoutMs = TIMEOUT.condition, api = this.api, baseUrl = this.baseUrl): Promise<void> {
    await waitFor(
      () => `the API to answer 200 on /health:\n${api.logs}`,
      async () => {
        if (!api.running) throw new Error(`the API exited during start-up:\n${api.logs}`);
        return (await fetch(`${baseUrl}/health`).catch(() => null))?.status === 200;
      },
      { timeoutMs },
    );
  }

  /** `name`: the token's display name (`name` claim), as an identity provider gives it. */
  async token(role: string, org: string | string[], sub: string, name?: string): Promise<string> {
    // Issued on the apps' clock, the one the API judges expiry by.
    return signLocalToken(path.join(this.dataDir, 'auth'), { sub, role, org, name }, { now: this.clock.now() });
  }

  async as(role: string, org: string | string[], sub = `${role}-user`, name?: string): Promise<Client> {
    return new Client(this.baseUrl, await this.token(role, org, sub, name));
  }

  anonymous(): Client {
    return new Client(this.baseUrl);
  }

  /**
   * Jumps the apps' clock (the stack's PATHWAY_CLOCK_FILE) to `instant` and returns once both the
   * test's reading of the file and the API show it: the API's, seen in the milestones of a case that
   * `reader` may read (due time minus time left). Tokens issued before a jump of more than their
   * lifetime have expired: take new clients (stack.as) after it.
   *
   * The probe signs its token only once the test's reading shows the jump: a token signed a moment
   * before (iat days earlier) could pass the API's check in the very request whose view was computed
   * after the API's clock moved, and be refused as expired by the next command.
   */
  async jumpClock(instant: string, probe: { caseId: string; reader: () => Promise<Client> }): Promise<void> {
    const file = this.env.PATHWAY_CLOCK_FILE;
    if (!file) throw new Error('jumpClock needs a stack started with PATHWAY_CLOCK_FILE');
    fs.writeFileSync(`${file}.new`, instant);
    fs.renameSync(`${file}.new`, file);
    const shows = (now: number) => Math.abs(now - Date.parse(instant)) < 2_000;
    await waitFor(`the test's clock at ${instant}`, () => shows(this.clock.now().getTime()), { everyMs: 10 });
    await waitFor(`the API's clock at ${instant}`, async () => {
      const res = await (await probe.reader()).get(`/v1/cases/${probe.caseId}/milestones`);
      const shown = res.status === 200 && (res.body.milestones as { dueAt: string; timeLeftMs: number | null }[]);
      return shown && shown.some((m) => m.timeLeftMs !== null && shows(Date.parse(m.dueAt) - m.timeLeftMs));
    });
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), ...this.apis.map((a) => a.stop()), ...this.workers.map((w) => w.stop())]);
    await Promise.all([this.db.drop(), this.redis?.stop()]);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
