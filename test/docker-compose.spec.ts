import fs from 'node:fs';
import path from 'node:path';
import { isAlias, isMap, parse, parseDocument } from 'yaml';
import { REDIS_CLOCK_HZ } from '@app/timers';

/**
 * docker/compose.yaml cannot run here (no Docker engine): this checks what a reading can — two
 * APIs and two workers made from the shared definitions, a proxy over both APIs, a Redis that
 * never evicts and keeps a clock fine enough for deadlines, no file mounted that the repository
 * lacks, no port published beyond loopback, no dependency on a service that does not exist.
 */
const DOCKER = path.resolve(__dirname, '..', 'docker');
const text = fs.readFileSync(path.join(DOCKER, 'compose.yaml'), 'utf8');

interface Service {
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: (string | { type?: string; source?: string })[];
  ports?: (string | number | { host_ip?: string; published?: string | number })[];
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: { test?: string[] | string };
}
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const words = (value: string[] | string | undefined) => (Array.isArray(value) ? value : (value ?? '').split(/\s+/));

/** The anchor a service's definition is merged from (`<<: *name`), as written. */
function mergedFrom(name: string): string | undefined {
  const node = parseDocument(text).getIn(['services', name], true);
  if (!isMap(node)) return undefined;
  const merge = node.items.find((pair) => (pair.key as { value?: unknown })?.value === '<<');
  return merge && isAlias(merge.value) ? merge.value.source : undefined;
}

describe('docker/compose.yaml', () => {
  it('runs two APIs and two workers, each from the shared definition', () => {
    expect(Object.keys(services).filter((s) => /^api-\d+$/.test(s))).toEqual(['api-1', 'api-2']);
    expect(Object.keys(services).filter((s) => /^worker-\d+$/.test(s))).toEqual(['worker-1', 'worker-2']);
    for (const name of ['api-1', 'api-2']) {
      expect(mergedFrom(name)).toBe('api');
      expect(services[name].command).toEqual(['node', 'dist/apps/api/main.js']);
      expect(words(services[name].healthcheck?.test).join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    }
    for (const name of ['worker-1', 'worker-2']) {
      expect(mergedFrom(name)).toBe('worker');
      expect(services[name].command).toEqual(['node', 'dist/apps/worker/main.js']);
      expect(services[name].environment?.WORKER_PORT).toBe('3001');
      // The worker keeps the apps' whole configuration, not only its own port.
      expect(services[name].environment).toMatchObject({
        DATABASE_URL: expect.any(String),
        REDIS_URL: expect.any(String),
      });
      expect(words(services[name].healthcheck?.test).join(' ')).toContain('http://127.0.0.1:3001/health/ready');
    }
  });

  it('puts a reverse proxy in front that routes to both APIs, the live alerts unbuffered', () => {
    const proxy = Object.entries(services).find(([, s]) => s.volumes?.some((v) => String(v).includes('nginx.conf')));
    expect(proxy).toBeDefined();
    const mount = proxy![1].volumes!.map(String).find((v) => v.includes('nginx.conf'))!;
    const conf = fs.readFileSync(path.resolve(DOCKER, mount.split(':')[0]), 'utf8').replace(/#.*$/gm, '');

    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(conf);
    expect(upstream).not.toBeNull();
    const servers = [...upstream![2].matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(['api-1:3000', 'api-2:3000']);
    // Round robin: no hash or least-connections method.
    expect(upstream![2]).not.toMatch(/\b(ip_hash|hash|least_conn|random)\b/);
    for (const name of ['api-1', 'api-2']) expect(services[name].environment?.PORT).toBe('3000');
    expect(conf).toMatch(new RegExp(`location\\s+/\\s*\\{[^}]*proxy_pass\\s+http://${upstream![1]};`));

    const stream = /location\s+=\s+\/v1\/alerts\/stream\s*\{([^}]*)\}/.exec(conf);
    expect(stream).not.toBeNull();
    expect(stream![1]).toMatch(new RegExp(`proxy_pass\\s+http://${upstream![1]};`));
    expect(stream![1]).toMatch(/proxy_buffering\s+off;/);
    expect(stream![1]).toMatch(/proxy_read_timeout\s+\d+h;/);
    expect(conf).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
    expect(conf).toMatch(/proxy_set_header\s+X-Request-Id\s+\$\w+;/);
  });

  it('runs Redis without eviction, with its append-only file, a 100 hz clock and a password', () => {
    const command = words(services.redis.command);
    expect(command[command.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(command[command.indexOf('--hz') + 1]).toBe(String(REDIS_CLOCK_HZ));
    expect(command[command.indexOf('--appendonly') + 1]).toBe('yes');
    expect(command[command.indexOf('--requirepass') + 1]).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(services['api-1'].environment?.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/);
  });

  it('mounts only files the repository has', () => {
    const binds = Object.values(services).flatMap((s) =>
      (s.volumes ?? [])
        .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.type === 'bind' ? v.source! : ''))
        .filter((source) => source.startsWith('.') || source.startsWith('/')),
    );
    expect(binds.length).toBeGreaterThan(0);
    for (const source of binds) expect([source, fs.existsSync(path.resolve(DOCKER, source))]).toEqual([source, true]);
  });

  it('publishes ports on loopback only', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(published).toEqual([
      ['proxy', '127.0.0.1:3000:80'],
      ['prometheus', '127.0.0.1:9090:9090'],
      ['grafana', '127.0.0.1:3030:3000'],
    ]);
    for (const [name, port] of published) {
      const hostIp = typeof port === 'object' ? port.host_ip : String(port).split(':')[0];
      expect([name, hostIp]).toEqual([name, '127.0.0.1']);
    }
  });

  it('depends only on services that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      const needs = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const need of needs) expect([name, need, need in services]).toEqual([name, need, true]);
    }
    expect(Object.keys(services.proxy.depends_on ?? {})).toEqual(['api-1', 'api-2']);
  });
});
