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

/** A duration for a person: "0.4 s", "12.3 s", "4 min 02 s". */
export function duration(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** How often a long step says it is still running. */
export const STILL_RUNNING_EVERY_MS = 20_000;

/**
 * One named step of a start: a line when it begins (`what…`), a line every `everyMs`
 * while it runs (with `progress()`, when given, e.g. "412 packages so far"), and a line with how
 * long it took. No silent minutes. Resolves or rejects as `fn()` does (a failure is the caller's to say).
 */
export async function step(what, fn, { progress, everyMs = STILL_RUNNING_EVERY_MS } = {}) {
  const started = performance.now();
  log(`${what}…`);
  const timer = setInterval(() => {
    const more = progress?.();
    log(`  still ${what} (${duration(performance.now() - started)}${more ? `; ${more}` : ''})`);
  }, everyMs);
  try {
    const result = await fn();
    log(`${what}: done in ${duration(performance.now() - started)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** Runs a command with its output on ours; resolves its exit code (1 when it could not start). */
export function runCommand(cmd, args, { cwd = root, env = process.env, stdio = 'inherit' } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio });
    child.once('error', (error) => {
      log(`${cmd}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const secretFile = (dataRoot, name) => path.join(dataRoot, 'secrets', name);

/**
 * A secret of this machine's servers in `<dataRoot>/secrets/<name>` (directory 0700, file 0600),
 * made of `bytes` random bytes on first use. Returns `{ value, created }`. Never print `value`.
 */
export function localSecret(dataRoot, name, { bytes = 24, encoding = 'base64url' } = {}) {
  const file = secretFile(dataRoot, name);
  let created = false;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(bytes).toString(encoding), { mode: 0o600, flag: 'wx' });
    created = true;
  }
  return { value: fs.readFileSync(file, 'utf8').trim(), created };
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether a HOST setting is loopback: the twin of isLoopback in libs/config (which this must not import). */
export function isLoopbackHost(host) {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const family = net.isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 6 ? 'ipv6' : 'ipv4');
}

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
export async function ensureNpmDependencies() {
  const modules = path.join(root, 'node_modules');
  const marker = path.join(modules, '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const stale =
    !fs.existsSync(marker) || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs);
  if (!stale) return;
  const packages = () => {
    if (!fs.existsSync(modules)) return null;
    const count = fs
      .readdirSync(modules)
      .filter((name) => !name.startsWith('.'))
      .reduce((n, name) => n + (name.startsWith('@') ? fs.readdirSync(path.join(modules, name)).length : 1), 0);
    return `${count} packages in node_modules so far`;
  };
  await step(
    'installing the npm dependencies (npm install; a few minutes the first time)',
    async () => {
      const code = await runCommand('npm', ['install', '--no-save', '--no-audit', '--no-fund']);
      if (code !== 0) throw new SetupError('npm could not install the dependencies (see above).');
    },
    { progress: packages },
  );
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

/** A Redis command in RESP, so that arguments (passwords) need no quoting. */
const resp = (...args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/**
 * Sends Redis commands (each an array of arguments) on one connection and resolves their one-line
 * replies (`+OK`, `-NOAUTH …`), or null when Redis does not answer.
 */
function redisExchange(port, commands) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = (replies) => {
      sock.destroy();
      resolve(replies);
    };
    sock.setTimeout(1000, () => done(null));
    sock.on('error', () => done(null));
    sock.on('connect', () => sock.write(commands.map((c) => resp(...c)).join('')));
    sock.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\r\n');
      if (lines.length > commands.length) done(lines.slice(0, commands.length));
    });
  });
}

/** Whether the Redis on `port` takes `password` and answers PING. */
export async function redisPing(port, password) {
  const replies = await redisExchange(port, [['AUTH', password], ['PING']]);
  return replies?.[0] === '+OK' && replies[1] === '+PONG';
}

