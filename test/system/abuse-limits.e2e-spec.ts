import http from 'node:http';
import net from 'node:net';
import { expectError } from '@test/support/api-error';
import { RedisServer } from '@test/support/redis-server';
import { Stack, type Response } from '@test/support/stack';
import { TIMEOUT, waitFor } from '@test/support/time';

/** Small limits and timeouts, so that a test reaches them in a moment and sees them pass within seconds. */
const WINDOW_MS = 4_000;
const PER_SUBJECT = 8;
const PER_ADDRESS = 40;
const SIGN_INS = 3;
const STREAMS = 2;
const HEADERS_TIMEOUT_MS = 1_500;
const REQUEST_TIMEOUT_MS = 3_000;
const IDLE_TIMEOUT_MS = 3_000;
const HSTS_MAX_AGE = 31_536_000;
const ENV = {
  RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
  RATE_LIMIT_PER_SUBJECT: String(PER_SUBJECT),
  RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
  RATE_LIMIT_SIGN_IN: String(SIGN_INS),
  STREAMS_PER_SUBJECT: String(STREAMS),
  HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  HTTP_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
  HSTS_MAX_AGE: String(HSTS_MAX_AGE),
  DEV_SIGN_IN: 'true',
};
/** How much later than its timeout the server may close a socket (Node checks the timeouts every second). */
const CLOSE_SLACK_MS = 2_500;

/** What every /v1 answer carries, errors included. */
const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': `max-age=${HSTS_MAX_AGE}`,
};
const securityHeadersOf = (res: Pick<Response, 'headers'>) =>
  Object.fromEntries(Object.keys(SECURITY_HEADERS).map((name) => [name, res.headers.get(name)]));

function headersOf(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return headers;
}

/**
 * An HTTP client on a loopback address of its own (127.0.0.x): the API counts per address, and each
 * test here counts from an address no other test uses.
 */
class Caller {
  constructor(
    readonly baseUrl: string,
    readonly address: string,
    private readonly token?: string,
  ) {}

  as(token: string): Caller {
    return new Caller(this.baseUrl, this.address, token);
  }

  at(baseUrl: string): Caller {
    return new Caller(baseUrl, this.address, this.token);
  }

  /** Sends a request; a `stream` answer's body is left open and handed back to read and close. */
  send(method: string, path: string, body?: unknown): Promise<Response & { message: http.IncomingMessage }> {
    const url = new URL(this.baseUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          localAddress: this.address,
          agent: false,
          headers: {
            ...(this.token && { authorization: `Bearer ${this.token}` }),
            ...(payload !== undefined && { 'content-type': 'application/json' }),
          },
        },
        (message) => {
          if (message.headers['content-type']?.startsWith('text/event-stream')) {
            resolve({ status: message.statusCode!, headers: headersOf(message), body: undefined, message });
            return;
          }
          let text = '';
          message.setEncoding('utf8');
          message.on('data', (chunk: string) => (text += chunk));
          message.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: message.statusCode!, headers: headersOf(message), body: parsed, message });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  get(path: string) {
    return this.send('GET', path);
  }

  post(path: string, body: unknown) {
    return this.send('POST', path, body);
  }
}

/** A live alert stream held open: what it has sent so far, whether the server has closed it, and how to close it. */
class OpenStream {
  text = '';
  closed = false;

  constructor(readonly response: Response & { message: http.IncomingMessage }) {
    response.message.setEncoding('utf8');
    response.message.on('data', (chunk: string) => (this.text += chunk));
    response.message.on('close', () => (this.closed = true));
  }

  get pings(): number {
    return this.text.split(': ping\n').length - 1;
  }

  close(): void {
    this.response.message.destroy();
  }
}

/** Resolves with how long after the call the server closed `socket`, and what it sent before closing. */
function closedBy(socket: net.Socket): Promise<{ afterMs: number; received: string }> {
  const started = performance.now();
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined); // a write racing the server's close
  return new Promise((resolve, reject) => {
    const bound = setTimeout(() => reject(new Error('the server did not close the socket')), TIMEOUT.condition);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve({ afterMs: performance.now() - started, received });
    });
  });
}

