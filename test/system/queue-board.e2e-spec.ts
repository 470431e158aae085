import path from 'node:path';
import { Queue } from 'bullmq';
import type { SMTPServer } from 'smtp-server';
import { startSmtpServer } from '@test/support/smtp-server';
import { ALERT_DELIVERIES_QUEUE, EMAIL_DELIVERIES_QUEUE, WEBHOOK_DELIVERIES_QUEUE } from '@app/alerts';
import { redisConnectionOptions } from '@app/config';
import { containsCpr } from '@app/pathway';
import { DEADLINES_QUEUE } from '@app/timers';
import { expectError } from '@test/support/api-error';
import { BrowserSession } from '@test/support/browser';
import { concern } from '@test/support/cases';
import { Stack, type Client, type Response } from '@test/support/stack';
import { waitFor } from '@test/support/time';

const CPR = '010190-1234';
/** The mailbox the test relay refuses, naming it in its answer as real relays do. */
const REFUSED = 'nobody@hansen.example';
const QUEUES = [DEADLINES_QUEUE, ALERT_DELIVERIES_QUEUE, WEBHOOK_DELIVERIES_QUEUE, EMAIL_DELIVERIES_QUEUE];

/** Every email address in a text. */
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;

interface BoardJob {
  id: string;
  name: string;
  data: Record<string, unknown>;
  failedReason?: string;
  stacktrace: string[];
}
interface BoardQueue {
  name: string;
  readOnlyMode: boolean;
  counts: Record<string, number>;
  jobs: BoardJob[];
}

/** The attributes of a Set-Cookie header, lower-cased names; the cookie itself under `name` and `value`. */
function parseSetCookie(header: string): Record<string, string> {
  const [pair, ...attributes] = header.split(';').map((p) => p.trim());
  const at = pair.indexOf('=');
  return {
    name: pair.slice(0, at),
    value: pair.slice(at + 1),
    ...Object.fromEntries(
      attributes.map((a) => {
        const [k, v = ''] = a.split('=');
        return [k.toLowerCase(), v];
      }),
    ),
  };
}

