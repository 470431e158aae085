import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { concern } from '@test/support/cases';
import { Stack, type AppProcess, type Client, type LogEntry } from '@test/support/stack';
import { waitFor } from '@test/support/time';

const SECONDS_POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** 010190-1234 in any of the forms people write it. */
const THE_CPR = /010190\D{0,3}1234|01\D?01\D?90\D{0,3}1234/;

interface HistoryEvent {
  type: string;
  correlationId: string;
  causationId: string;
}

/**
 * Structured logs, with real processes: JSON lines with ISO 8601 times from the API and the worker;
 * one id (the request's) follows a command into its events, the timer it scheduled, the events of
 * that timer's firing, the alert it raised and the webhook delivery of that alert, and the worker's
 * log lines for each of those jobs; credentials and CPR numbers never reach a log.
 */
describe('logs', () => {
  let stack: Stack;
  let gp: Client;
  const deliveries: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => (deliveries.push({ headers: req.headers, body }), res.end()));
  });

  beforeAll(async () => {
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    stack = await Stack.start({ workers: 1, env: { PATHWAY_POLICY_FILE: SECONDS_POLICY, LOG_LEVEL: 'log' } });
    // Ready before the first command: a timer the worker's start-up reconciliation restores from
    // PostgreSQL, before the relay moves its outbox row, carries no correlation id.
    await waitFor('the worker ready', () =>
      stack.workers[0].entries.some((e) => e.context === 'Worker' && e.msg === 'ready'),
    );
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const port = (receiver.address() as AddressInfo).port;
    expect((await gp.post('/v1/webhooks', { url: `http://127.0.0.1:${port}/pathway` })).status).toBe(201);
  });
  afterAll(async () => {
    await stack?.stop();
    receiver.close();
  });

  const entries = (): { app: AppProcess; entry: LogEntry }[] =>
    [stack.api, ...stack.workers].flatMap((app) => app.entries.map((entry) => ({ app, entry })));

  it('carries the request id from the command to its events, its timer’s firing, the alert, its webhook delivery and the worker’s log lines', async () => {
    const requestId = `req-${Date.now().toString(36)}.logs:1`;
    const registered = await gp.post('/v1/cases', concern(), { 'x-request-id': requestId });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('x-request-id')).toBe(requestId);
    const caseId = registered.body.id as string;

    // municipality-notification breaches after 4 s: its ladder fires, the breach alert goes to gp:hansen's webhook.
    const breach = `${caseId}.municipality-notification-1.breach`;
    const delivery = await waitFor('the breach delivered to the webhook', () =>
      deliveries.find((d) => JSON.parse(d.body).alert.alertId === breach),
    );
    expect(delivery.headers['x-correlation-id']).toBe(requestId);

    const history = await gp.get(`/v1/cases/${caseId}/events`);
    expect(history.status).toBe(200);
    const events = history.body.events as HistoryEvent[];
    const fired = events.filter((e) => e.causationId.startsWith('t.'));
    expect(fired.map((e) => e.type)).toEqual(expect.arrayContaining(['MilestoneWarned', 'MilestoneBreached']));
    // Every event, the registration's and the firings' (caused by their timer's job), carries the request's id.
    expect(events.map((e) => e.correlationId)).toEqual(events.map(() => requestId));

    const worker = stack.workers[0];
    const jobLines = await waitFor('the worker logged the firing, the alert and its delivery', () => {
      const mine = worker.entries.filter((e) => e.correlationId === requestId);
      const queues = new Set(mine.map((e) => e.queue));
      const published = mine.some((e) => e.context === 'AlertDelivery' && e.jobId === `a.${breach}.r0`);
      return ['deadlines', 'webhook-deliveries'].every((q) => queues.has(q)) && published && mine;
    });
    expect(jobLines.find((e) => e.queue === 'deadlines')).toMatchObject({
      service: 'worker',
      level: 'info',
      context: 'DeadlineProcessor',
      jobId: expect.stringMatching(new RegExp(`^t\\.${caseId}\\.`)),
    });
    expect(jobLines.find((e) => e.queue === 'webhook-deliveries')).toMatchObject({
      context: 'WebhookDelivery',
      result: 'delivered: 200',
    });

    // The API's line for the request: its route (a template), status, duration and ids.
    const line = stack.api.entries.find((e) => e.requestId === requestId && e.route === '/v1/cases');
    expect(line).toMatchObject({
      service: 'api',
      level: 'info',
      context: 'HTTP',
      method: 'POST',
      status: 201,
      correlationId: requestId,
      durationMs: expect.any(Number),
    });
  });

  it('takes X-Correlation-Id as the correlation id, gives a request without a usable id a fresh one, and answers every request with it', async () => {
    const correlationId = 'batch-7.logs';
    const res = await gp.post('/v1/cases', concern(), { 'x-request-id': 'req-two', 'x-correlation-id': correlationId });
    expect(res.headers.get('x-request-id')).toBe('req-two');
    const events = (await gp.get(`/v1/cases/${res.body.id}/events`)).body.events as HistoryEvent[];
    expect(events.map((e) => e.correlationId)).toEqual(events.map(() => correlationId));

    for (const sent of [undefined, 'not valid!', '010190-1234', 'x'.repeat(101)]) {
      const answer = await gp.get('/v1/cases', sent === undefined ? {} : { 'x-request-id': sent });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-request-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
    // Errors too: a 404 without a route, a 401, a 400.
    expect((await stack.anonymous().get('/nowhere', { 'x-request-id': 'req-404' })).headers.get('x-request-id')).toBe(
      'req-404',
    );
    expect((await stack.anonymous().get('/v1/cases', { 'x-request-id': 'req-401' })).headers.get('x-request-id')).toBe(
      'req-401',
    );
    const refused = await gp.post('/v1/cases', { nonsense: true }, { 'x-request-id': 'req-400' });
    expect([refused.status, refused.headers.get('x-request-id')]).toEqual([400, 'req-400']);
  });

  it('never logs a token or a CPR number, and every line of both apps is JSON with an ISO 8601 time', async () => {
    const token = 'x-secret-token-4711';
    expect((await stack.anonymous().get('/v1/cases', { authorization: `Bearer ${token}` })).status).toBe(401);
    const withCpr = await gp.post('/v1/cases', concern({ note: 'Her CPR is 010190-1234.' }));
    expect(withCpr.status).toBe(400);
    expect((await gp.get('/v1/cases?cpr=010190-1234&q=0101901234')).status).toBeLessThan(500);
    expect((await gp.get('/v1/cases/0101901234')).status).toBe(404);
    expect((await gp.get('/nowhere/010190-1234')).status).toBe(404);
    expect(
      (await gp.get('/v1/cases', { 'x-request-id': '0101901234', 'x-correlation-id': '010190-1234' })).status,
    ).toBe(200);
    // Their lines are written (the last request's), then read.
    await waitFor('the API logged the requests', () =>
      stack.api.entries.some((e) => e.route === '/v1/cases' && e.method === 'GET'),
    );
    const all = entries();
    expect(all.length).toBeGreaterThan(20);
    for (const { app, entry } of all) {
      expect({ app: app.name, time: entry.time }).toEqual({ app: app.name, time: expect.stringMatching(ISO_8601) });
      expect(entry.level).toMatch(/^(trace|debug|info|warn|error|fatal)$/);
      expect(entry.service).toBe(app.name);
    }
    const text = [stack.api.logs, ...stack.workers.map((w) => w.logs)].join('\n');
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/bearer/i);
    expect(text).not.toMatch(THE_CPR);
    // The 404s' lines name no URL: no route.
    expect(stack.api.entries.filter((e) => e.status === 404 && e.route === null).length).toBeGreaterThanOrEqual(1);
  });
});