/** pg_hba.conf lines (not comments) that let clients in without a password. */
const TRUST_LINE = /^(\s*(?:local|host\w*)\s[^#\n]*?)\btrust\b/gm;

/**
 * Starts (or re-uses) a PostgreSQL cluster under `<dataRoot>/postgres` and returns its URL, with
 * the password of the `pathway` role (scram-sha-256, kept in `<dataRoot>/secrets/postgres-password`).
 * A cluster an earlier version made with trust authentication gets the password and scram on the
 * way. `durable: false` turns fsync off: for throwaway test clusters only.
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
  const hbaFile = path.join(dir, 'pg_hba.conf');
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  if (initialised && !fs.existsSync(secretFile(dataRoot, 'postgres-password')) && !trusts(hbaFile))
    throw new SetupError(
      `the PostgreSQL cluster in ${dir} asks for a password, and ${secretFile(dataRoot, 'postgres-password')}, ` +
        'which holds it, is missing: put the file back, or move the cluster away to start with a new one',
    );
  const password = localSecret(dataRoot, 'postgres-password').value;
  if (!initialised) {
    log(`initialising a PostgreSQL cluster in ${dir}${user ? ` (as the unprivileged user ${user})` : ''}…`);
    // initdb reads the password from a file: one only the cluster's user can read, removed at once.
    const pwFile = path.join(socketDir, '.pwfile');
    fs.writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    try {
      if (user) run('chown', [user, pwFile]);
      const [cmd, args] = asUser(user, path.join(bin, 'initdb'), [
        '-D',
        dir,
        '-U',
        'pathway',
        '--auth=scram-sha-256',
        `--pwfile=${pwFile}`,
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ]);
      const r = run(cmd, args);
      if (r.status !== 0) throw new SetupError(`initdb failed:\n${r.stdout}\n${r.stderr}`);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }
  const url = (p) => `postgres://pathway:${encodeURIComponent(password)}@127.0.0.1:${p}/pathway`;
  // psql finds the password in its environment, not on a command line that `ps` shows.
  const psql = (p, sql, input) =>
    run(
      path.join(bin, 'psql'),
      ['-h', '127.0.0.1', '-p', String(p), '-U', 'pathway', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-At', ...sql],
      { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' }, input },
    );
  /** An earlier version's cluster trusts everyone: give the role its password, then ask for it. */
  const secure = (p) => {
    if (!trusts(hbaFile)) return;
    log(
      `PostgreSQL in ${dir} let clients in without a password: setting the pathway role's password and scram-sha-256`,
    );
    const quoted = `'${password.replace(/'/g, "''")}'`;
    const set = psql(
      p,
      ['-f', '-'],

      // Not even a failed statement goes to the server's log with the password in it.
      `SET log_min_error_statement = panic;\nSET log_statement = 'none';\nSET password_encryption = 'scram-sha-256';\nALTER ROLE pathway PASSWORD ${quoted};\n`,
    );
    if (set.status !== 0) throw new SetupError(`could not set the pathway role's password:\n${set.stderr}`);
    fs.writeFileSync(hbaFile, fs.readFileSync(hbaFile, 'utf8').replace(TRUST_LINE, '$1scram-sha-256'));
    const reload = psql(p, ['-c', 'select pg_reload_conf()']);
    if (reload.status !== 0) throw new SetupError(`could not reload PostgreSQL's configuration:\n${reload.stderr}`);
  };
  const pidFile = path.join(dir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const [pid, , , oldPort] = fs.readFileSync(pidFile, 'utf8').split('\n');
    if (isAlive(Number(pid))) {
      log(`PostgreSQL is already running (pid ${pid}, port ${oldPort}); using it`);
      secure(oldPort);
      return {
        url: url(oldPort),
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
    '-c',
    'password_encryption=scram-sha-256',
  ];
  if (!durable) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const setting of extra) settings.push('-c', setting);
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  if (logFile && user) run('chown', [user, logFile]);
  const [cmd, args] = asUser(user, path.join(bin, 'postgres'), ['-D', dir, ...settings]);
  // Own process group: Ctrl-C reaches the apps first; we stop the databases after them.
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const postmaster = () => Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    await waitFor(
      async () => {
        const r = psql(port, ['-c', 'select 1']);
        if (/password authentication failed/.test(r.stderr))
          throw new SetupError(
            `PostgreSQL in ${dir} refuses the password in ${secretFile(dataRoot, 'postgres-password')}: put back the file that belongs to this cluster`,
          );
        return r.status === 0;
      },
      'PostgreSQL',
      child,
    );
    secure(port);
  } catch (error) {
    // Not left running behind a failed start.
    if (fs.existsSync(pidFile)) await stopPid(postmaster(), 'SIGINT');
    throw error;
  }
  const exists = psql(port, ['-c', "select 1 from pg_database where datname='pathway'"]).stdout.trim();
  if (exists !== '1') psql(port, ['-c', 'create database pathway']);
  const pid = postmaster();
  return {
    url: url(port),
    port,
    reused: false,
    stop: () => stopPid(pid, 'SIGINT'),
  };
}

function trusts(hbaFile) {
  return fs.existsSync(hbaFile) && new RegExp(TRUST_LINE.source, 'm').test(fs.readFileSync(hbaFile, 'utf8'));
}

/**
 * Redis's clock rate: a worker waiting for its next delayed job is woken at Redis's next tick, so
 * at the default 10 a deadline fires up to 100 ms late (docs/adr/0016; REDIS_CLOCK_HZ in
 * libs/timers, which the worker checks).
 */
const REDIS_HZ = '100';

/**
 * Starts (or re-uses) a Redis with noeviction, AOF and a 100 hz clock, data under
 * `<dataRoot>/redis`, which asks for the password kept in `<dataRoot>/secrets/redis-password`
 * (requirepass).
 */
export async function startRedis({ dataRoot, port, logFile, appendfsync = 'everysec' }) {
  const exe = ensureRedisServer();
  const dir = path.join(dataRoot, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const password = localSecret(dataRoot, 'redis-password').value;
  const url = (p) => `redis://:${encodeURIComponent(password)}@127.0.0.1:${p}`;
  const pidFile = path.join(dir, 'redis.pid');
  if (fs.existsSync(pidFile)) {
    const [pid, oldPort] = fs.readFileSync(pidFile, 'utf8').trim().split(':').map(Number);
    if (isAlive(pid) && oldPort) {
      // An earlier version's Redis, still running, has no password: give it ours.
      const [auth, pong] = (await redisExchange(oldPort, [['AUTH', password], ['PING']])) ?? [];
      if (
        pong === '+PONG' &&
        auth?.startsWith('-ERR AUTH') &&
        (await redisExchange(oldPort, [['CONFIG', 'SET', 'requirepass', password]]))?.[0] === '+OK'
      )
        log(
          `the running Redis (pid ${pid}) had no password: it asks for the one in ${secretFile(dataRoot, 'redis-password')} now`,
        );
      if (await redisPing(oldPort, password)) {
        // An earlier version's Redis ran Redis's default clock: a due job woken up to 100 ms late.
        await redisExchange(oldPort, [
          ['AUTH', password],
          ['CONFIG', 'SET', 'hz', REDIS_HZ],
        ]);
        log(`Redis is already running (pid ${pid}, port ${oldPort}); using it`);
        return { url: url(oldPort), port: oldPort, reused: true, stop: () => stopPid(pid, 'SIGTERM') };
      }
    }
  }
  const args = [
    // The configuration from stdin first: the password stays off the command line (`ps` shows that).
    '-',
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
    '--hz',
    REDIS_HZ,
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    logFile ?? '',
  ];
  const child = spawn(exe, args, { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end(`requirepass "${password}"\n`);
  child.unref();
  await waitFor(() => redisPing(port, password), 'Redis', child);
  fs.writeFileSync(pidFile, `${child.pid}:${port}`);
  return { url: url(port), port, reused: false, stop: () => stopPid(child.pid, 'SIGTERM') };
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
 * The servers of a local run, data under `dataRoot` (DATA_DIR, else .data): PostgreSQL and Redis started (or found
 * running) unless DATABASE_URL / REDIS_URL point elsewhere, and the local CPR key. Returns the
 * environment for the apps and `stop()`, which stops only what this call started.
 */
export async function localServers(dataRoot = process.env.DATA_DIR || path.join(root, '.data')) {
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
      dataRoot,
      port: await portOrFree(Number(process.env.PATHWAY_REDIS_PORT) || 63799),
      logFile: path.join(dataRoot, 'redis.log'),
    });
    if (!redis.reused) started.push(redis);
    env.REDIS_URL = redis.url;
  }
  if (!process.env.CPR_ENCRYPTION_KEY && !process.env.CPR_ENCRYPTION_KEYS) {
    const key = localSecret(dataRoot, 'cpr.key', { bytes: 32, encoding: 'base64' });
    if (key.created)
      log(
        `generated a local CPR encryption key in ${secretFile(dataRoot, 'cpr.key')} (set CPR_ENCRYPTION_KEY in production)`,
      );
    env.CPR_ENCRYPTION_KEY = key.value;
  }
  if (!process.env.CPR_INDEX_KEY) {
    const key = localSecret(dataRoot, 'cpr-index.key', { bytes: 32, encoding: 'base64' });
    if (key.created)
      log(
        `generated a local CPR index key in ${secretFile(dataRoot, 'cpr-index.key')} (set CPR_INDEX_KEY in production)`,
      );
    env.CPR_INDEX_KEY = key.value;
  }
  return { env, stop: () => Promise.all(started.reverse().map((s) => s.stop())) };
}
