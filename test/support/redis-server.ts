import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';
import { waitFor } from './time';

/** AUTH, then PING: true when both answer as they should. */
function ping(port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let replies = '';
    socket.setTimeout(500, () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.on('data', (d) => {
      replies += d.toString();
      if (replies.split('\r\n').length <= 2) return;
      socket.destroy();
      resolve(replies.startsWith('+OK\r\n+PONG\r\n'));
    });
  });
}

/**
 * A redis-server of a test's own (AOF every second; noeviction unless the test wants another
 * policy; a password, as `npm start`'s Redis has), which the test may kill, restart and flush.
 */
export class RedisServer {
  private child: ChildProcess | null = null;
  /** requirepass: the URL carries it (hex, nothing to escape). */
  readonly password = randomBytes(16).toString('hex');

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly maxmemoryPolicy: string,
  ) {}

  static async start(maxmemoryPolicy = 'noeviction'): Promise<RedisServer> {
    const server = new RedisServer(
      await freePort(),
      fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-redis-')),
      maxmemoryPolicy,
    );
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://:${this.password}@127.0.0.1:${this.port}`;
  }

  /** Starts it again on the same port and data directory: it loads its append-only file. */
  async restart(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '-', // the password comes on stdin, off the command line
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        this.maxmemoryPolicy,
        '--hz',
        '100',
        '--save',
        '',
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] },
    );
    this.child.stdin!.end(`requirepass ${this.password}\n`);
    const child = this.child;
    await waitFor(
      `redis-server on port ${this.port}`,
      () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        return ping(this.port, this.password);
      },
      { everyMs: 50 },
    );
  }

  /** kill -9: no shutdown, no final AOF flush. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
