import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { concern, send } from '@test/support/cases';
import { CPR_ENDING_1234 } from '@test/support/cpr';
import { Stack, type Client } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/**
 * Who sees what of a case (libs/pathway/policies/disclosure.v1.json), over HTTP against the real
 * API and worker, on the seconds-scale policy so that the GP's duty to notify raises an alert within
 * seconds (warning at 3 s). A GP registers a case with her CPR number; it is referred to the clinic
 * and notified to the municipality, which assesses it, and a place at facility A is granted.
 */
const CPR = '030487-1234';
/** What the referrer must never see, in any answer: clinical detail, notes, decisions, any CPR form. */
const CLINICAL_OR_DECISIONS =
  /alcohol|Heroin|Tremors|investigate|"consent"|"placement"|"treatment"|"substances"|facility:|"outcome"|030487|"cpr"|cprRecorded|hasCpr/;
/** The event types that are the referral's own status (and the milestone events of its deadlines). */
const REFERRAL_EVENTS = new Set([
  'ConcernRegistered',
  'ClinicReferralMade',
  'MunicipalityNotified',
  'NotificationReceiptConfirmed',
  'NotificationAssessed',
  'MilestoneOpened',
  'MilestoneMet',
  'MilestoneWarned',
  'MilestoneBreached',
  'MilestoneEscalated',
  'MilestoneWaived',
  'MilestoneRescheduled',
  'AlertAcknowledged',
  'AlertResent',
]);

/** The SSE stream of GET /v1/alerts/stream as raw text. */
async function openStream(baseUrl: string, token: string): Promise<{ text: () => string; close: () => void }> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`stream → ${res.status}`);
  let raw = '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        raw += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return { text: () => raw, close: () => abort.abort() };
}

