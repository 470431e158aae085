// Local infrastructure for `npm start`, `npm test` and the benchmarks: npm dependencies, a private
// PostgreSQL cluster run as an unprivileged user, and a Redis with noeviction + AOF.
// Node built-ins only: this runs before `node_modules` exists.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const isRoot = process.getuid?.() === 0;

export function log(message) {
  process.stderr.write(`[pathway] ${message}\n`);
}

export class SetupError extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw r.error;
  return r;
}

function which(cmd) {
  return run('sh', ['-c', `command -v ${cmd}`]).stdout.trim() || null;
}

/**
 * Installs npm dependencies when node_modules is missing or older than the lock file. `npm install`,
 * not `npm ci`: some registry mirrors lack other platforms' optional native packages (e.g.
 * msgpackr-extract for darwin), and `npm ci` refuses a lock file that cannot list them.
 * `npm install --no-save` installs the locked versions, skips the missing optional ones and leaves
 * package-lock.json as committed.
 */
export function ensureNpmDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const stale =
    !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs);
  if (!stale) return;
  log('installing npm dependencies…');
  const r = run('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new SetupError('npm could not install the dependencies (see above).');
}

function aptInstall(pkg, why) {
  if (!isRoot || !which('apt-get')) {
    throw new SetupError(
      `${why} is not installed. Install it with \`sudo apt-get install -y ${pkg}\` (Debian/Ubuntu) and run again, ` +
        (pkg === 'chromium'
          ? 'or set CHROMIUM_PATH to a Chromium or Chrome binary.'
          : `or point the service at an existing server (${pkg.startsWith('redis') ? 'REDIS_URL' : 'DATABASE_URL'}).`),
    );
  }
  log(`${why} is missing: installing Debian's ${pkg} with apt-get (running as root)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, stdio: 'inherit' });
  if (r.status !== 0) {
    run('apt-get', ['update'], { env, stdio: 'inherit' });
    r = run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env, stdio: 'inherit' });
  }
  if (r.status !== 0) throw new SetupError(`apt-get could not install ${pkg}.`);
}

/** The directory holding PostgreSQL's server binaries (initdb, postgres); installs them if root. */
export function postgresBinDir() {
  const candidates = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  if (fs.existsSync('/usr/lib/postgresql')) {
    const versions = fs
      .readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => b - a);
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  const initdb = which('initdb');
  if (initdb) candidates.push(path.dirname(fs.realpathSync(initdb)));
  const found = candidates.find(
    (d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'postgres')),
  );
  if (found) return found;
  aptInstall('postgresql', 'PostgreSQL');
  return postgresBinDir();
}

/** Debian's Chromium, for the dashboard's browser tests (CHROMIUM_PATH names another). */
export function ensureChromium() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (!which('chromium')) aptInstall('chromium', 'Chromium (for the browser tests)');
  return which('chromium');
}

export function ensureRedisServer() {
  if (!which('redis-server')) aptInstall('redis-server', 'Redis (redis-server)');
  return which('redis-server');
}

/** The unprivileged account PostgreSQL runs as when we are root (Postgres refuses to run as root). */
function postgresUser() {
  if (!isRoot) return null;
  for (const name of ['postgres', 'pathway-db']) {
    if (run('id', ['-u', name]).status === 0) return name;
  }
  const r = run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'pathway-db']);
  if (r.status !== 0) throw new SetupError(`could not create the unprivileged user pathway-db: ${r.stderr}`);
  return 'pathway-db';
}

function asUser(user, cmd, args) {
  return user ? ['runuser', ['-u', user, '--', cmd, ...args]] : [cmd, args];
}

function canReach(user, dir) {
  if (!user) return true;
  return run('runuser', ['-u', user, '--', 'test', '-w', dir]).status === 0;
}

/**
 * Where the cluster lives. Normally `<dataRoot>/postgres`; when the unprivileged user cannot reach
 * it (a checkout under /root, mode 700), the cluster lives under /var/lib/pathway and
 * `<dataRoot>/postgres` is a symbolic link to it, so the data still "lives" in .data/.
 */
function clusterDir(dataRoot, user) {
  const link = path.join(dataRoot, 'postgres');
  if (fs.existsSync(link)) return fs.realpathSync(link);
  fs.mkdirSync(dataRoot, { recursive: true });
  if (!user) return link;
  const probe = path.join(dataRoot, '.probe');
  fs.mkdirSync(probe, { recursive: true });
  run('chown', [user, probe]);
  const reachable = canReach(user, probe);
  fs.rmSync(probe, { recursive: true, force: true });
  if (reachable) return link;
  const elsewhere = path.join(
    '/var/lib/pathway',
    createHash('sha256').update(link).digest('hex').slice(0, 12),
    'postgres',
  );
  log(`the ${user} user cannot reach ${dataRoot}; keeping the cluster in ${elsewhere} (linked from ${link})`);
  fs.mkdirSync(path.dirname(elsewhere), { recursive: true });
  fs.symlinkSync(elsewhere, link);
  return elsewhere;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(check, what, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null)
      throw new SetupError(`${what} exited during start-up (code ${child.exitCode}).`);
    if (await check()) return;
    if (Date.now() > deadline) throw new SetupError(`${what} did not become ready within ${timeoutMs / 1000} s.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tcpExchange(port, payload, expect) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write(payload));
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\r\n')) done(expect(buf));
    });
  });
}

export const redisPing = (port) => tcpExchange(port, 'PING\r\n', (r) => r.startsWith('+PONG'));

/**
 * Starts (or re-uses) a PostgreSQL cluster under `<dataRoot>/postgres` and returns its URL.
 * `durable: false` turns fsync off: for throwaway test clusters only.
 */