describe('abuse limits, server timeouts and security headers', () => {
  let redis: RedisServer;
  let stack: Stack;
  let port: number;
  let next = 1;
  /** A caller on the next unused loopback address. */
  const caller = (token?: string) => new Caller(stack.baseUrl, `127.0.0.${++next}`, token);
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    // A Redis of the test's own: the last test stops it.
    redis = await RedisServer.start();
    stack = await Stack.start({ redisUrl: redis.url, env: ENV });
    port = Number(new URL(stack.baseUrl).port);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await stack?.stop();
    await redis?.stop();
  });

  describe('rate limits', () => {
    it(`answers 429 RATE_LIMITED with Retry-After past ${PER_SUBJECT} requests of one subject in the window, and lets it through again once the window has passed`, async () => {
      const mia = caller(await stack.token('municipality', 'municipality:851', 'mia-limited'));
      for (let i = 1; i <= PER_SUBJECT; i++)
        expect({ i, status: (await mia.get('/v1/organisations')).status }).toEqual({ i, status: 200 });

      const limited = await mia.get('/v1/organisations');
      expectError(limited, 429, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
      expect(limited.body.message).toBe(`too many requests for your account: try again in ${retryAfter} s`);
      expect(securityHeadersOf(limited)).toEqual(SECURITY_HEADERS);
      // Every route counts, also a command's.
      expectError(await mia.post('/v1/cases', {}), 429, 'RATE_LIMITED');

      // The subject is the sub with its organisations: the same sub elsewhere, and another sub, count on their own.
      const elsewhere = mia.as(await stack.token('municipality', 'municipality:101', 'mia-limited'));
      expect((await elsewhere.get('/v1/organisations')).status).toBe(200);
      const other = mia.as(await stack.token('municipality', 'municipality:851', 'mia-colleague'));
      expect((await other.get('/v1/organisations')).status).toBe(200);

      await waitFor('the window to pass', async () => (await mia.get('/v1/organisations')).status === 200, {
        everyMs: 250,
      });
    });

    it(`counts every /v1 request from one address, before its token is looked at: one past the limit is 429, not 401; /health and /docs are not counted`, async () => {
      const anonymous = caller();
      const answers = await Promise.all(Array.from({ length: PER_ADDRESS }, () => anonymous.get('/v1/cases')));
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401));

      const limited = await anonymous.get('/v1/cases');
      expectError(limited, 429, 'RATE_LIMITED');
      expect(limited.body.message).toMatch(/^too many requests for your address: try again in \d+ s$/);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // A valid token does not help from that address.
      const withToken = anonymous.as(await stack.token('municipality', 'municipality:851', 'from-a-busy-address'));
      expectError(await withToken.get('/v1/organisations'), 429, 'RATE_LIMITED');
      // The same route spelt with escapes (the router decodes them) is counted as what it is.
      expectError(await anonymous.get('/%761/cases'), 429, 'RATE_LIMITED');

      expect((await anonymous.get('/health')).status).toBe(200);
      expect((await anonymous.get('/docs-json')).status).toBe(200);
      expect((await caller().get('/v1/cases')).status).toBe(401); // another address
    });

    it(`limits the development sign-in more strictly: ${SIGN_INS} per address in the window`, async () => {
      const browser = caller();
      const signIn = () =>
        browser.post('/v1/sign-in/local', { role: 'coordinator', organisation: 'municipality:851', sub: 'alice' });
      for (let i = 1; i <= SIGN_INS; i++) expect({ i, status: (await signIn()).status }).toEqual({ i, status: 200 });

      const limited = await signIn();
      expectError(limited, 429, 'RATE_LIMITED');
      expect(limited.body.message).toMatch(/^too many requests for sign-ins from your address: try again in \d+ s$/);
      expectError(
        await browser.post('/%76%31/sign-in/%6cocal', {
          role: 'coordinator',
          organisation: 'municipality:851',
          sub: 'alice',
        }),
        429,
        'RATE_LIMITED',
      );
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The address may still do other things, and another address may still sign in.
      expect((await browser.get('/v1/sign-in')).status).toBe(200);
      expect(
        (
          await caller().post('/v1/sign-in/local', {
            role: 'coordinator',
            organisation: 'municipality:851',
            sub: 'alice',
          })
        ).status,
      ).toBe(200);
    });

    it('counts in Redis, so that two API instances share the counts', async () => {
      const second = await stack.startApi();
      const token = await stack.token('municipality', 'municipality:851', 'mia-on-two-instances');
      const onFirst = caller(token);
      const onSecond = onFirst.at(second.baseUrl);
      const statuses: number[] = [];
      for (let i = 0; i < PER_SUBJECT; i++)
        statuses.push((await (i % 2 === 0 ? onFirst : onSecond).get('/v1/organisations')).status);
      expect(statuses).toEqual(statuses.map(() => 200));
      expectError(await onSecond.get('/v1/organisations'), 429, 'RATE_LIMITED');
      expectError(await onFirst.get('/v1/organisations'), 429, 'RATE_LIMITED');
      await second.api.stop();
    });
  });

  describe('server timeouts', () => {
    it(`closes a slowloris connection, headers sent byte by byte, within the header timeout (${HEADERS_TIMEOUT_MS} ms): 408 in the error contract`, async () => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${++next}` });
      const closed = closedBy(socket);
      socket.write('GET /v1/organisations HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
      // One byte every 200 ms: never idle, never done.
      const drip = setInterval(() => socket.writable && socket.write('a'), 200);
      try {
        const { afterMs, received } = await closed;
        expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
        expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + CLOSE_SLACK_MS);
        const [head, body] = received.split('\r\n\r\n');
        expect(head).toMatch(/^HTTP\/1\.1 408 /);
        expect(head).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
        expect(head).toMatch(new RegExp(`\\r\\nstrict-transport-security: max-age=${HSTS_MAX_AGE}\\r\\n`, 'i'));
        expect(JSON.parse(body)).toMatchObject({ code: 'REQUEST_TIMEOUT' });
      } finally {
        clearInterval(drip);
      }
    });

    it(`closes a connection that sends a body byte by byte within the request timeout (${REQUEST_TIMEOUT_MS} ms)`, async () => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${++next}` });
      const closed = closedBy(socket);
      socket.write(
        'POST /v1/cases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      );
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      try {
        const { afterMs, received } = await closed;
        expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
        expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS);
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
      } finally {
        clearInterval(drip);
      }
    });

    it('closes a connection that sends nothing at all, within the header and idle timeouts', async () => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: `127.0.0.${++next}` });
      const { afterMs } = await closedBy(socket);
      expect(afterMs).toBeGreaterThanOrEqual(Math.min(HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS) - 100);
      expect(afterMs).toBeLessThan(Math.max(HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS) + CLOSE_SLACK_MS);
    });
  });

  describe('live alert streams', () => {
    it('keeps a stream open past the request and idle timeouts (its heartbeat is more frequent), with the security headers', async () => {
      const stream = new OpenStream(
        await caller(await stack.token('coordinator', 'municipality:851', 'long-listener')).get('/v1/alerts/stream'),
      );
      streams.push(stream);
      expect(stream.response.status).toBe(200);
      expect(securityHeadersOf(stream.response)).toEqual(SECURITY_HEADERS);
      const opened = performance.now();
      // Heartbeats every half idle timeout: by the time enough have come, both timeouts have passed.
      await waitFor(
        'heartbeats past the request and idle timeouts',
        () =>
          stream.closed ||
          (stream.pings >= 3 && performance.now() - opened > Math.max(REQUEST_TIMEOUT_MS, IDLE_TIMEOUT_MS) + 1_000),
        { everyMs: 250 },
      );
      expect({ closed: stream.closed, text: stream.text }).toEqual({
        closed: false,
        text: expect.stringMatching(/^retry: 3000\n: connected\n\n(: ping\n\n)+$/),
      });
      stream.close();
    });

    it(`refuses a subject's stream beyond ${STREAMS} with 429 TOO_MANY_STREAMS, and takes it once one is closed`, async () => {
      const listener = caller(await stack.token('coordinator', 'municipality:851', 'many-tabs'));
      const open = async () => new OpenStream(await listener.get('/v1/alerts/stream'));
      const tabs = [await open(), await open()];
      streams.push(...tabs);
      expect(tabs.map((t) => t.response.status)).toEqual([200, 200]);

      const refused = await listener.get('/v1/alerts/stream');
      expectError(refused, 429, 'TOO_MANY_STREAMS');
      expect(refused.body.message).toMatch(/2 live alert streams open/);
      expect(securityHeadersOf(refused)).toEqual(SECURITY_HEADERS);
      // Another subject, even of the same organisation, has slots of its own.
      const colleague = new OpenStream(
        await listener.as(await stack.token('coordinator', 'municipality:851', 'colleague')).get('/v1/alerts/stream'),
      );
      streams.push(colleague);
      expect(colleague.response.status).toBe(200);

      tabs[0].close();
      const reopened = await waitFor(
        'a slot to be free after a stream was closed',
        async () => {
          const attempt = await listener.get('/v1/alerts/stream');
          if (attempt.status === 200) return new OpenStream(attempt);
          attempt.message.resume();
          return null;
        },
        { everyMs: 500 },
      );
      streams.push(reopened);
      expect(tabs[1].closed).toBe(false);
    });
  });

  describe('security headers', () => {
    it('are on every /v1 answer, errors included; the dashboard and Swagger UI keep their own', async () => {
      const client = caller(await stack.token('municipality', 'municipality:851', 'header-reader'));
      const anonymous = caller();
      const answers: Record<string, Response> = {
        '200': await client.get('/v1/organisations'),
        '401': await anonymous.get('/v1/cases'),
        '404 route': await client.get('/v1/no-such-route'),
        '404 case': await client.get('/v1/cases/6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'),
        '400 validation': await client.post('/v1/cases', { nonsense: true }),
        '400 bad URL': await client.get('/v1/cases/%E0%A4%A'),
        '200 sign-in options': await anonymous.get('/v1/sign-in'),
        '200 health': await anonymous.get('/health'),
      };
      expect(
        Object.fromEntries(Object.entries(answers).map(([what, res]) => [what, [res.status, securityHeadersOf(res)]])),
      ).toEqual({
        '200': [200, SECURITY_HEADERS],
        '401': [401, SECURITY_HEADERS],
        '404 route': [404, SECURITY_HEADERS],
        '404 case': [404, SECURITY_HEADERS],
        '400 validation': [400, SECURITY_HEADERS],
        '400 bad URL': [400, SECURITY_HEADERS],
        '200 sign-in options': [200, SECURITY_HEADERS],
        '200 health': [200, SECURITY_HEADERS],
      });

      const docs = await anonymous.get('/docs');
      expect([docs.status, docs.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      expect(docs.headers.get('cache-control')).not.toBe('no-store');
      expect(docs.headers.get('strict-transport-security')).toBe(`max-age=${HSTS_MAX_AGE}`);
      const page = await anonymous.get('/app/');
      if (page.status === 200) {
        // Built: the page is revalidated, not forbidden from caches, and keeps its content security policy.
        expect(page.headers.get('cache-control')).toBe('no-cache');
        expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
      } else expectError(page, 404, 'DASHBOARD_NOT_BUILT');
      expect(page.headers.get('strict-transport-security')).toBe(`max-age=${HSTS_MAX_AGE}`);
    });
  });

  describe('while Redis is down', () => {
    it('lets requests through (the limits fail open) and counts again when Redis is back', async () => {
      const mia = caller(await stack.token('municipality', 'municipality:851', 'mia-without-redis'));
      await redis.kill();
      const statuses: number[] = [];
      for (let i = 0; i < 2 * PER_SUBJECT; i++) statuses.push((await mia.get('/v1/organisations')).status);
      expect(statuses).toEqual(statuses.map(() => 200));
      expect(stack.api.logs).toMatch(/the abuse limits are off while Redis does not answer/);

      await redis.restart();
      await waitFor('the limits to count again', async () => (await mia.get('/v1/organisations')).status === 429, {
        everyMs: 100,
      });
      expect(stack.api.logs).toMatch(/Redis answers again: the abuse limits are back/);
    });
  });
});