describe('disclosure follows role, part and consent, on every route, stream and webhook', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;
  let clinic: Client;
  let facility: Client;
  let coordinator: Client;
  let auditor: Client;
  let admin: Client;
  let receiver: Server;
  const webhookBodies: string[] = [];
  let id: string;
  let stream: { text: () => string; close: () => void };

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 1,
      env: {
        PATHWAY_POLICY_FILE: path.resolve(__dirname, '..', 'policies', 'seconds.json'),
        RECONCILE_INTERVAL_MS: '2000',
      },
    });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    clinic = await stack.as('clinic', 'clinic:1081', 'lis');
    facility = await stack.as('facility', 'facility:holmegaardshuset', 'karen');
    coordinator = await stack.as('coordinator', 'municipality:851', 'alice');
    auditor = await stack.as('auditor', 'municipality:851', 'audrey');
    admin = await stack.as('admin', 'municipality:851', 'root');
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => (webhookBodies.push(body), res.writeHead(204).end()));
    });
    const port = await new Promise<number>((r) =>
      receiver.listen(0, '127.0.0.1', () => r((receiver.address() as AddressInfo).port)),
    );
    expect((await gp.post('/v1/webhooks', { url: `http://127.0.0.1:${port}/pathway` })).status).toBe(201);
    stream = await openStream(stack.baseUrl, await stack.token('referrer', 'gp:hansen', 'dr-hansen'));

    const registered = await gp.post('/v1/cases', concern({ cpr: CPR, note: 'Tremors at the consultation.' }));
    expect(registered.status).toBe(201);
    id = registered.body.id;
    // The registration's own answer is the referrer's view already.
    expect(JSON.stringify(registered.body)).not.toMatch(CLINICAL_OR_DECISIONS);
    // The GP's duty to notify warns her (3 s) on the stream and her webhook before she notifies.
    await waitFor('the warning on the stream', () =>
      stream.text().includes(`${id}.municipality-notification-1.warning`),
    );
    await waitFor('the warning at the webhook', () =>
      webhookBodies.some((b) => b.includes(`${id}.municipality-notification-1.warning`)),
    );
    const referred = await send(gp, id, 'refer-to-clinic');
    expect(JSON.stringify(referred.case)).not.toMatch(CLINICAL_OR_DECISIONS);
    await send(gp, id, 'notify-municipality');
    await send(municipality, id, 'assess-notification', { outcome: 'investigate', note: 'Heroin since week 8.' });
    await send(municipality, id, 'request-residential-placement');
    await send(municipality, id, 'decide-residential-placement', {
      decision: 'granted',
      facility: 'facility:holmegaardshuset',
    });
    await send(municipality, id, 'request-treatment', { kind: 'alcohol' });
  });
  afterAll(async () => {
    stream?.close();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    await stack?.stop();
  });

  const caseOf = async (client: Client) => {
    const res = await client.get(`/v1/cases/${id}`);
    expect(res.status).toBe(200);
    return res.body as Record<string, any>;
  };
  const eventsOf = async (client: Client) =>
    (await client.get(`/v1/cases/${id}/events`)).body.events as { type: string; data: Record<string, unknown> }[];
  const consent = (scope: string, status: 'given' | 'withdrawn') =>
    send(municipality, id, 'record-consent', { scope, status });

  it('the clinic and the facility see logistics only before her consent; her consent shows them more, its withdrawal narrows it again from then on', async () => {
    // Before any consent: logistics. The clinic identifies her in full, the facility masked.
    let c = await caseOf(clinic);
    expect(c).toMatchObject({ cpr: CPR, stage: expect.any(String), estimatedDueDate: expect.any(String) });
    for (const hidden of ['substances', 'consent', 'placement', 'treatment', 'investigation'])
      expect(c).not.toHaveProperty(hidden);
    let f = await caseOf(facility);
    expect(f).toMatchObject({ cpr: '030487-****', stage: expect.any(String) });
    for (const hidden of ['substances', 'consent', 'placement', 'treatment']) expect(f).not.toHaveProperty(hidden);
    let clinicEvents = await eventsOf(clinic);
    expect(clinicEvents.map((e) => e.type)).not.toContain('TreatmentRequested');
    expect(clinicEvents.map((e) => e.type)).not.toContain('ResidentialPlacementGranted');
    expect(JSON.stringify(clinicEvents)).not.toMatch(/alcohol|Heroin|Tremors|investigate/);

    // Consent to residential treatment: the facility sees clinical detail and decisions; the clinic does not.
    await consent('residential', 'given');
    f = await caseOf(facility);
    expect(f).toMatchObject({
      substances: ['alcohol'],
      consent: { residential: 'given' },
      placement: { status: 'granted', facility: 'facility:holmegaardshuset' },
      treatment: { kind: 'alcohol' },
    });
    expect((await eventsOf(facility)).map((e) => e.type)).toContain('ResidentialPlacementGranted');
    expect(await caseOf(clinic)).not.toHaveProperty('substances');

    // Consent to information sharing: the clinic sees them too, notes included.
    await consent('information-sharing', 'given');
    c = await caseOf(clinic);
    expect(c).toMatchObject({ substances: ['alcohol'], consent: { 'information-sharing': 'given' } });
    clinicEvents = await eventsOf(clinic);
    expect(clinicEvents.find((e) => e.type === 'NotificationAssessed')?.data).toMatchObject({
      outcome: 'investigate',
      note: 'Heroin since week 8.',
    });
    expect(clinicEvents.find((e) => e.type === 'ConcernRegistered')?.data).toMatchObject({
      substances: ['alcohol'],
      note: 'Tremors at the consultation.',
    });

    // Both withdrawn: from this moment on both see logistics only again, on the case and its events.
    await consent('information-sharing', 'withdrawn');
    await consent('residential', 'withdrawn');
    for (const party of [clinic, facility]) {
      const now = await caseOf(party);
      for (const hidden of ['substances', 'consent', 'placement', 'treatment']) expect(now).not.toHaveProperty(hidden);
      expect(JSON.stringify(await eventsOf(party))).not.toMatch(/alcohol|Heroin|Tremors|investigate|Consent/);
    }
    expect((await caseOf(clinic)).cpr).toBe(CPR);
    expect((await caseOf(facility)).cpr).toBe('030487-****');

    // The municipality: everything, whatever her consent (the legal duty to notify).
    expect(await caseOf(municipality)).toMatchObject({
      cpr: CPR,
      substances: ['alcohol'],
      consent: { residential: 'withdrawn', 'information-sharing': 'withdrawn' },
      placement: { status: 'granted' },
    });
  });

  it('the referrer sees her referral’s status only, on every route, the live stream and her webhook', async () => {
    const answers: Record<string, unknown> = {};
    const get = async (url: string) => {
      const res = await gp.get(url);
      expect([url, res.status]).toEqual([url, 200]);
      answers[url] = res.body;
      return res.body;
    };
    const view = await get(`/v1/cases/${id}`);
    expect(view).toMatchObject({ id, status: 'open', municipality: { code: '851' } });
    expect(view.handoffs.map((h: { kind: string }) => h.kind).sort()).toEqual([
      'clinic-referral',
      'municipality-notification',
    ]);
    expect(view.notifications[0]).toMatchObject({ assessedAt: expect.any(String) });

    const events = (await get(`/v1/cases/${id}/events`)).events as { type: string; actor: { organisation: string } }[];
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(REFERRAL_EVENTS.has(e.type)).toBe(true);

    const milestones = (await get(`/v1/cases/${id}/milestones`)).milestones as { rule: string }[];
    expect(milestones.map((m) => m.rule)).toContain('municipality-notification');
    expect(milestones.map((m) => m.rule)).not.toContain('residential-decision');

    const actions = (await gp.get(`/v1/cases/${id}/actions`)).body.actions as Record<string, unknown>[];
    // The bodies' schemas are the command catalogue (the same for everyone): what the case tells is the rest.
    answers.actions = actions.map(({ body: _schema, ...offer }) => offer);

    const audit = await get(`/v1/cases/${id}/audit`);
    for (const w of audit.writes as { type: string }[]) expect(REFERRAL_EVENTS.has(w.type)).toBe(true);
    for (const r of audit.reads as { reader: { organisation: string } }[])
      expect(r.reader.organisation).toBe('gp:hansen');

    const list = (await get('/v1/cases')).items as Record<string, unknown>[];
    expect(list.map((c) => c.id)).toContain(id);
    const referrals = (await get('/v1/referrals')).items as { caseId: string; handoffs: { kind: string }[] }[];
    expect(referrals.find((r) => r.caseId === id)?.handoffs.map((h) => h.kind)).not.toContain('residential-placement');
    await get('/v1/milestones?status=met');
    const alerts = (await get(`/v1/alerts?caseId=${id}`)).items as { id: string }[];
    expect(alerts.map((a) => a.id)).toContain(`${id}.municipality-notification-1.warning`);

    answers.stream = stream.text();
    answers.webhooks = webhookBodies;
    expect(stream.text()).toContain(id);
    expect(webhookBodies.join('')).toContain(id);
    for (const [route, body] of Object.entries(answers))
      expect([route, JSON.stringify(body)]).not.toEqual([route, expect.stringMatching(CLINICAL_OR_DECISIONS)]);
  });

  it('the full CPR number: to the responsible municipality and the clinic only, each such read recorded as a cpr read', async () => {
    expect((await caseOf(municipality)).cpr).toBe(CPR);
    expect((await caseOf(clinic)).cpr).toBe(CPR);
    expect((await caseOf(facility)).cpr).toBe('030487-****');
    for (const party of [auditor, admin, gp]) expect(await caseOf(party)).not.toHaveProperty('cpr');
    expect((await caseOf(coordinator)).cpr).toBe('030487-****');
    // Another role with the municipality's organisation (the reported leak) and lists never show it in full,
    // nor its last four digits alone.
    for (const party of [auditor, admin, coordinator])
      expect(JSON.stringify((await party.get('/v1/cases')).body)).not.toMatch(CPR_ENDING_1234);
    // A clinic role with the municipality's organisation does not get that far: its token is refused.
    const reclinic = await (await stack.as('clinic', 'municipality:851', 'sly')).get(`/v1/cases/${id}`);
    expect([reclinic.status, reclinic.body.code]).toEqual([401, 'ROLE_ORGANISATION_MISMATCH']);

    const audit = (await municipality.get(`/v1/cases/${id}/audit`)).body as {
      reads: { reader: { id: string; role: string; organisation: string }; view: string }[];
    };
    const cprReaders = new Set(
      audit.reads.filter((r) => r.view === 'cpr').map((r) => `${r.reader.role}:${r.reader.id}`),
    );
    expect(cprReaders).toEqual(new Set(['municipality:mia', 'clinic:lis']));
    // Every cpr read goes with the case read that showed it.
    const views = audit.reads.filter((r) => r.reader.id === 'lis').map((r) => r.view);
    expect(views.filter((v) => v === 'cpr').length).toBe(views.filter((v) => v === 'case').length);
    // The auditor reads the history (logistics and decisions), without identity or clinical detail.
    const audited = await caseOf(auditor);
    expect(audited).toMatchObject({ placement: { status: 'granted' }, stage: expect.any(String) });
    expect(audited).not.toHaveProperty('substances');
  });

  it('a pause’s reason (free text, like a note) only to those shown clinical detail: on /events and /milestones', async () => {
    const reason = 'Admitted to hospital for observation.';
    await send(municipality, id, 'pause-milestone', { milestone: 'treatment-start-1', reason });
    const milestonesOf = async (client: Client) => {
      const res = await client.get(`/v1/cases/${id}/milestones`);
      expect(res.status).toBe(200);
      return res.body.milestones as { milestone: string; pauses: { from: string; reason?: string }[] }[];
    };
    // Her consents are withdrawn (above): the facility, the auditor and the admin see the pause, not why.
    for (const party of [facility, auditor, admin]) {
      const paused = (await milestonesOf(party)).find((m) => m.milestone === 'treatment-start-1');
      expect(paused?.pauses).toEqual([expect.objectContaining({ from: expect.any(String) })]);
      expect(paused?.pauses[0]).not.toHaveProperty('reason');
      const events = await eventsOf(party);
      expect(events.map((e) => e.type)).toContain('MilestonePaused');
      expect(JSON.stringify(events)).not.toContain('hospital');
      expect(JSON.stringify(await milestonesOf(party))).not.toContain('hospital');
    }
    // The municipality sees clinical detail: the reason too.
    expect((await milestonesOf(municipality)).find((m) => m.milestone === 'treatment-start-1')?.pauses).toEqual([
      expect.objectContaining({ reason }),
    ]);
    expect((await eventsOf(municipality)).find((e) => e.type === 'MilestonePaused')?.data).toMatchObject({ reason });
  });

  it('who does the work and who took an alert (logistics): not to the referrer, even on her referral’s deadlines', async () => {
    // The municipality's receipt of her notification (the referral's status): Mia takes it and its alert.
    await send(municipality, id, 'claim-milestone', { milestone: 'notification-receipt-1' });
    const alertId = `${id}.notification-receipt-1.warning`;
    await waitFor('the receipt’s warning', async () =>
      ((await municipality.get(`/v1/alerts?caseId=${id}`)).body.items as { id: string }[]).some(
        (a) => a.id === alertId,
      ),
    );
    expect((await municipality.post(`/v1/alerts/${alertId}/acknowledge`, {})).status).toBe(200);
    const receiptOf = async (client: Client) =>
      ((await client.get(`/v1/cases/${id}/milestones`)).body.milestones as Record<string, any>[]).find(
        (m) => m.milestone === 'notification-receipt-1',
      );
    const gpReceipt = await receiptOf(gp);
    expect(gpReceipt?.alerted).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'warning' })]));
    for (const a of gpReceipt?.alerted ?? []) expect(a).not.toHaveProperty('acknowledged');
    expect(gpReceipt).not.toHaveProperty('assignee');
    expect((await receiptOf(municipality))?.alerted).toEqual(
      expect.arrayContaining([expect.objectContaining({ acknowledged: expect.objectContaining({ by: 'mia' }) })]),
    );
    expect(await receiptOf(municipality)).toMatchObject({ assignee: expect.objectContaining({ id: 'mia' }) });

    const events = (await gp.get(`/v1/cases/${id}/events`)).body.events as Record<string, any>[];
    expect(events.map((e) => e.type)).not.toContain('MilestoneAssigneeChanged');
    expect(events.find((e) => e.type === 'AlertAcknowledged')?.data).toEqual({
      alert: 'notification-receipt-1.warning',
      occurredAt: expect.any(String),
    });
    // Who recorded each event: her role and organisation, never the person (a claim's actor is its assignee).
    for (const e of events) expect(Object.keys(e.actor).sort()).toEqual(['organisation', 'role']);
    const writes = (await gp.get(`/v1/cases/${id}/audit`)).body.writes as Record<string, any>[];
    for (const w of writes) expect(Object.keys(w.actor).sort()).toEqual(['organisation', 'role']);
    expect(JSON.stringify({ gpReceipt, events, writes })).not.toMatch(/"mia"|"by"/);
    // Those shown the logistics see the person.
    const theirs = (await municipality.get(`/v1/cases/${id}/events`)).body.events as Record<string, any>[];
    expect(theirs.find((e) => e.type === 'MilestoneAssigneeChanged')?.actor).toMatchObject({ id: 'mia' });
  });

  it('GET /v1/disclosure answers the policy to any role', async () => {
    for (const client of [gp, auditor, facility]) {
      const res = await client.get('/v1/disclosure');
      expect(res.status).toBe(200);
      expect(res.body.policy.parties.referrer).toMatchObject({ identity: 'none', sees: ['referral'] });
      expect(res.body.policy.parties.municipality.identity).toBe('full');
      expect(res.body.caseFields.substances).toBe('clinical');
      expect(res.body.events.ConsentGiven).toBe('decisions');
    }
    expect((await stack.anonymous().get('/v1/disclosure')).status).toBe(401);
  });
});
