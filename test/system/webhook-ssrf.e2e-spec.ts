import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { concern, register } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/**
 * Webhooks cannot be pointed at the service's own network (SSRF), over HTTP with real processes.
 * The API allows 127.0.0.2 and 127.0.0.3 (WEBHOOK_ALLOWED_HOSTS), the worker only 127.0.0.2: a
 * receiver on 127.0.0.3 stands for a host that was acceptable when registered and is not when
 * delivered to. A trap on 127.0.0.1, which neither allows, must never be reached. The seconds
 * policy (test/policies/seconds.json) raises a breach to the GP 4 s after registration.
 */
describe('webhook SSRF protection', () => {
  let stack: Stack;
  let gp: Client;
  const servers: Server[] = [];
  const hits = new Map<string, string[]>();

  /** A receiver on `host`, answering 204 and noting each request's path under its name. */
  async function receiver(name: string, host: string): Promise<number> {
    hits.set(name, []);
    const server = createServer((req, res) => {
      hits.get(name)!.push(req.url ?? '');
      req.resume().on('end', () => res.writeHead(204).end());
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return (server.address() as AddressInfo).port;
  }

  let trap: number;
  let allowed: number;
  let rebound: number;

  beforeAll(async () => {
    [trap, allowed, rebound] = [
      await receiver('trap', '127.0.0.1'),
      await receiver('allowed', '127.0.0.2'),
      await receiver('rebound', '127.0.0.3'),
    ];
    stack = await Stack.start({
      env: {
        PATHWAY_POLICY_FILE: path.resolve(__dirname, '..', 'policies', 'seconds.json'),
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.2, 127.0.0.3',
        DELIVERY_ATTEMPTS: '3',
        DELIVERY_BACKOFF_MS: '100',
      },
    });
    stack.startWorker({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.2' });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
  });
  afterAll(async () => {
    await stack?.stop();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:{trap}/hook', 'loopback'],
    ['decimal', 'http://2130706433:{trap}/hook', 'loopback'],
    ['hexadecimal', 'http://0x7f000001:{trap}/hook', 'loopback'],
    ['octal', 'http://0177.0.0.1:{trap}/hook', 'loopback'],
    ['short', 'http://127.1:{trap}/hook', 'loopback'],
    ['IPv6 loopback', 'http://[::1]:{trap}/hook', 'loopback'],
    ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:{trap}/hook', 'loopback'],
    ['IPv4-mapped IPv6, hex', 'http://[::ffff:7f00:1]:{trap}/hook', 'loopback'],
    ['unspecified', 'http://0.0.0.0:{trap}/hook', 'unspecified'],
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['cloud metadata over IPv6', 'http://[fd00:ec2::254]/latest/meta-data/', 'cloud metadata'],
    ['private', 'https://10.0.0.1/hook', 'private'],
    ['private 192.168', 'https://192.168.1.10/hook', 'private'],
    ['carrier-grade NAT', 'https://100.64.0.1/hook', 'carrier-grade NAT'],
    ['unique-local', 'https://[fd12:3456::1]/hook', 'unique-local'],
    ['link-local IPv6', 'https://[fe80::1]/hook', 'link-local'],
    ['multicast', 'http://224.0.0.1/hook', 'multicast'],
    ['the metadata name', 'http://metadata.google.internal/computeMetadata/v1/', 'cloud metadata name'],
    ['the short metadata name', 'http://metadata/computeMetadata/v1/', 'cloud metadata name'],
    ['localhost', 'http://localhost:{trap}/hook', 'loopback name'],
    ['a .localhost name', 'http://hooks.localhost:{trap}/hook', 'loopback name'],
    ['an .internal name', 'https://db.corp.internal/hook', 'internal name'],
    ['a single-label name', 'https://intranet/hook', 'single-label name'],
  ])('refuses a webhook to %s with 422 WEBHOOK_URL_FORBIDDEN, storing nothing', async (_, template, why) => {
    const res = await gp.post('/v1/webhooks', { url: template.replace('{trap}', String(trap)) });

    expect(res.status).toBe(422);
    expect(res.body.code).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(res.body.message).toContain(why);
    expect((await gp.get('/v1/webhooks')).body.items).toEqual([]);
  });

  it('delivers to the allowlisted receiver; a host refused at delivery is dead-lettered at once with the reason, never reached, and the in-app alert still arrives', async () => {
    const good = await gp.post('/v1/webhooks', { url: `http://127.0.0.2:${allowed}/pathway` });
    const stale = await gp.post('/v1/webhooks', { url: `http://127.0.0.3:${rebound}/pathway` });
    expect([good.status, stale.status]).toEqual([201, 201]);

    const id = await register(gp, concern());
    await waitFor('a delivery to the allowlisted receiver', () => hits.get('allowed')!.length > 0);
    const letter = await waitFor('the dead letter of the refused host', async () =>
      (
        (await gp.get('/v1/webhooks/dead-letters')).body.items as {
          subscriptionId: string;
          caseId: string;
          attempts: number;
          lastStatus: number | null;
          lastError: string;
        }[]
      ).find((l) => l.subscriptionId === stale.body.id && l.caseId === id),
    );

    expect(letter).toMatchObject({ attempts: 1, lastStatus: null });
    expect(letter.lastError).toContain('refused: 127.0.0.3 is or resolves to a loopback address (127.0.0.3)');
    const inbox = (await gp.get(`/v1/alerts?caseId=${id}`)).body.items as unknown[];
    expect(inbox.length).toBeGreaterThan(0);
    expect(hits.get('rebound')).toEqual([]);
    expect(hits.get('trap')).toEqual([]);
  });
});
