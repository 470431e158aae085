import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDataSource, migrate } from '@app/persistence';
import { freePort } from './ports';
import { waitFor } from './time';

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the unprivileged user `npm test` uses. */
function clusterUser(): string | null {
  if (process.getuid?.() !== 0) return null;
  const user = ['postgres', 'pathway-db'].find((name) => spawnSync('id', ['-u', name]).status === 0);
  if (!user) throw new Error('no unprivileged user (postgres or pathway-db) to run PostgreSQL as: run `npm test`');
  return user;
}

function asUser(user: string | null, cmd: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', user, '--', cmd, ...args]] : [cmd, args];
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A PostgreSQL cluster of a test's own (the shared test cluster must never go down under other
 * test files), which the test may stop, kill and start again on the same port and data. The
 * `pathway` database is migrated once at start. Binaries from PATHWAY_TEST_PG_BIN (`npm test`).
 */
export class PostgresServer {
  private child: ChildProcess | null = null;
  readonly password = randomBytes(16).toString('hex');

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly bin: string,
    private readonly user: string | null,
  ) {}

  static async start(): Promise<PostgresServer> {
    const bin = process.env.PATHWAY_TEST_PG_BIN;
    if (!bin) throw new Error('PATHWAY_TEST_PG_BIN is not set: run the tests with `npm test`');
    const user = clusterUser();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-pg-'));
    // The cluster's user owns the directory: the data and the socket go inside.
    if (user) spawnSync('chown', [user, dir]);
    const server = new PostgresServer(await freePort(), dir, bin, user);
    const pwFile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwFile, `${server.password}\n`, { mode: 0o600 });
    if (user) spawnSync('chown', [user, pwFile]);
    const [cmd, args] = asUser(user, path.join(bin, 'initdb'), [
      '-D',
      server.dataDir,
      '-U',
      'pathway',
      '--auth=scram-sha-256',
      `--pwfile=${pwFile}`,
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    const init = spawnSync(cmd, args, { encoding: 'utf8' });
    fs.rmSync(pwFile);
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
    await server.restart();
    const admin = new Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE pathway');
    await admin.end();
    const ds = await createDataSource({ url: server.url(), poolSize: 2 }).initialize();
    await migrate(ds);
    await ds.destroy();
    return server;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  url(database = 'pathway'): string {
    return `postgres://pathway:${this.password}@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the postmaster (again) on the same port and data, and waits until it answers. After a
   * kill -9 the old backends may still hold the shared memory for a moment: a postmaster that
   * refuses to start for that is started again.
   */
  async restart(): Promise<void> {
    const [cmd, args] = asUser(this.user, path.join(this.bin, 'postgres'), [
      '-D',
      this.dataDir,
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      // No flush to disk (the machine does not crash in a test), but every commit is written out of
      // PostgreSQL's memory before it is acknowledged: with synchronous_commit off, a kill -9 of the
      // postmaster would lose commits the apps were told about, which a test would count as lost.
      '-c',
      'fsync=off',
    ]);
    let output = '';
    await waitFor(
      () => `PostgreSQL on port ${this.port}:\n${output}`,
      () => {
        if (!this.running) {
          output = '';
          this.child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
          this.child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
          return false;
        }
        return answers(this.url('postgres'));
      },
      { everyMs: 100 },
    );
  }

  private get postmasterPid(): number | null {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    return fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) || null : null;
  }

  /**
   * Stops the postmaster: 'fast' is `pg_ctl stop -m fast` (clients are told 57P01 and cut off),
   * 'immediate' stops without a checkpoint, 'kill' is kill -9 of the postmaster (its backends
   * end when they notice). Signalled directly: runuser would turn any signal into SIGTERM.
   */
  async stop(mode: 'fast' | 'immediate' | 'kill' = 'fast'): Promise<void> {
    const child = this.child;
    const pid = this.postmasterPid;
    if (!child || !this.running || !pid) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(pid, mode === 'fast' ? 'SIGINT' : mode === 'immediate' ? 'SIGQUIT' : 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  }

  /** Stops it and removes its data. */
  async destroy(): Promise<void> {
    await this.stop('immediate');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
