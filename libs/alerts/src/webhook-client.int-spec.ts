import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertMessage } from './alert-message';
import { SAMPLE_CASE_ID, sampleAlertMessage } from './testing/sample-alert-message';
import { postWebhook, WebhookDeliveryError, type PostWebhookOptions } from './webhook-client';
import { verifyWebhook, WEBHOOK_HEADERS } from './webhook-signature';
import { WebhookTargetGuard, type Resolver } from './webhooks/webhook-target-guard';

const SECRET = 'whsec-int-7c21e9';
const CASE_ID = SAMPLE_CASE_ID;
const message: AlertMessage = sampleAlertMessage({
  deliveryId: `${CASE_ID}.notification-assessment-1.breach.r0.sub-1.webhook`,
});

interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];

/** The receivers listen on loopback, which only an allowlist lets webhooks reach. */
const LOOPBACK_ALLOWED = new WebhookTargetGuard(['127.0.0.1/32']);
const post = (url: string, secret = SECRET, options: PostWebhookOptions = {}) =>
  postWebhook(url, message, secret, { guard: LOOPBACK_ALLOWED, ...options });

/** A receiver on a free port; `answer` decides the response, or leaves the request hanging. */
async function receiver(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pathway`, received };
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) =>
    res.writeHead(code, headers).end('{}');

async function failure(promise: Promise<unknown>): Promise<WebhookDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookDeliveryError);
  expect((error as Error).message).not.toContain(SECRET);
  return error as WebhookDeliveryError;
}

const asHeaders = (headers: IncomingHttpHeaders): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));

afterAll(() => LOOPBACK_ALLOWED.close());

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('postWebhook', () => {
  it('delivers a body the receiver can verify, with the delivery id header', async () => {
    const { url, received } = await receiver(status(204));
    const result = await post(url);

    expect(result.status).toBe(204);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers[WEBHOOK_HEADERS.delivery]).toBe(message.deliveryId);
    expect(request.headers[WEBHOOK_HEADERS.event]).toBe('alert');
    expect(verifyWebhook(request.body, asHeaders(request.headers), SECRET, new Date())).toBe(true);
    expect(verifyWebhook(request.body, asHeaders(request.headers), 'another-secret', new Date())).toBe(false);
    expect(JSON.parse(request.body).alert).toEqual(message);
  });

  it('sends the correlation id as X-Correlation-Id when it has one, and no such header otherwise', async () => {
    const { url, received } = await receiver(status(204));
    await post(url, SECRET, { correlationId: 'req-1' });
    await post(url);
    expect(received.map((r) => r.headers['x-correlation-id'])).toEqual(['req-1', undefined]);
  });

  it('signs with the sending time it is given', async () => {
    const { url, received } = await receiver(status(200));
    const now = new Date('2026-11-24T13:00:05.000Z');
    await post(url, SECRET, { now });

    expect(received[0].headers[WEBHOOK_HEADERS.timestamp]).toBe(String(now.getTime() / 1000));
    expect(verifyWebhook(received[0].body, asHeaders(received[0].headers), SECRET, now)).toBe(true);
    expect(
      verifyWebhook(received[0].body, asHeaders(received[0].headers), SECRET, new Date(now.getTime() + 3600_000)),
    ).toBe(false);
  });

  it.each([500, 503, 429])('gives a retryable error on %i', async (code) => {
    const { url } = await receiver(status(code));
    const error = await failure(post(url));
    expect(error).toMatchObject({ status: code, retryable: true });
  });

  it.each([400, 401, 404, 410])(
    'gives a non-retryable error on %i, naming the receiver without its query',
    async (code) => {
      const { url } = await receiver(status(code));
      const error = await failure(post(`${url}?token=receiver-token`));
      expect(error).toMatchObject({ status: code, retryable: false });
      expect(error.message).toContain(url);
      expect(error.message).not.toContain('receiver-token');
    },
  );

  it('does not follow a redirect, and does not retry it', async () => {
    const elsewhere = await receiver(status(200));
    const { url } = await receiver(status(307, { location: elsewhere.url }));
    const error = await failure(post(url));

    expect(error).toMatchObject({ status: 307, retryable: false });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('gives up on a receiver that never answers, retryably', async () => {
    const { url, received } = await receiver(() => undefined);
    const started = Date.now();
    const error = await failure(post(url, SECRET, { timeoutMs: 200 }));

    expect(error).toMatchObject({ status: null, retryable: true });
    expect(error.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(received).toHaveLength(1);
  });

  it('gives a retryable error when the connection is refused', async () => {
    const { url } = await receiver(status(200));
    const closed = servers.pop() as Server;
    await new Promise((resolve) => closed.close(resolve));

    const error = await failure(post(url));
    expect(error).toMatchObject({ status: null, retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses, without retry, a URL that can never work', async () => {
    for (const url of ['not a url', 'ftp://127.0.0.1/hook', 'http://user:pw@127.0.0.1/hook']) {
      const error = await failure(post(url));
      expect(error).toMatchObject({ status: null, retryable: false });
      expect(error.message).not.toContain('pw');
    }
  });

  it('refuses, without retry and without sending, when the secret is missing', async () => {
    const { url, received } = await receiver(status(200));
    const error = await failure(post(url, ''));
    expect(error).toMatchObject({ status: null, retryable: false });
    expect(received).toHaveLength(0);
  });
});

describe('postWebhook, guarded against SSRF', () => {
  const PUBLIC = '93.184.215.14';
  /** A resolver answering each asking with the next answer (the last one again when they run out). */
  function resolving(...answers: string[][]): { resolve: Resolver; calls: string[] } {
    const calls: string[] = [];
    const resolve: Resolver = async (hostname) => {
      calls.push(hostname);
      const answer = answers[Math.min(calls.length, answers.length) - 1];
      return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };
    return { resolve, calls };
  }
  const guards: WebhookTargetGuard[] = [];
  const guard = (allowed: string[], resolver?: { resolve: Resolver }) => {
    guards.push(new WebhookTargetGuard(allowed, resolver?.resolve));
    return guards[guards.length - 1];
  };
  afterAll(async () => {
    await Promise.all(guards.map((g) => g.close()));
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['localhost', 'loopback name'],
  ])('by default refuses, without retry and without connecting, a receiver listening at %s', async (host, why) => {
    const { url, received } = await receiver(status(200));
    const error = await failure(postWebhook(url.replace('127.0.0.1', host), message, SECRET));

    expect(error).toMatchObject({ status: null, retryable: false });
    expect(error.message).toContain(why);
    expect(error.message).toContain('refused');
    expect(received).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback, connecting nowhere', async () => {
    const { url, received } = await receiver(status(200));
    const resolver = resolving(['127.0.0.1']);
    const error = await failure(
      postWebhook(url.replace('127.0.0.1', 'hooks.example'), message, SECRET, { guard: guard([], resolver) }),
    );

    expect(error).toMatchObject({ status: null, retryable: false });
    expect(error.message).toContain('hooks.example is or resolves to a loopback address (127.0.0.1)');
    expect(received).toHaveLength(0);
  });

  it('refuses a name when any one of its addresses is refused', async () => {
    const { url, received } = await receiver(status(200));
    const resolver = resolving([PUBLIC, '10.0.0.1']);
    const error = await failure(
      postWebhook(url.replace('127.0.0.1', 'hooks.example'), message, SECRET, { guard: guard([], resolver) }),
    );
    expect(error.message).toContain('a private address (10.0.0.1)');
    expect(received).toHaveLength(0);
  });

  it('DNS rebinding: a name public when registered and loopback when delivered to is refused at delivery', async () => {
    const { url, received } = await receiver(status(200));
    const target = url.replace('127.0.0.1', 'rebinding.example');
    const resolver = resolving([PUBLIC], ['127.0.0.1']);
    const rebinding = guard([], resolver);

    expect(await rebinding.refusal(new URL(target))).toBeNull();
    const error = await failure(postWebhook(target, message, SECRET, { guard: rebinding }));
    expect(error).toMatchObject({ status: null, retryable: false });
    expect(error.message).toContain('loopback');
    expect(received).toHaveLength(0);
  });

  it.each([
    ['an allowlisted range', ['127.0.0.0/8']],
    ['an allowlisted name', ['hooks.example']],
  ])(
    'delivers through %s, connecting to the address it resolved, resolved once (no second lookup)',
    async (_, allowed) => {
      const { url, received } = await receiver(status(204));
      const resolver = resolving(['127.0.0.1'], ['10.9.9.9']);
      const result = await postWebhook(url.replace('127.0.0.1', 'hooks.example'), message, SECRET, {
        guard: guard(allowed, resolver),
      });

      expect(result.status).toBe(204);
      expect(received).toHaveLength(1);
      expect(received[0].headers.host).toBe(`hooks.example:${new URL(url).port}`);
      expect(resolver.calls).toEqual(['hooks.example']);
    },
  );

  it('an allowlisted address does not let other loopback addresses through', async () => {
    const { url, received } = await receiver(status(200));
    const error = await failure(postWebhook(url, message, SECRET, { guard: guard(['127.0.0.2/32', 'other.example']) }));
    expect(error).toMatchObject({ retryable: false });
    expect(received).toHaveLength(0);
  });
});