export async function startPostgres({ dataRoot, port, durable = true, logFile, settings: extra = [] }) {
  const bin = postgresBinDir();
  const user = postgresUser();
  const dir = clusterDir(dataRoot, user);
  const socketDir = path.join(path.dirname(dir), 'postgres-socket');
  for (const d of [dir, socketDir]) {
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    if (user) run('chown', ['-R', user, d]);
  }
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${dir}${user ? ` (as the unprivileged user ${user})` : ''}…`);
    const [cmd, args] = asUser(user, path.join(bin, 'initdb'), [
      '-D',
      dir,
      '-U',
      'pathway',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
    ]);
    const r = run(cmd, args);
    if (r.status !== 0) throw new SetupError(`initdb failed:\n${r.stdout}\n${r.stderr}`);
  }
  const pidFile = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const [pid, , , oldPort] = fs.readFileSync(pidFile, 'utf8').split('\n');
    if (isAlive(Number(pid))) {
      log(`PostgreSQL is already running (pid ${pid}, port ${oldPort}); using it`);
      return {
        url: `postgres://pathway@127.0.0.1:${oldPort}/pathway`,
        port: Number(oldPort),
        reused: true,
        stop: () => stopPid(Number(pid), 'SIGINT'),
      };
    }
  }
  const settings = [
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
  ];
  if (!durable) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const setting of extra) settings.push('-c', setting);
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  if (logFile && user) run('chown', [user, logFile]);
  const [cmd, args] = asUser(user, path.join(bin, 'postgres'), ['-D', dir, ...settings]);
  // Own process group: Ctrl-C reaches the apps first; we stop the databases after them.
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const psql = path.join(bin, 'psql');
  const ready = () =>
    run(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'pathway', '-d', 'postgres', '-Atc', 'select 1']).status ===
    0;
  await waitFor(async () => ready(), 'PostgreSQL', child);
  const exists = run(psql, [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    'pathway',
    '-d',
    'postgres',
    '-Atc',
    "select 1 from pg_database where datname='pathway'",
  ]).stdout.trim();
  if (exists !== '1')
    run(psql, [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'pathway',
      '-d',
      'postgres',
      '-c',
      'create database pathway',
    ]);
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  return {
    url: `postgres://pathway@127.0.0.1:${port}/pathway`,
    port,
    reused: false,
    stop: () => stopPid(pid, 'SIGINT'),
  };
}

/** Starts (or re-uses) a Redis with noeviction and AOF, data under `dir`. */
export async function startRedis({ dir, port, logFile, appendfsync = 'everysec' }) {
  const exe = ensureRedisServer();
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  if (fs.existsSync(pidFile)) {
    const [pid, oldPort] = fs.readFileSync(pidFile, 'utf8').trim().split(':').map(Number);
    if (isAlive(pid) && oldPort && (await redisPing(oldPort))) {
      log(`Redis is already running (pid ${pid}, port ${oldPort}); using it`);
      return { url: `redis://127.0.0.1:${oldPort}`, port: oldPort, reused: true, stop: () => stopPid(pid, 'SIGTERM') };
    }
  }
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    appendfsync,
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    logFile ?? '',
  ];
  const child = spawn(exe, args, { detached: true, stdio: 'ignore' });
  child.unref();
  await waitFor(() => redisPing(port), 'Redis', child);
  fs.writeFileSync(pidFile, `${child.pid}:${port}`);
  return { url: `redis://127.0.0.1:${port}`, port, reused: false, stop: () => stopPid(child.pid, 'SIGTERM') };
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` and waits (up to 30 s, then SIGKILL) for the process to exit. */
export async function stopPid(pid, signal) {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

export function tmpDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

async function portOrFree(preferred) {
  const free = await new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(preferred, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

/**
 * The servers of a local run, data under `dataRoot` (.data): PostgreSQL and Redis started (or found
 * running) unless DATABASE_URL / REDIS_URL point elsewhere, and the local CPR key. Returns the
 * environment for the apps and `stop()`, which stops only what this call started.
 */
export async function localServers(dataRoot = path.join(root, '.data')) {
  fs.mkdirSync(dataRoot, { recursive: true });
  const started = [];
  const env = { DATA_DIR: dataRoot };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  else {
    const pg = await startPostgres({
      dataRoot,
      port: await portOrFree(Number(process.env.PATHWAY_PG_PORT) || 54329),
      logFile: path.join(dataRoot, 'postgres.log'),
    });
    if (!pg.reused) started.push(pg);
    env.DATABASE_URL = pg.url;
  }
  if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
  else {
    const redis = await startRedis({
      dir: path.join(dataRoot, 'redis'),
      port: await portOrFree(Number(process.env.PATHWAY_REDIS_PORT) || 63799),
      logFile: path.join(dataRoot, 'redis.log'),
    });
    if (!redis.reused) started.push(redis);
    env.REDIS_URL = redis.url;
  }
  if (!process.env.CPR_ENCRYPTION_KEY && !process.env.CPR_ENCRYPTION_KEYS) {
    const keyFile = path.join(dataRoot, 'secrets', 'cpr.key');
    if (!fs.existsSync(keyFile)) {
      fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
      fs.writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      log(`generated a local CPR encryption key in ${keyFile} (set CPR_ENCRYPTION_KEY in production)`);
    }
    env.CPR_ENCRYPTION_KEY = fs.readFileSync(keyFile, 'utf8').trim();
  }
  return { env, stop: () => Promise.all(started.reverse().map((s) => s.stop())) };
}