describe('the queue view (Bull Board at /admin/queues): the platform administrator only, read-only, without personal data', () => {
  let stack: Stack;
  let smtp: SMTPServer;
  let platform: Client;
  let platformToken: string;
  /** A queue on the stack's Redis, to put a job of our own in. */
  let emails: Queue;

  beforeAll(async () => {
    let smtpPort: number;
    ({ server: smtp, port: smtpPort } = await startSmtpServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo: (address, _session, callback) =>
        callback(
          address.address === REFUSED
            ? Object.assign(new Error(`<${address.address}>: Recipient address rejected: no such mailbox`), {
                responseCode: 550,
              })
            : undefined,
        ),
      onData: (stream, _session, callback) => stream.resume().on('end', () => callback()),
    }));
    stack = await Stack.start({
      workers: 1,
      env: {
        PATHWAY_POLICY_FILE: path.resolve(__dirname, '..', 'policies', 'seconds.json'),
        DELIVERY_ATTEMPTS: '2',
        DELIVERY_BACKOFF_MS: '100',
        JOB_LOCK_MS: '2000',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        DEV_SIGN_IN: 'true',
      },
    });
    platformToken = await stack.token('admin', 'pathway:platform', 'root');
    platform = await stack.as('admin', 'pathway:platform', 'root');
    emails = new Queue(EMAIL_DELIVERIES_QUEUE, { connection: redisConnectionOptions(stack.env.REDIS_URL, 'test') });
  });

  afterAll(async () => {
    await emails?.close();
    await stack?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  const board = async (client: Client, query = '', headers?: Record<string, string>) =>
    client.get<{ queues: BoardQueue[] }>(`/admin/queues/api/queues${query}`, headers);

  it('refuses anyone but the platform administrator, in the error contract', async () => {
    const anonymous = stack.anonymous();
    for (const url of [
      '/admin/queues',
      '/admin/queues/',
      '/admin/queues/api/queues',
      '/admin/queues/static/x.js',
      // The router decodes the path: an encoded letter reaches the same routes, and is refused the same.
      '/admin/%71ueues/api/queues',
      '/admin/queues/%61pi/queues',
    ]) {
      const res = await anonymous.get(url);
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expectError(await anonymous.post('/v1/admin/queue-session'), 401, 'UNAUTHENTICATED');
    expectError(await anonymous.get('/admin/queues', { cookie: 'pathway_board=not-a-token' }), 401, 'UNAUTHENTICATED');

    const others = [
      await stack.as('coordinator', 'municipality:851', 'mia'),
      await stack.as('admin', 'municipality:851', 'kommune-admin'),
    ];
    for (const other of others) {
      expectError(await other.get('/admin/queues'), 403, 'NOT_PLATFORM_ADMIN');
      expectError(await board(other), 403, 'NOT_PLATFORM_ADMIN');
      expectError(await other.post('/v1/admin/queue-session'), 403, 'NOT_PLATFORM_ADMIN');
    }
    // Another's token in the cookie is no better.
    const coordinatorToken = await stack.token('coordinator', 'municipality:851', 'mia');
    expectError(
      await board(stack.anonymous(), '', { cookie: `pathway_board=${coordinatorToken}` }),
      403,
      'NOT_PLATFORM_ADMIN',
    );
  });

  it('shows the platform administrator the board (with a bearer token): its page and files, under a CSP of this origin only and the security headers', async () => {
    const page = await platform.get<string>('/admin/queues');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="root">');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const script = /<script defer src="(static\/js\/main\.[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    expect((await platform.get(`/admin/queues/${script}`)).status).toBe(200);

    const queues = (await board(platform)).body.queues;
    expect(queues.map((q) => q.name).sort()).toEqual([...QUEUES].sort());
    expect(queues.every((q) => q.readOnlyMode)).toBe(true);
  });

  it('opens a session: a cookie for the view only, HttpOnly and SameSite=Strict, living no longer than the token; the cookie alone opens the view', async () => {
    const res = await platform.post('/v1/admin/queue-session');
    expect(res.status).toBe(204);
    const cookie = parseSetCookie(res.headers.get('set-cookie') ?? '');
    expect(cookie).toMatchObject({
      name: 'pathway_board',
      value: platformToken,
      httponly: '',
      samesite: 'Strict',
      path: '/admin/queues',
    });
    // PUBLIC_BASE_URL is http here: no Secure (a browser would not send it back).
    expect(cookie).not.toHaveProperty('secure');
    const exp = JSON.parse(Buffer.from(platformToken.split('.')[1], 'base64url').toString()).exp as number;
    const maxAge = Number(cookie['max-age']);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(exp - Math.floor(stack.clock.now().getTime() / 1000) + 1);

    const byCookie = await board(stack.anonymous(), '', { cookie: `other=1; pathway_board=${cookie.value}` });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.queues.map((q) => q.name).sort()).toEqual([...QUEUES].sort());
    expect((await stack.anonymous().get('/admin/queues', { cookie: `pathway_board=${cookie.value}` })).status).toBe(
      200,
    );
  });

  it('is read-only: no job is retried, promoted, added or removed from it', async () => {
    const job = await emails.add(
      'email',
      { deliveryId: 'e.read-only', caseId: 'c', alert: 'a', round: 0 },
      { jobId: 'e.read-only', delay: 3_600_000 },
    );
    const attempts: [string, string][] = [
      ['PUT', `/admin/queues/api/queues/${EMAIL_DELIVERIES_QUEUE}/${job.id}/promote`],
      ['PUT', `/admin/queues/api/queues/${EMAIL_DELIVERIES_QUEUE}/retry/failed`],
      ['PUT', `/admin/queues/api/queues/${EMAIL_DELIVERIES_QUEUE}/${job.id}/clean`],
      ['PUT', `/admin/queues/api/queues/${EMAIL_DELIVERIES_QUEUE}/empty`],
      ['PUT', '/admin/queues/api/queues/pause'],
      ['POST', `/admin/queues/api/queues/${EMAIL_DELIVERIES_QUEUE}/add`],
    ];
    for (const [method, url] of attempts) {
      const res = await platform.request(method, url, { body: { name: 'x', data: {} } });
      expectError(res, 405, 'QUEUE_VIEW_READ_ONLY');
      // Anyone else is told who may ask first.
      expectError(await stack.anonymous().request(method, url), 401, 'UNAUTHENTICATED');
    }
    expect(await job.getState()).toBe('delayed');
    expect(await emails.isPaused()).toBe(false);
    expect(await emails.getJobCountByTypes('wait', 'delayed', 'failed')).toBe(1);
    await job.remove();
  });

  it('shows job ids only: no email address and no CPR number, in job data or in a failed delivery’s reason', async () => {
    // A job of our own with a recipient and a CPR number in it: the view shows its ids.
    await emails.add(
      'email',
      {
        deliveryId: 'e.crafted',
        organisation: 'gp:hansen',
        to: 'secret.person@kommune.example',
        caseId: 'c-1',
        alert: 'a-1',
        round: 2,
        note: `mother ${CPR}`,
      },
      { jobId: 'e.crafted', delay: 3_600_000 },
    );
    // A real alert email the relay refuses, naming the address: it fails for good after two attempts.
    const contacts = [{ tier: 'duty-inbox', name: 'Gammel postkasse', email: REFUSED }];
    expect((await platform.request('PUT', '/v1/organisations/gp:hansen/contacts', { body: { contacts } })).status).toBe(
      200,
    );
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const registered = await gp.post('/v1/cases', concern({ cpr: CPR }));
    expect(registered.status).toBe(201);
    const caseId = registered.body.id as string;

    const failed = await waitFor('a failed email delivery of the case in the queue view', async () =>
      (await board(platform, `?activeQueue=${EMAIL_DELIVERIES_QUEUE}&status=failed`)).body.queues
        .find((q) => q.name === EMAIL_DELIVERIES_QUEUE)
        ?.jobs.find((j) => j.data.caseId === caseId),
    );
    expect(Object.keys(failed.data).sort()).toEqual(['alert', 'caseId', 'deliveryId', 'round']);
    // The relay's answer is shown, without the address it named.
    expect(failed.failedReason).toMatch(/550 <\[email\]>: Recipient address rejected/);

    const delayed = (await board(platform, `?activeQueue=${EMAIL_DELIVERIES_QUEUE}&status=delayed`)).body.queues
      .find((q) => q.name === EMAIL_DELIVERIES_QUEUE)!
      .jobs.find((j) => j.id === 'e.crafted');
    expect(delayed?.data).toEqual({ deliveryId: 'e.crafted', caseId: 'c-1', alert: 'a-1', round: 2 });

    // Everything the view's API answers about them: every queue and status, and the jobs one by one.
    const answers: Response[] = [];
    for (const queue of QUEUES)
      for (const status of ['latest', 'failed', 'delayed', 'completed', 'waiting', 'active'])
        answers.push(await board(platform, `?activeQueue=${queue}&status=${status}&jobsPerPage=50`));
    // One job by itself (a delivery's own id is longer than the 100 characters a path segment may have: 414).
    answers.push(await platform.get(`/admin/queues/api/queues/${EMAIL_DELIVERIES_QUEUE}/e.crafted`));
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    const text = answers.map((a) => JSON.stringify(a.body)).join('\n');
    expect(text).toContain(caseId);
    expect(text).not.toMatch(EMAIL);
    // (By words: the hexadecimal digits of the ids around do not count.)
    expect(containsCpr(text, 'words')).toBe(false);
    expect(text).not.toContain(CPR);
    expect(text).not.toContain(CPR.replace('-', ''));
  });

  it('opens from the dashboard for the platform administrator: "Køer" opens the session and the board shows the queues in the browser, under its CSP', async () => {
    const browser = await BrowserSession.open('queue-board');
    try {
      const { page } = browser;
      const refused: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
      });
      await page.goto(`${stack.baseUrl}/app/`);
      await page.getByLabel('Rolle').selectOption('admin');
      await page.getByLabel('Organisation').selectOption('pathway:platform');
      await page.getByLabel('Bruger-id').fill('root');
      await page.getByRole('button', { name: 'Log ind' }).click();
      await page.getByRole('button', { name: 'Køer' }).click();
      await page.waitForURL(`${stack.baseUrl}/admin/queues/**`);
      for (const queue of QUEUES) await page.getByText(queue, { exact: true }).first().waitFor();
      await browser.screenshot('01-queues');
      expect(browser.errors).toEqual([]);
      // Its own scripts and styles run; only the web fonts it would fetch from elsewhere are refused.
      expect(refused.filter((r) => !r.includes('fonts.googleapis.com'))).toEqual([]);
      expect((await browser.context.cookies()).find((c) => c.name === 'pathway_board')).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
        path: '/admin/queues',
      });

      // Anyone else has no such button.
      await page.goto(`${stack.baseUrl}/app/`);
      await page.getByRole('button', { name: 'Log ud' }).click();
      await page.getByLabel('Rolle').selectOption('admin');
      await page.getByLabel('Organisation').selectOption('municipality:851');
      await page.getByLabel('Bruger-id').fill('kommune-admin');
      await page.getByRole('button', { name: 'Log ind' }).click();
      await page.getByTestId('who').filter({ hasText: 'kommune-admin' }).waitFor();
      await expect(page.getByRole('button', { name: 'Køer' }).count()).resolves.toBe(0);
    } finally {
      await browser.close();
    }
  });
});
