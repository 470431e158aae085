import fs from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Client as PgClient } from 'pg';
import type { SMTPServer } from 'smtp-server';
import { startSmtpServer } from '@test/support/smtp-server';
import os from 'node:os';
import path from 'node:path';
import { concern, register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { verifyWebhook } from '@app/alerts';
import { sleep, testNow, waitFor } from '@test/support/time';

/**
 * Alerts in the app, with real processes: the seconds-scale policy (test/policies/seconds.json)
 * with alerts re-sent every 2 s (high) and 1 s (critical), climbing after two re-sends. A GP
 * registration opens municipality-notification (owner gp:hansen, 4 s: warning at 3 s, breach at 4 s)
 * and coordinator-assignment (owner municipality:851).
 */
interface StreamedAlert {
  event: 'raised' | 'resent' | 'acknowledged' | 'resolved';
  alert: {
    id: string;
    caseId: string;
    caseReference: string;
    step: string;
    severity: string;
    status: string;
    owner: string;
    reach: string;
    resends: number;
    audience: string[];
  };
}

/** A Server-Sent Events client on GET /v1/alerts/stream: collects every `alert` event and the raw text. */
class AlertListener {
  readonly received: StreamedAlert[] = [];
  raw = '';
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  static async open(baseUrl: string, token: string, via: 'header' | 'query' = 'header'): Promise<AlertListener> {
    const listener = new AlertListener();
    const url =
      via === 'query'
        ? `${baseUrl}/v1/alerts/stream?access_token=${encodeURIComponent(token)}`
        : `${baseUrl}/v1/alerts/stream`;
    const res = await fetch(url, {
      headers: via === 'header' ? { authorization: `Bearer ${token}` } : {},
      signal: listener.abort.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`stream → ${res.status}`);
    if (!res.headers.get('content-type')?.startsWith('text/event-stream'))
      throw new Error(`stream content-type ${res.headers.get('content-type')}`);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    listener.done = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          const text = decoder.decode(value, { stream: true });
          listener.raw += text;
          buffer += text;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n');
            if (/^event: alert$/m.test(block) && data) listener.received.push(JSON.parse(data) as StreamedAlert);
          }
        }
      } catch {
        // aborted
      }
    })();
    return listener;
  }

  of(caseId: string): StreamedAlert[] {
    return this.received.filter((m) => m.alert.caseId === caseId);
  }

  waitFor(what: string, predicate: (m: StreamedAlert) => boolean): Promise<StreamedAlert> {
    return waitFor(
      () => `${what} on the stream; got ${JSON.stringify(this.received.map((m) => [m.event, m.alert.id]))}`,
      () => this.received.find(predicate),
      { everyMs: 50 },
    );
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

describe('alerts: the in-app inbox, the live stream, acknowledgement, re-sending and resolution', () => {
  let stack: Stack;
  let dir: string;
  let gp: Client;
  let municipality: Client;
  let clinic: Client;
  /** A real SMTP server the worker sends alert emails to. */
  let smtp: SMTPServer;
  const mails: ParsedMail[] = [];

  beforeAll(async () => {
    let smtpPort: number;
    ({ server: smtp, port: smtpPort } = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        callback(auth.username === 'pathway' && auth.password === 'relay-pw' ? null : new Error('invalid login'), {
          user: auth.username,
        }),
      // A mailbox that does not exist: its emails keep failing.
      onRcptTo: (address, _session, callback) =>
        callback(
          address.address.startsWith('nobody@')
            ? Object.assign(new Error('no such mailbox'), { responseCode: 550 })
            : undefined,
        ),
      onData: (stream, _session, callback) =>
        void simpleParser(stream).then((mail) => (mails.push(mail), callback()), callback),
    }));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-alerts-'));
    const policy = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'policies', 'seconds.json'), 'utf8'));
    policy.alerts = { resendEvery: { high: 'PT2S', critical: 'PT1S' }, climbAfterResends: 2 };
    const policyFile = path.join(dir, 'seconds-alerts.json');
    fs.writeFileSync(policyFile, JSON.stringify(policy));
    stack = await Stack.start({
      workers: 1,
      env: {
        PATHWAY_POLICY_FILE: policyFile,
        RECONCILE_INTERVAL_MS: '2000',
        DELIVERY_ATTEMPTS: '3',
        DELIVERY_BACKOFF_MS: '100',
        JOB_LOCK_MS: '2000',
        SMTP_URL: `smtp://pathway:relay-pw@127.0.0.1:${smtpPort}`,
      },
    });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    clinic = await stack.as('clinic', 'clinic:1081', 'lis');
  });
  // Each test's cases are closed after it: their alerts, re-sent every second or two while open, would
  // otherwise load the worker for every later test.
  afterEach(async () => {
    const db = new PgClient({ connectionString: stack.db.url });
    await db.connect();
    const { rows } = await db.query<{ case_id: string }>(`SELECT case_id FROM case_summaries WHERE status = 'open'`);
    await db.end();
    // Moved abroad: a reason that closes a case over its open legal duties (else LEGAL_DUTY_OPEN).
    for (const { case_id } of rows) await send(municipality, case_id, 'close-case', { reason: 'moved-abroad' });
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('raises an alert per ladder step to the owner and streams it live; acknowledging is recorded and stops the re-sending; meeting the milestone resolves it', async () => {
    const gpStream = await AlertListener.open(stack.baseUrl, await stack.token('referrer', 'gp:hansen', 'dr-hansen'));
    const municipalityStream = await AlertListener.open(
      stack.baseUrl,
      await stack.token('municipality', 'municipality:851', 'mia'),
      'query',
    );
    try {
      const registered = await gp.post('/v1/cases', concern({ cpr: '010190-1234' }));
      expect(registered.status).toBe(201);
      const id = registered.body.id as string;
      const breachId = `${id}.municipality-notification-1.breach`;

      // The warning (3 s) and the breach (4 s) of the GP's duty to notify reach the GP's inbox live.
      const warning = await gpStream.waitFor(
        'the warning',
        (m) => m.alert.id === `${id}.municipality-notification-1.warning` && m.event === 'raised',
      );
      expect(warning.alert).toMatchObject({
        severity: 'info',
        status: 'open',
        owner: 'gp:hansen',
        reach: 'coordinator',
        caseReference: registered.body.reference,
      });
      const breach = await gpStream.waitFor('the breach', (m) => m.alert.id === breachId && m.event === 'raised');
      expect(breach.alert).toMatchObject({
        severity: 'high',
        status: 'open',
        reach: 'duty-inbox',
        audience: ['coordinator', 'duty-inbox'],
      });

      // Re-sent every 2 s while nobody takes it, climbing to the team lead after two re-sends.
      const second = await gpStream.waitFor(
        'the second re-send',
        (m) => m.alert.id === breachId && m.event === 'resent' && m.alert.resends === 2,
      );
      expect(second.alert.reach).toBe('team-lead');
      // Each sending is recorded with the reach it had (the stream shows the alert as it is when a
      // sending is delivered, which on a busy machine may already be the next round).
      const resent = ((await gp.get(`/v1/cases/${id}/events`)).body.events as { type: string; data: any }[])
        .filter((e) => e.type === 'AlertResent' && e.data.alert === 'municipality-notification-1.breach')
        .map((e) => [e.data.round, e.data.reach]);
      expect(resent.slice(0, 2)).toEqual([
        [1, 'duty-inbox'],
        [2, 'team-lead'],
      ]);

      // The inbox lists them, newest first; the municipality sees its own alerts, not the GP's.
      const inbox = await gp.get(`/v1/alerts?caseId=${id}&milestone=municipality-notification`);
      expect(inbox.status).toBe(200);
      expect((inbox.body.items as { id: string }[]).map((a) => a.id)).toEqual(
        expect.arrayContaining([breachId, `${id}.municipality-notification-1.warning`]),
      );
      // Page by page (limit 1), the cursor walks the same list (all four steps of the duty to notify have fired by now).
      const walked: string[] = [];
      for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
        const page: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await gp.get(
          `/v1/alerts?caseId=${id}&milestone=municipality-notification&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        walked.push(...page.body.items.map((a) => a.id));
        cursor = page.body.nextCursor;
        if (pages > 20) throw new Error('the cursor does not advance');
      }
      expect(walked).toHaveLength(4);
      expect(walked).toEqual(
        (await gp.get(`/v1/alerts?caseId=${id}&milestone=municipality-notification&limit=200`)).body.items.map(
          (a: { id: string }) => a.id,
        ),
      );
      const theirs = (await municipality.get(`/v1/alerts?caseId=${id}`)).body.items as { owner: string }[];
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.every((a) => a.owner === 'municipality:851')).toBe(true);
      expect(municipalityStream.of(id).length).toBeGreaterThan(0);
      expect(municipalityStream.of(id).every((m) => m.alert.owner === 'municipality:851')).toBe(true);

      // Another organisation may not take it; the owner may, with a note that goes into the case's history.
      const refused = await clinic.post(`/v1/alerts/${breachId}/acknowledge`, {});
      expect(refused.status).toBe(404); // the case is not the clinic's to see
      const ack = await gp.post(`/v1/alerts/${breachId}/acknowledge`, { note: 'Vi ringer til kommunen nu.' });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({
        id: breachId,
        status: 'acknowledged',
        acknowledged: { by: 'dr-hansen', organisation: 'gp:hansen' },
      });
      // The note is free text, so clinical (disclosure policy): never in an alert.
      expect(JSON.stringify(ack.body)).not.toContain('Vi ringer');
      await gpStream.waitFor('the acknowledgement', (m) => m.alert.id === breachId && m.event === 'acknowledged');
      const again = await gp.post(`/v1/alerts/${breachId}/acknowledge`, {});
      expect([again.status, again.body.code]).toEqual([422, 'ALERT_ALREADY_ACKNOWLEDGED']);
      const history = (await gp.get(`/v1/cases/${id}/events`)).body.events as {
        type: string;
        actor?: { id: string };
        data: Record<string, unknown>;
      }[];
      // Who took it is logistics, not the referrer's to see in the events (her own alert shows it).
      expect(history.find((e) => e.type === 'AlertAcknowledged')?.data).toEqual({
        alert: 'municipality-notification-1.breach',
        occurredAt: expect.any(String),
      });
      // The note is in the case's history for those who see clinical detail: the responsible municipality, not the GP.
      expect(history.find((e) => e.type === 'AlertAcknowledged')?.data).not.toHaveProperty('note');
      const municipalityHistory = (await municipality.get(`/v1/cases/${id}/events`)).body.events as typeof history;
      expect(municipalityHistory.find((e) => e.type === 'AlertAcknowledged')?.data).toMatchObject({
        note: 'Vi ringer til kommunen nu.',
      });

      // No re-send of the acknowledged alert after the acknowledgement: one and a half re-send intervals pass.
      const resendsAtAck = gpStream.of(id).filter((m) => m.alert.id === breachId && m.event === 'resent').length;
      await sleep(3_000);
      expect(gpStream.of(id).filter((m) => m.alert.id === breachId && m.event === 'resent').length).toBe(resendsAtAck);

      // Meeting the milestone resolves its alerts.
      await send(gp, id, 'notify-municipality');
      await gpStream.waitFor(
        'the resolution',
        (m) => m.alert.id === `${id}.municipality-notification-1.warning` && m.event === 'resolved',
      );
      const resolved = (await gp.get(`/v1/alerts?caseId=${id}&status=resolved`)).body.items as { id: string }[];
      expect(resolved.map((a) => a.id)).toEqual(
        expect.arrayContaining([breachId, `${id}.municipality-notification-1.warning`]),
      );
      const late = await gp.post(`/v1/alerts/${id}.municipality-notification-1.warning/acknowledge`, {});
      expect([late.status, late.body.code]).toEqual([422, 'ALERT_RESOLVED']);

      // No alert text carries the CPR number.
      expect(gpStream.raw).not.toMatch(/010190|0101901234/);
      expect(JSON.stringify(inbox.body)).not.toMatch(/010190/);
    } finally {
      await gpStream.close();
      await municipalityStream.close();
    }
  });

  it('refuses the stream without a token, and answers 404 for an alert id that is not one', async () => {
    expect((await fetch(`${stack.baseUrl}/v1/alerts/stream`)).status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/v1/alerts`, { headers: {} })).status).toBe(401);
    // The token in the query is for the stream only.
    expect(
      (
        await fetch(
          `${stack.baseUrl}/v1/alerts?access_token=${await stack.token('referrer', 'gp:hansen', 'dr-hansen')}`,
        )
      ).status,
    ).toBe(401);
    const id = await register(gp);
    for (const bad of ['nonsense', `${id}.no-such-1.breach`, `${id}`]) {
      const res = await gp.post(`/v1/alerts/${bad}/acknowledge`, {});
      expect([res.status, res.body.code]).toEqual([404, 'ALERT_NOT_FOUND']);
    }
    const badCursor = await gp.get('/v1/alerts?cursor=abc');
    expect(badCursor.status).toBe(400);
  });

  it('acknowledges several alerts with one note in one request, each on its case’s history; another organisation’s alert is neither acknowledged nor revealed', async () => {
    const id = await register(gp);
    const own = (step: string) => `${id}.municipality-notification-1.${step}`;
    const theirs = (step: string) => `${id}.coordinator-assignment-1.${step}`;
    const open = async (client: Client) =>
      ((await client.get(`/v1/alerts?caseId=${id}&status=open&limit=200`)).body.items as { id: string }[]).map(
        (a) => a.id,
      );
    // The GP's duty to notify breaches (warning and breach in its inbox); the municipality's first warning.
    await waitFor('the GP’s warning and breach', async () => {
      const ids = await open(gp);
      return ids.includes(own('warning')) && ids.includes(own('breach'));
    });
    await waitFor('the municipality’s warning', async () => (await open(municipality)).includes(theirs('warning')));

    // Not its alerts: refused as unknown, and nothing is acknowledged, not even its own in the same request.
    const foreign = await municipality.post('/v1/alerts/acknowledge', {
      alerts: [theirs('warning'), own('breach')],
      note: 'Forsøg',
    });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'ALERT_NOT_FOUND']);
    expect(JSON.stringify(foreign.body)).not.toContain('gp:hansen');
    expect(await open(municipality)).toContain(theirs('warning'));
    expect(await open(gp)).toEqual(expect.arrayContaining([own('warning'), own('breach')]));
    // Roles that only read, and requests that are not one.
    const auditor = await stack.as('auditor', 'municipality:851', 'revisor');
    const refused = await auditor.post('/v1/alerts/acknowledge', { alerts: [theirs('warning')] });
    expect([refused.status, refused.body.code]).toEqual([403, 'ROLE_NOT_PERMITTED']);
    expect((await gp.post('/v1/alerts/acknowledge', { alerts: [] })).status).toBe(400);
    expect((await gp.post('/v1/alerts/acknowledge', { alerts: [own('breach'), own('breach')] })).status).toBe(400);
    const nonsense = await gp.post('/v1/alerts/acknowledge', { alerts: [own('breach'), 'nonsense'] });
    expect([nonsense.status, nonsense.body.code]).toEqual([404, 'ALERT_NOT_FOUND']);
    expect(await open(gp)).toContain(own('breach'));

    // The GP takes both with one note: both acknowledged, each on the case's history with the note.
    const taken = await gp.post(
      '/v1/alerts/acknowledge',
      { alerts: [own('breach'), own('warning')], note: 'Kommunen er ringet op.' },
      { 'x-correlation-id': 'bulk-ack-1' },
    );
    expect(taken.status).toBe(200);
    expect(taken.body.items.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [own('breach'), 'acknowledged'],
      [own('warning'), 'acknowledged'],
    ]);
    expect(taken.body.items[0].acknowledged).toMatchObject({ by: 'dr-hansen', organisation: 'gp:hansen' });
    const events = (await municipality.get(`/v1/cases/${id}/events`)).body.events as {
      type: string;
      data: { alert?: string; note?: string };
    }[];
    const acknowledged = events.filter((e) => e.type === 'AlertAcknowledged');
    expect(acknowledged.map((e) => [e.data.alert, e.data.note]).sort()).toEqual([
      ['municipality-notification-1.breach', 'Kommunen er ringet op.'],
      ['municipality-notification-1.warning', 'Kommunen er ringet op.'],
    ]);
    // The municipality's alert in the refused requests was left alone.
    expect(await open(municipality)).toContain(theirs('warning'));
    // Again: nothing changes, and it is not an error.
    const again = await gp.post('/v1/alerts/acknowledge', { alerts: [own('warning')], note: 'Igen' });
    expect(again.status).toBe(200);
    expect(again.body.items[0].acknowledged.at).toBe(taken.body.items[1].acknowledged.at);
    expect(
      ((await municipality.get(`/v1/cases/${id}/events`)).body.events as { type: string }[]).filter(
        (e) => e.type === 'AlertAcknowledged',
      ),
    ).toHaveLength(2);
  });

  it('delivers every sending of an alert to the owner’s webhooks, signed; an endpoint that keeps failing gets its retries, then a dead letter', async () => {
    const delivered: { headers: IncomingHttpHeaders; body: string }[] = [];
    const refused: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = (into: typeof delivered, status: number) =>
      createServer((req, res) => {
        let body = '';
        req
          .on('data', (c) => (body += c))
          .on('end', () => {
            into.push({ headers: req.headers, body });
            res.writeHead(status).end();
          });
      });
    const listen = (server: Server) =>
      new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)));
    const ok = receiver(delivered, 204);
    const down = receiver(refused, 503);
    const [okPort, downPort] = [await listen(ok), await listen(down)];
    try {
      const good = await gp.post('/v1/webhooks', { url: `http://127.0.0.1:${okPort}/pathway` });
      expect(good.status).toBe(201);
      expect(good.body).toMatchObject({
        organisation: 'gp:hansen',
        url: `http://127.0.0.1:${okPort}/pathway`,
        createdBy: 'dr-hansen',
        secret: expect.stringMatching(/^whsec_/),
      });
      const bad = await gp.post('/v1/webhooks', { url: `http://127.0.0.1:${downPort}/pathway` });
      const listed = (await gp.get('/v1/webhooks')).body.items as Record<string, unknown>[];
      expect(listed.map((w) => w.id)).toEqual(expect.arrayContaining([good.body.id, bad.body.id]));
      expect(listed.every((w) => !('secret' in w))).toBe(true);
      expect((await municipality.get('/v1/webhooks')).body.items).toEqual([]);

      const id = await register(gp, concern({ cpr: '010190-1234' }));
      const breachId = `${id}.municipality-notification-1.breach`;
      const ofBreach = (list: typeof delivered) => list.filter((d) => JSON.parse(d.body).alert.alertId === breachId);
      // The first sending (round 0); on a busy machine a re-send may arrive before it.
      const first = await waitFor('the breach delivered', () =>
        ofBreach(delivered).find((d) => JSON.parse(d.body).alert.round === 0),
      );
      // Signed at the worker's time: the tests' clock.
      expect(verifyWebhook(first.body, first.headers as Record<string, string>, good.body.secret, testNow())).toBe(
        true,
      );
      expect(verifyWebhook(first.body, first.headers as Record<string, string>, 'whsec_wrong', testNow())).toBe(false);
      const payload = JSON.parse(first.body);
      expect(payload.alert).toMatchObject({
        alertId: breachId,
        kind: 'breach',
        severity: 'high',
        round: 0,
        owner: 'gp:hansen',
        milestoneTitle: { da: 'Underretning til kommunen' },
      });
      expect(first.headers['x-pathway-delivery']).toBe(payload.alert.deliveryId);
      expect(delivered.map((d) => d.body).join('')).not.toMatch(/010190/);

      // The endpoint that answers 503: three attempts with the same delivery id, then the dead-letter list.
      type Letter = {
        deliveryId: string;
        attempts: number;
        lastStatus: number;
        caseId: string;
        alert: string;
        subscriptionId: string;
      };
      const letter = await waitFor('the dead letter of the failing endpoint', async () =>
        ((await gp.get('/v1/webhooks/dead-letters')).body.items as Letter[]).find(
          (l) =>
            l.subscriptionId === bad.body.id &&
            l.caseId === id &&
            l.alert === 'municipality-notification-1.breach' &&
            l.deliveryId.includes('.r0.'),
        ),
      );
      expect(letter).toMatchObject({ attempts: 3, lastStatus: 503 });
      expect(refused.filter((d) => d.headers['x-pathway-delivery'] === letter.deliveryId)).toHaveLength(3);
      expect((await municipality.get('/v1/webhooks/dead-letters')).body.items).toEqual([]);

      // Registration is for your own organisations, by people who act; no credentials in the URL.
      const auditor = await stack.as('auditor', 'municipality:851', 'audrey');
      expect((await auditor.post('/v1/webhooks', { url: 'https://example.org/h' })).status).toBe(403);
      expect(
        (await gp.post('/v1/webhooks', { url: 'https://example.org/h', organisation: 'municipality:851' })).body.code,
      ).toBe('NOT_YOUR_ORGANISATION');
      expect((await gp.post('/v1/webhooks', { url: 'https://user:pw@example.org/h' })).body.code).toBe(
        'WEBHOOK_URL_WITH_CREDENTIALS',
      );
      expect((await gp.post('/v1/webhooks', { url: 'ftp://example.org/h' })).status).toBe(400);

      expect((await municipality.request('DELETE', `/v1/webhooks/${good.body.id}`)).status).toBe(404);
      for (const hook of [good.body.id, bad.body.id])
        expect((await gp.request('DELETE', `/v1/webhooks/${hook}`)).status).toBe(204);
      expect((await gp.request('DELETE', `/v1/webhooks/${good.body.id}`)).status).toBe(404);
    } finally {
      ok.close();
      down.close();
    }
  });
  it('emails the contacts of the tier an alert reaches (and the region at escalation 2), in Danish, through a real SMTP server; only an administrator keeps the contact lists', async () => {
    const admin = await stack.as('admin', 'pathway:platform', 'root');
    const contacts = [
      { tier: 'duty-inbox', name: 'Vagttelefonen', email: 'vagt@hansen.example' },
      { tier: 'duty-inbox', name: 'Gammel postkasse', email: 'nobody@hansen.example' },
      { tier: 'team-lead', name: 'Lone Leder', email: 'leder@hansen.example' },
    ];
    expect((await gp.request('PUT', '/v1/organisations/gp:hansen/contacts', { body: { contacts } })).status).toBe(403);
    expect(
      (
        await admin.request('PUT', '/v1/organisations/gp:hansen/contacts', {
          body: { contacts: [{ tier: 'boss', name: 'X', email: 'x@y.example' }] },
        })
      ).status,
    ).toBe(400);
    const saved = await admin.request('PUT', '/v1/organisations/gp:hansen/contacts', { body: { contacts } });
    expect(saved.status).toBe(200);
    // The regional contact (Region Nordjylland, Aalborg's region), reached at escalation 2.
    expect(
      (
        await admin.request('PUT', '/v1/organisations/region:1081/contacts', {
          body: { contacts: [{ tier: 'management', name: 'Regionens koordinator', email: 'region@nord.example' }] },
        })
      ).status,
    ).toBe(200);
    expect(
      (await gp.get('/v1/organisations/gp:hansen/contacts')).body.contacts
        .map((c: { email: string }) => c.email)
        .sort(),
    ).toEqual(['leder@hansen.example', 'nobody@hansen.example', 'vagt@hansen.example']);
    expect((await municipality.get('/v1/organisations/gp:hansen/contacts')).status).toBe(403);

    const registered = await gp.post('/v1/cases', concern({ cpr: '010190-1234' }));
    const { id, reference } = registered.body as { id: string; reference: string };
    const breachSubject = `Frist overskredet: underretning til kommunen (sag ${reference})`;
    const escalationSubject = `Eskaleret (niveau 1): underretning til kommunen (sag ${reference})`;
    const regionalSubject = `Eskaleret (niveau 2): underretning til kommunen (sag ${reference})`;
    const mailTo = (to: string, subject: string) =>
      mails.find((m) => m.subject === subject && JSON.stringify(m.to).includes(to));
    // The breach (4 s) reaches the duty inbox; escalation 1 (5 s) the team lead; escalation 2 (6 s) the region.
    // The warning reaches only the coordinator, in the app.
    await waitFor(
      () => `the breach and escalation emails; got ${JSON.stringify(mails.map((m) => [m.to, m.subject]))}`,
      () =>
        mailTo('vagt@hansen.example', breachSubject) &&
        mailTo('leder@hansen.example', escalationSubject) &&
        mailTo('region@nord.example', regionalSubject),
    );
    const breach = mailTo('vagt@hansen.example', breachSubject)!;
    expect(breach.text).toContain(`/app/cases/${id}`);
    expect(breach.text).toMatch(/Frist: \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}/);
    expect(String(breach.headers.get('x-pathway-delivery'))).toMatch(
      new RegExp(`^e\\.${id}\\.municipality-notification-1\\.breach\\.r0\\.`),
    );
    expect(mailTo('leder@hansen.example', escalationSubject)).toBeDefined();
    expect(mailTo('region@nord.example', regionalSubject)).toBeDefined();
    // The region hears only of alerts that reached management: escalation 2, or an alert that climbed
    // there unacknowledged (reach only climbs, so the reach now bounds every sending's).
    const reach = new Map(
      ((await gp.get(`/v1/alerts?caseId=${id}&limit=200`)).body.items as { id: string; reach: string }[]).map((a) => [
        a.id,
        a.reach,
      ]),
    );
    const toRegion = mails
      .filter((m) => JSON.stringify(m.to).includes('region@nord.example') && m.subject?.includes(reference))
      .map((m) => /^e\.[^.]+\.([^.]+\.[^.]+)\.r\d+\./.exec(String(m.headers.get('x-pathway-delivery')))![1]);
    expect(toRegion.filter((alert) => reach.get(`${id}.${alert}`) !== 'management')).toEqual([]);
    expect(mails.some((m) => m.subject?.startsWith('Frist nærmer sig') && m.subject.includes(reference))).toBe(false);
    expect(mails.map((m) => `${m.subject}\n${m.text}`).join('\n')).not.toMatch(/010190/);

    // The mailbox that does not exist: three attempts, then the email is kept in the dead-letter list.
    type Letter = { recipient: string; caseId: string; alert: string; attempts: number; lastError: string };
    const letter = await waitFor('the dead letter of the missing mailbox', async () =>
      ((await gp.get('/v1/organisations/gp:hansen/contacts/dead-letters')).body.items as Letter[]).find(
        (l) => l.caseId === id && l.alert === 'municipality-notification-1.breach',
      ),
    );
    expect(letter).toMatchObject({
      recipient: 'nobody@hansen.example',
      attempts: 3,
      lastError: expect.stringMatching(/550 no such mailbox/),
    });
    expect((await municipality.get('/v1/organisations/gp:hansen/contacts/dead-letters')).status).toBe(403);
  });
  it('a worker killed while a webhook delivery is in flight: another worker takes the job over and delivers it with the same delivery id', async () => {
    // The first request of each delivery is held open: the worker sending it is killed meanwhile.
    const requests = new Map<string, number>();
    const answered = new Set<string>();
    let firstHeld: string | null = null;
    const server = createServer((req, res) => {
      req.resume().on('end', () => {
        const delivery = String(req.headers['x-pathway-delivery']);
        const count = (requests.get(delivery) ?? 0) + 1;
        requests.set(delivery, count);
        if (count === 1 && firstHeld === null) {
          firstHeld = delivery;
          return; // never answered
        }
        answered.add(delivery);
        res.writeHead(204).end();
      });
    });
    const port = await new Promise<number>((r) =>
      server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)),
    );
    const hook = await gp.post('/v1/webhooks', { url: `http://127.0.0.1:${port}/pathway` });
    try {
      await register(gp);
      const held = await waitFor('a delivery held open', () => firstHeld, { everyMs: 50 });
      const [victim] = stack.workers.filter((w) => w.running);
      await victim.stop('SIGKILL');
      const successor = stack.startWorker();
      // JOB_LOCK_MS is 2 s here: the successor finds the killed worker's job stalled and sends it again.
      await waitFor('the held delivery answered', () => answered.has(held));
      process.stdout.write(
        `webhook delivery across a killed worker: delivery ${held} requested ${requests.get(held)} times\n`,
      );
      expect(requests.get(held)).toBeGreaterThanOrEqual(2);
      expect(successor.running).toBe(true);
      const letters = (await gp.get('/v1/webhooks/dead-letters')).body.items as { deliveryId: string }[];
      expect(letters.map((l) => l.deliveryId)).not.toContain(held);
    } finally {
      await gp.request('DELETE', `/v1/webhooks/${hook.body.id}`);
      server.closeAllConnections();
      server.close();
    }
  });
  it('shows a referrer her referrals: whether the receiving organisations acknowledged them and whether their deadlines are kept, without clinical detail', async () => {
    const doctor = await stack.as('referrer', 'gp:sundby', 'dr-sundby');
    const registered = await doctor.post('/v1/cases', concern({ cpr: '010190-1234', note: 'Drikker dagligt.' }));
    const id = registered.body.id as string;
    await send(doctor, id, 'notify-municipality');
    const referred = await send(doctor, id, 'refer-to-clinic');
    const toClinic = (referred.case.handoffs as { id: string; to: string }[]).find((h) => h.to === 'clinic:1081')!;
    await send(clinic, id, 'acknowledge-handoff', { handoffId: toClinic.id });

    const first = await doctor.get('/v1/referrals');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    const referral = first.body.items[0];
    expect(referral).toMatchObject({ caseId: id, reference: registered.body.reference, status: 'open' });
    expect(referral.handoffs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ to: 'clinic:1081', acknowledgedAt: expect.any(String) }),
        expect.objectContaining({ to: 'municipality:851', acknowledgedAt: null }),
      ]),
    );
    expect(referral.notifications).toEqual([
      expect.objectContaining({ municipality: '851', receiptConfirmedAt: null, assessed: false }),
    ]);
    const deadline = (rows: { milestone: string; status: string; onTime: boolean | null }[], m: string) =>
      rows.find((d) => d.milestone === m);
    expect(deadline(referral.deadlines, 'municipality-notification-1')).toMatchObject({ status: 'met', onTime: true });
    expect(deadline(referral.deadlines, 'clinic-referral-1')).toMatchObject({ status: 'met', onTime: true });
    expect(deadline(referral.deadlines, 'notification-receipt-1')).toMatchObject({
      status: 'open',
      onTime: true,
      owner: 'municipality:851',
    });

    // Nobody at the municipality confirms the receipt (8 s): the referrer sees the deadline missed.
    const missed = await waitFor(
      'the receipt deadline breached',
      async () => {
        const d = deadline((await doctor.get('/v1/referrals')).body.items[0].deadlines, 'notification-receipt-1');
        return d?.status === 'breached' && d;
      },
      { everyMs: 250 },
    );
    expect(missed).toMatchObject({ status: 'breached', onTime: false });

    // No clinical detail and no CPR number; and only her own organisation's referrals.
    const text = JSON.stringify((await doctor.get('/v1/referrals')).body);
    expect(text).not.toMatch(/cocaine|alcohol|Drikker|010190|substances|consent/);
    expect(
      ((await municipality.get('/v1/referrals')).body.items as { caseId: string }[]).map((r) => r.caseId),
    ).not.toContain(id);
  });
});
