import { Client as PgClient } from 'pg';
import { expectError } from '@test/support/api-error';
import { register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/**
 * Issue 15 §5, course B, over HTTP on an injected clock (Europe/Copenhagen; September 2027 is CEST,
 * UTC+2). Found by the hospital in Aalborg at 35+0 (Thursday 2 September 2027, due date Thursday
 * 7 October 2027: 280 − 35 = 245 days = 35+0). Aalborg (851) assesses "investigate" and assigns its
 * own coordinator; treatment is requested; at 35+6 she moves to Aarhus (751). Aarhus assigns its own
 * coordinator and refers her to its region's clinic (1082), but never acknowledges the move's
 * hand-off. Contact with her is lost from 36+2 (Saturday 11 September 10:00) to 37+0 (Thursday 16
 * September 10:00): five days across the start of week 37 (Thursday 16 September 00:00, the birth is
 * imminent). She gives birth at 38+0; the case goes on; Aalborg's read access ends 30 days after the move.
 *
 * Gestational week 35, 36 and 37 all scale PROP deadlines by 0.5 (from week 28); LAW and REC are not scaled.
 * The clock runs on in real time after each jump, so a command lands a moment after its stop: a due
 * time anchored on a command is compared as the timers test does, moved by as much as its anchor
 * (seconds, which cross no hour, day or holiday boundary at these stops). Due times anchored on the
 * due date (the investigation's cap, the post-birth plan, week 37) and on backdated commands
 * (occurredAt) are exact.
 */
const A = 'municipality:851';
const B = 'municipality:751';
const CLINIC_A = 'clinic:1081';
const CLINIC_B = 'clinic:1082';
const DUE_DATE = '2027-10-07';

const T1 = '2027-09-02T08:00:00.000Z'; // Thu 2 Sep 10:00, 35+0: found, referred, notified
const T2 = '2027-09-02T13:00:00.000Z'; // Thu 2 Sep 15:00: Aalborg confirms, assesses, assigns; the clinic sees her
const T3 = '2027-09-08T07:00:00.000Z'; // Wed 8 Sep 09:00, 35+6: treatment requested, then the move
const T4 = '2027-09-09T08:00:00.000Z'; // Thu 9 Sep 10:00, 36+0: Aarhus assigns its coordinator, refers to clinic 1082
const T5 = '2027-09-11T08:00:00.000Z'; // Sat 11 Sep 10:00, 36+2: contact lost
const T6 = '2027-09-15T21:30:00.000Z'; // Wed 15 Sep 23:30, 36+6: half an hour before week 37
const WEEK_37 = '2027-09-15T22:00:00.000Z'; // Thu 16 Sep 00:00, 37+0: 280 − 21 days; the birth is imminent
const T8 = '2027-09-16T08:00:00.000Z'; // Thu 16 Sep 10:00, 37+0: contact restored
const T9 = '2027-09-23T10:00:00.000Z'; // Thu 23 Sep 12:00, 38+0: the birth (at 03:40) is recorded
const BIRTH = '2027-09-23T01:40:00.000Z'; // Thu 23 Sep 03:40
const T10 = '2027-10-08T07:05:00.000Z'; // Fri 8 Oct 09:05: past the former municipality's 30 days

const H = 3_600_000;
const DAY = 24 * H;
/** How far a command may land after its stop (the clock runs on from the jump). */
const DRIFT_MS = 60_000;

interface MilestoneView {
  caseId: string;
  milestone: string;
  rule: string;
  status: string;
  owner: string;
  dueAt: string;
  timeLeftMs: number | null;
  level: string | null;
  late: boolean;
  ladder: { step: string; kind: string; level?: number; at: string; firedAt: string | null }[];
  pauses: { from: string; to: string | null; reason: string }[];
  explanation: {
    anchor: { signal: string; at: string };
    scaling: { week: number; factor: number } | null;
    notLaterThan: { at: string; applied: boolean } | null;
    legalCap: { at: string; applied: boolean } | null;
    pausedMs: number;
    ownerChanges?: { from: string; to: string; at: string; reason: string }[];
    birthImminent: { week: number; at: string; step: string; applied: boolean } | null;
  };
  lostContact: { since: string; effect: string; text: { da: string; en: string } } | null;
}
interface AlertItem {
  milestone: string;
  step: string;
  owner: string;
  raisedAt: string;
  status: string;
  audience: string[];
  coordinator: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('course B: found in week 35, moves municipality, loses contact for five days before week 37 (issue 15 §5)', () => {
  let stack: Stack;
  let caseId: string;
  const hospital = () => stack.as('referrer', 'hospital:aalborg', 'jordemoder-lis');
  const aalborg = () => stack.as('municipality', A, 'mia');
  const aarhus = () => stack.as('municipality', B, 'ole');
  const clinicA = () => stack.as('clinic', CLINIC_A, 'kim');
  const clinicB = () => stack.as('clinic', CLINIC_B, 'sara');
  /** When each command actually landed (the anchors it set), by stop. */
  const landed: Record<string, string> = {};

  const milestonesOf = async (client: Client): Promise<Record<string, MilestoneView>> => {
    const res = await client.get(`/v1/cases/${caseId}/milestones`);
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body.milestones as MilestoneView[]).map((m) => [m.milestone, m]));
  };
  const queue = async (client: Client): Promise<Record<string, MilestoneView>> => {
    const res = await client.get('/v1/milestones?limit=500');
    expect(res.status).toBe(200);
    return Object.fromEntries(
      (res.body.milestones as MilestoneView[]).filter((m) => m.caseId === caseId).map((m) => [m.milestone, m]),
    );
  };
  const alerts = async (client: Client): Promise<AlertItem[]> => {
    const res = await client.get(`/v1/alerts?caseId=${caseId}&limit=100`);
    expect(res.status).toBe(200);
    return res.body.items as AlertItem[];
  };
  const steps = (items: AlertItem[]) => items.map((a) => `${a.milestone}.${a.step}`).sort();

  /**
   * The documented due time of a milestone anchored on a command that landed a moment after its
   * stop: moved by as much as its anchor (asserting the anchor is that moment).
   */
  const expectDue = (m: MilestoneView, documented: string, documentedAnchor: string) => {
    const drift = Date.parse(m.explanation.anchor.at) - Date.parse(documentedAnchor);
    expect(drift).toBeGreaterThanOrEqual(0);
    expect(drift).toBeLessThan(DRIFT_MS);
    expect(m.dueAt).toBe(iso(Date.parse(documented) + drift));
  };

  /** Jumps the apps' clock, and waits until every timer of the case due by then has fired (the worker). */
  const jump = async (instant: string, reader: () => Promise<Client>) => {
    await stack.jumpClock(instant, { caseId, reader });
    await settled(instant);
  };
  /** Waits until the worker has fired every timer of the case due by `instant`. */
  const settled = async (instant: string) => {
    const db = new PgClient({ connectionString: stack.db.url });
    await db.connect();
    try {
      await waitFor(`every timer of the case due by ${instant} fired`, async () => {
        const { rows } = await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM pending_timers WHERE case_id = $1 AND fire_at <= $2`,
          [caseId, instant],
        );
        return Number(rows[0].n) === 0;
      });
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    stack = await Stack.start({
      clockAt: T1,
      workers: 1,
      // After each jump the reconciler brings the timers now due into Redis at once.
      env: { RECONCILE_INTERVAL_MS: '500', TIMER_HORIZON_MS: '3000' },
    });
  });
  afterAll(() => stack?.stop());

  it('35+0: the hospital finds her, refers her to the clinic and notifies Aalborg', async () => {
    const h = await hospital();
    caseId = await register(h, {
      estimatedDueDate: DUE_DATE,
      municipality: '851',
      referrer: { kind: 'hospital' },
      substances: ['opioids', 'benzodiazepines'],
      occurredAt: T1,
    });
    await send(h, caseId, 'refer-to-clinic');
    await send(h, caseId, 'notify-municipality', { byProfessional: true });
    const ms = await milestonesOf(await aalborg());

    // municipality-notification (LAW, 1 working day, not scaled) from Thu 10:00 (exact: the registration
    // is backdated to the stop): Fri 3 Sep 10:00 CEST = 08:00Z.
    expect(ms['municipality-notification-1']).toMatchObject({
      owner: 'hospital:aalborg',
      status: 'met',
      late: false,
      dueAt: '2027-09-03T08:00:00.000Z',
      explanation: { anchor: { at: T1 }, scaling: null },
    });
    // clinic-referral (PROP, 1 working day × 0.5): Thu 10:00 → Fri 10:00 unscaled; 14 h of Thursday + 10 h
    // of Friday = 24 working hours × 0.5 = 12 h → Thu 2 Sep 22:00 CEST = 20:00Z.
    expect(ms['clinic-referral-1']).toMatchObject({
      owner: 'hospital:aalborg',
      status: 'met',
      late: false,
      dueAt: '2027-09-02T20:00:00.000Z',
      explanation: { anchor: { at: T1 }, scaling: { week: 35, factor: 0.5 } },
    });
    // coordinator-assignment (PROP, 2 working days, week 35: × 0.5) from Thu 10:00 (exact: backdated
    // registration): unscaled Mon 6 Sep 10:00 (Fri 3, Mon 6); its working time Thu 14 h + Fri 24 h +
    // Mon 10 h = 48 h × 0.5 = 24 h: Thursday's 14 h, then 10 h of Friday → Fri 3 Sep 10:00 CEST = 08:00Z.
    expect(ms['coordinator-assignment-1']).toMatchObject({
      owner: A,
      status: 'open',
      dueAt: '2027-09-03T08:00:00.000Z',
      explanation: { anchor: { at: T1 }, scaling: { week: 35, factor: 0.5 } },
    });
    // post-birth-plan: its clock starts 28 days before the due date (Thu 9 Sep 00:00 CEST = 8 Sep
    // 22:00Z), due 7 days later (not scaled): Thu 16 Sep 00:00 CEST = 15 Sep 22:00Z. Scheduled now.
    expect(ms['post-birth-plan-1']).toMatchObject({
      owner: A,
      status: 'scheduled',
      dueAt: WEEK_37,
      explanation: { anchor: { at: '2027-09-08T22:00:00.000Z' }, scaling: null },
    });
    // clinic-first-visit (PROP, 7 days × 0.5 = 84 h in calendar time): Thu 10:00 + 84 h = Sun 5 Sep 22:00 CEST.
    expect(ms['clinic-first-visit-1']).toMatchObject({
      owner: CLINIC_A,
      explanation: { scaling: { week: 35, factor: 0.5 } },
    });
    expectDue(ms['clinic-first-visit-1'], '2027-09-05T20:00:00.000Z', T1);
    // The hand-offs (PROP, 1 working day × 0.5): Thu 10:00 → Fri 10:00 unscaled; 14 h of Thursday +
    // 10 h of Friday = 24 h × 0.5 = 12 h → Thu 22:00 CEST = 20:00Z. handoff-1 to the clinic, handoff-2 to Aalborg.
    expect(ms['handoff-acceptance-1'].owner).toBe(CLINIC_A);
    expectDue(ms['handoff-acceptance-1'], '2027-09-02T20:00:00.000Z', T1);
    expect(ms['handoff-acceptance-2'].owner).toBe(A);
    expectDue(ms['handoff-acceptance-2'], '2027-09-02T20:00:00.000Z', T1);
    // notification-assessment (LAW, 24 hours, not scaled): Fri 3 Sep 10:00 CEST.
    expect(ms['notification-assessment-1']).toMatchObject({ owner: A, explanation: { scaling: null } });
    expectDue(ms['notification-assessment-1'], '2027-09-03T08:00:00.000Z', T1);
    // notification-receipt (LAW, 6 weekdays): Fri 3, Mon 6, Tue 7, Wed 8, Thu 9, Fri 10 Sep, 10:00 CEST.
    expect(ms['notification-receipt-1']).toMatchObject({ owner: A, explanation: { scaling: null } });
    expectDue(ms['notification-receipt-1'], '2027-09-10T08:00:00.000Z', T1);
  });

  it('35+0 afternoon: Aalborg confirms, assesses "investigate" (a LAW investigation due 28 days before the due date) and assigns its coordinator', async () => {
    await jump(T2, aalborg);
    const a = await aalborg();
    await send(a, caseId, 'confirm-notification-receipt');
    await send(a, caseId, 'assess-notification', { outcome: 'investigate' });
    await send(a, caseId, 'assign-coordinator', {
      coordinator: { id: 'anne', name: 'Anne Krogh', organisation: A },
    });
    await send(await clinicA(), caseId, 'record-clinic-visit');
    const ms = await milestonesOf(a);
    for (const id of [
      'notification-receipt-1',
      'notification-assessment-1',
      'handoff-acceptance-1',
      'handoff-acceptance-2',
      'coordinator-assignment-1',
      'clinic-first-visit-1',
    ])
      expect([id, ms[id].status, ms[id].late]).toEqual([id, 'met', false]);
    // child-welfare-investigation (LAW): 4 months (Sun 2 Jan 2028 15:00), and no later than 28 days
    // before the due date: Thu 9 Sep 00:00 CEST = 8 Sep 22:00Z, the earlier (exact).
    const investigation = ms['child-welfare-investigation-1'];
    expect(investigation).toMatchObject({
      owner: A,
      status: 'open',
      dueAt: '2027-09-08T22:00:00.000Z',
      explanation: { scaling: null, notLaterThan: { at: '2027-09-08T22:00:00.000Z', applied: true } },
    });
    landed.assessed = investigation.explanation.anchor.at;
    // network-meeting (REC, not scaled): the first within 14 days of the assignment: Thu 16 Sep 15:00 CEST.
    expect(ms['network-meeting-1']).toMatchObject({ owner: A, explanation: { scaling: null } });
    expectDue(ms['network-meeting-1'], '2027-09-16T13:00:00.000Z', T2);
    landed.coordinator = ms['network-meeting-1'].explanation.anchor.at;
  });

  it('35+6: treatment is requested, then she moves: the work and its alerts go to Aarhus with their due times; Aalborg keeps the handover', async () => {
    await jump(T3, aalborg);
    let a = await aalborg();
    // The investigation (Thu 15:00 → Thu 9 Sep 00:00 CEST: 153 h) warned at 75 % = 114 h 45 min: Tue 7 Sep 09:45 CEST.
    const before = await milestonesOf(a);
    expect(before['child-welfare-investigation-1'].ladder.find((l) => l.step === 'warning')!.at).toBe(
      iso(Date.parse(landed.assessed) + 0.75 * (Date.parse('2027-09-08T22:00:00.000Z') - Date.parse(landed.assessed))),
    );
    expect(steps(await alerts(a))).toEqual(['child-welfare-investigation-1.warning']);

    await send(a, caseId, 'request-treatment', { kind: 'drugs' });
    let ms = await milestonesOf(a);
    // treatment-start (PROP, 7 days × 0.5 = 84 h, never beyond 14 days): Wed 09:00 + 84 h = Sat 11 Sep 21:00 CEST.
    expect(ms['treatment-start-1']).toMatchObject({
      owner: A,
      explanation: { scaling: { week: 35, factor: 0.5 }, legalCap: { applied: false } },
    });
    expectDue(ms['treatment-start-1'], '2027-09-11T19:00:00.000Z', T3);
    const treatmentDue = ms['treatment-start-1'].dueAt;
    landed.treatment = ms['treatment-start-1'].explanation.anchor.at;

    a = await aalborg();
    await send(a, caseId, 'transfer-municipality', { toMunicipality: '751' });
    ms = await milestonesOf(await aarhus());
    landed.moved = ms['move-handover-1'].explanation.anchor.at;
    // Moved, due times kept, the move in the explanation.
    const moved = {
      'child-welfare-investigation-1': '2027-09-08T22:00:00.000Z',
      'treatment-start-1': treatmentDue,
      'network-meeting-1': ms['network-meeting-1'].dueAt,
      'post-birth-plan-1': WEEK_37,
    };
    expect(ms['network-meeting-1'].dueAt).toBe(before['network-meeting-1'].dueAt);
    for (const [id, due] of Object.entries(moved)) {
      expect([id, ms[id].owner, ms[id].dueAt]).toEqual([id, B, due]);
      expect(ms[id].explanation.ownerChanges).toEqual([
        { from: A, to: B, at: landed.moved, reason: 'municipality-transferred' },
      ]);
    }
    // move-handover (LAW, 1 working day, Aalborg's): Wed 09:00 → Thu 9 Sep 09:00 CEST.
    expect(ms['move-handover-1']).toMatchObject({ owner: A, status: 'open', explanation: { scaling: null } });
    expectDue(ms['move-handover-1'], '2027-09-09T07:00:00.000Z', T3);
    // The move's hand-off to Aarhus (PROP, 1 working day × 0.5): Wed 09:00 → Thu 09:00 unscaled; 15 h
    // of Wednesday + 9 h of Thursday = 24 h × 0.5 = 12 h → Wed 8 Sep 21:00 CEST.
    expect(ms['handoff-acceptance-3']).toMatchObject({ owner: B, explanation: { scaling: { week: 35, factor: 0.5 } } });
    expectDue(ms['handoff-acceptance-3'], '2027-09-08T19:00:00.000Z', T3);
    // Anne works for Aalborg: coordinator-assignment reopens for Aarhus (PROP, 2 working days × 0.5):
    // unscaled Fri 10 Sep 09:00; 15 h + 24 h + 9 h = 48 h × 0.5 = 24 h → Thu 9 Sep 09:00 CEST.
    expect(ms['coordinator-assignment-2']).toMatchObject({
      owner: B,
      explanation: { scaling: { week: 35, factor: 0.5 } },
    });
    expectDue(ms['coordinator-assignment-2'], '2027-09-09T07:00:00.000Z', T3);

    // Both work queues tell the truth: Aalborg only the handover; Aarhus the rest (the post-birth
    // plan, whose clock starts tomorrow, in no queue yet).
    expect(Object.keys(await queue(await aalborg()))).toEqual(['move-handover-1']);
    expect(Object.keys(await queue(await aarhus())).sort()).toEqual([
      'child-welfare-investigation-1',
      'coordinator-assignment-2',
      'handoff-acceptance-3',
      'network-meeting-1',
      'treatment-start-1',
    ]);
    // The investigation's open warning went with it.
    expect(await alerts(await aalborg())).toEqual([]);
    expect((await alerts(await aarhus())).map((x) => [`${x.milestone}.${x.step}`, x.owner])).toEqual([
      ['child-welfare-investigation-1.warning', B],
    ]);
  });

  it('36+0: overnight the investigation breached at Aarhus and the handover at Aalborg; Aarhus assigns its own coordinator and refers her to its clinic', async () => {
    await jump(T4, aarhus);
    // Aarhus: the investigation's breach (Thu 00:00); its hand-off's warning (75 % of 12 h: Wed 18:00),
    // breach (21:00) and escalation 1 (+25 % of 12 h = 3 h, at least 4 h: Thu 01:00); coordinator-assignment-2's
    // warning (75 % of 24 h: Thu 03:00) and breach (Thu 09:00).
    expect(steps(await alerts(await aarhus()))).toEqual([
      'child-welfare-investigation-1.breach',
      'child-welfare-investigation-1.warning',
      'coordinator-assignment-2.breach',
      'coordinator-assignment-2.warning',
      'handoff-acceptance-3.breach',
      'handoff-acceptance-3.escalation-1',
      'handoff-acceptance-3.warning',
    ]);
    // Aalborg: only its handover, warned (75 % of 24 h: Thu 03:00) and breached (Thu 09:00).
    expect(steps(await alerts(await aalborg()))).toEqual(['move-handover-1.breach', 'move-handover-1.warning']);

    const b = await aarhus();
    await send(b, caseId, 'assign-coordinator', { coordinator: { id: 'bo', name: 'Bo Lund', organisation: B } });
    await send(b, caseId, 'refer-to-clinic', { clinic: CLINIC_B });
    await send(await clinicB(), caseId, 'acknowledge-handoff', { handoffId: 'handoff-4' });
    const ms = await milestonesOf(await aarhus());
    expect(ms['coordinator-assignment-2']).toMatchObject({ status: 'met', late: true });
    // clinic-first-visit at clinic 1082 (PROP, 84 h): Thu 10:00 + 84 h = Sun 12 Sep 22:00 CEST.
    expect(ms['clinic-first-visit-2']).toMatchObject({
      owner: CLINIC_B,
      status: 'open',
      explanation: { scaling: { week: 36, factor: 0.5 } },
    });
    expectDue(ms['clinic-first-visit-2'], '2027-09-12T20:00:00.000Z', T4);
    // Its hand-off to clinic 1082 (PROP, 1 working day × 0.5, week 36): Thu 10:00 → Fri 10:00 unscaled;
    // 14 h + 10 h = 24 h × 0.5 = 12 h → Thu 9 Sep 22:00 CEST. Acknowledged at once.
    expect(ms['handoff-acceptance-4']).toMatchObject({
      owner: CLINIC_B,
      status: 'met',
      late: false,
      explanation: { scaling: { week: 36, factor: 0.5 } },
    });
    expectDue(ms['handoff-acceptance-4'], '2027-09-09T20:00:00.000Z', T4);
    // The post-birth plan's clock started at Thu 00:00: open, in Aarhus's queue now.
    expect((await queue(await aarhus()))['post-birth-plan-1']).toMatchObject({ status: 'open', dueAt: WEEK_37 });
  });

  let pausedDue: Record<string, string>;

  it('36+2: contact is lost: the clinic visit and the treatment start pause; the legal clocks keep running and say so, also in the work queue', async () => {
    await jump(T5, aarhus);
    await send(await clinicB(), caseId, 'record-lost-contact', { note: 'Not at her address, phone off.' });
    const ms = await milestonesOf(await aarhus());
    landed.lost = ms['treatment-start-1'].pauses[0]?.from;
    expect(Date.parse(landed.lost) - Date.parse(T5)).toBeLessThan(DRIFT_MS);
    const since = landed.lost;
    for (const id of ['clinic-first-visit-2', 'treatment-start-1']) {
      expect(ms[id]).toMatchObject({
        status: 'paused',
        timeLeftMs: null,
        lostContact: { since, effect: 'paused', text: { en: 'Paused while contact with her is lost' } },
      });
      expect(ms[id].pauses).toEqual([expect.objectContaining({ from: since, to: null })]);
    }
    pausedDue = {
      'clinic-first-visit-2': ms['clinic-first-visit-2'].dueAt,
      'treatment-start-1': ms['treatment-start-1'].dueAt,
    };
    // Treatment start warned at 75 % of 84 h = 63 h: Sat 11 Sep 00:00 CEST; paused before its breach.
    expect(ms['treatment-start-1'].level).toBe('warning');
    const lawText = {
      da: 'Lovbestemt frist: den løber videre, selv om kontakten med hende er tabt',
      en: 'A legal deadline: it keeps running while contact with her is lost',
    };
    for (const id of ['child-welfare-investigation-1', 'move-handover-1']) {
      expect(ms[id]).toMatchObject({
        status: 'breached',
        lostContact: { since, effect: 'legal-duty-keeps-running', text: lawText },
      });
    }
    for (const id of ['network-meeting-1', 'post-birth-plan-1', 'handoff-acceptance-3'])
      expect([id, ms[id].status === 'paused', ms[id].lostContact?.effect]).toEqual([id, false, 'keeps-running']);

    // Aarhus's work queue says the same of the investigation it owns, and of the paused treatment start.
    const queued = await queue(await aarhus());
    expect(queued['child-welfare-investigation-1'].lostContact).toEqual({
      since,
      effect: 'legal-duty-keeps-running',
      text: lawText,
    });
    expect(queued['treatment-start-1']).toMatchObject({ status: 'paused', lostContact: { since, effect: 'paused' } });
    // As does Aalborg's of its handover.
    expect((await queue(await aalborg()))['move-handover-1'].lostContact).toMatchObject({
      effect: 'legal-duty-keeps-running',
    });
  });

  let alertsBefore37: { b: AlertItem[]; a: AlertItem[]; clinic: AlertItem[] };

  it('37+0 00:00: the birth is imminent: every open milestone escalates at once, at Aarhus, the clinic; Aalborg gets nothing for what moved', async () => {
    await jump(T6, aarhus);
    alertsBefore37 = {
      b: await alerts(await aarhus()),
      a: await alerts(await aalborg()),
      clinic: await alerts(await clinicB()),
    };
    const ms = await milestonesOf(await aarhus());
    // The investigation (breach Thu 9 Sep 00:00) escalated at + 25 % of 153 h (38 h 15 min: Fri 10 Sep
    // 14:15) and + 100 % (Wed 15 Sep 09:00), before week 37: the birth-imminent moment changes nothing for it.
    const allowed = Date.parse('2027-09-08T22:00:00.000Z') - Date.parse(landed.assessed);
    const investigationLadder = Object.fromEntries(
      ms['child-welfare-investigation-1'].ladder.map((l) => [l.step, l.at]),
    );
    expect(investigationLadder['escalation-1']).toBe(iso(Date.parse('2027-09-08T22:00:00.000Z') + 0.25 * allowed));
    expect(investigationLadder['escalation-2']).toBe(iso(Date.parse('2027-09-08T22:00:00.000Z') + allowed));
    expect(ms['child-welfare-investigation-1'].explanation.birthImminent).toMatchObject({
      at: WEEK_37,
      applied: false,
    });
    // Each of these has its escalation 1 at the start of week 37, Thu 16 Sep 00:00 CEST, earlier than its own:
    // network-meeting-1 (due Thu 16 Sep 15:00; its own + 25 % of 14 days), post-birth-plan-1 (due at that
    // very moment; its own + 42 h), the paused clinic visit and treatment start (their clocks stop; the birth does not).
    for (const id of ['network-meeting-1', 'post-birth-plan-1']) {
      expect(ms[id].ladder.find((l) => l.step === 'escalation-1')!.at).toBe(WEEK_37);
      expect(ms[id].explanation.birthImminent).toMatchObject({
        week: 37,
        at: WEEK_37,
        step: 'escalation-1',
        applied: true,
      });
    }
    expect(ms['network-meeting-1'].ladder.find((l) => l.step === 'escalation-1')!.firedAt).toBeNull();

    await stack.jumpClock(WEEK_37, { caseId, reader: aarhus });
    const raisedAt37 = (items: AlertItem[], before: AlertItem[]) =>
      steps(items.filter((x) => !before.some((y) => y.milestone === x.milestone && y.step === x.step)));
    const toAarhus = [
      'network-meeting-1.escalation-1',
      'post-birth-plan-1.breach',
      'post-birth-plan-1.escalation-1',
      'treatment-start-1.escalation-1',
    ];
    const b = await waitFor('the week-37 escalations at Aarhus', async () => {
      const now = await alerts(await aarhus());
      return raisedAt37(now, alertsBefore37.b).length >= toAarhus.length && now;
    });
    expect(raisedAt37(b, alertsBefore37.b)).toEqual(toAarhus);
    // Who is alerted (domain.md, Escalation): Bo, the coordinator, first; then the tier the step
    // reaches at Aarhus, its team lead for an escalation 1, its duty inbox for the breach.
    for (const x of b.filter((x) => toAarhus.includes(`${x.milestone}.${x.step}`))) {
      expect(Date.parse(x.raisedAt)).toBeGreaterThanOrEqual(Date.parse(WEEK_37));
      expect([x.milestone, x.step, x.owner, x.coordinator, x.audience]).toEqual([
        x.milestone,
        x.step,
        B,
        'bo',
        ['coordinator', x.step === 'breach' ? 'duty-inbox' : 'team-lead'],
      ]);
    }
    const clinic = await waitFor('the week-37 escalation at clinic 1082', async () => {
      const now = await alerts(await clinicB());
      return raisedAt37(now, alertsBefore37.clinic).length > 0 && now;
    });
    expect(raisedAt37(clinic, alertsBefore37.clinic)).toEqual(['clinic-first-visit-2.escalation-1']);
    await settled(WEEK_37);
    // Aalborg: nothing new, and still only its handover (escalated on Thu 9 Sep 15:00 and Fri 10 Sep 09:00, long before).
    const a = await alerts(await aalborg());
    expect(raisedAt37(a, alertsBefore37.a)).toEqual([]);
    expect(steps(a)).toEqual([
      'move-handover-1.breach',
      'move-handover-1.escalation-1',
      'move-handover-1.escalation-2',
      'move-handover-1.warning',
    ]);
    // Who is alerted for the handover: Aalborg, its owner (its tiers), and the case's coordinator, Bo.
    expect(a.every((x) => x.owner === A && x.coordinator === 'bo')).toBe(true);
    expect(raisedAt37(await alerts(await aarhus()), alertsBefore37.b)).toEqual(toAarhus);
    // Bo sees the case's alerts as its coordinator: Aarhus's, the clinic's and Aalborg's handover.
    expect(steps(await alerts(await stack.as('coordinator', B, 'bo')))).toEqual(
      expect.arrayContaining([...toAarhus, 'clinic-first-visit-2.escalation-1', 'move-handover-1.escalation-2']),
    );
    const after = await milestonesOf(await aarhus());
    expect(after['treatment-start-1']).toMatchObject({ status: 'paused', level: 'escalation-1' });
    expect(after['clinic-first-visit-2']).toMatchObject({ status: 'paused', level: 'escalation-1' });
  });

  it('37+0 10:00: contact restored: the paused clocks resume, due later by exactly the pause; lostContact is gone everywhere', async () => {
    await jump(T8, aarhus);
    await send(await clinicB(), caseId, 'record-contact-restored');
    const ms = await milestonesOf(await aarhus());
    const pause = ms['treatment-start-1'].pauses[0];
    expect(pause.from).toBe(landed.lost);
    const pausedMs = Date.parse(pause.to!) - Date.parse(pause.from);
    // Five days: Sat 11 Sep 10:00 → Thu 16 Sep 10:00 (the clock ran on a few seconds past each stop).
    expect(Math.abs(pausedMs - 5 * DAY)).toBeLessThan(DRIFT_MS);
    // Treatment start: Sat 11 Sep 21:00 + 5 days = Thu 16 Sep 21:00 CEST (within its legal 14 days from
    // Wed 8 Sep 09:00: Wed 22 Sep 09:00). Clinic visit: Sun 12 Sep 22:00 + 5 days = Fri 17 Sep 22:00 CEST.
    const documented = {
      'treatment-start-1': '2027-09-16T19:00:00.000Z',
      'clinic-first-visit-2': '2027-09-17T20:00:00.000Z',
    };
    for (const [id, due] of Object.entries(documented)) {
      const m = ms[id];
      expect([id, m.status, m.lostContact]).toEqual([id, 'open', null]);
      expect(m.pauses).toEqual([expect.objectContaining({ from: landed.lost, to: pause.to })]);
      expect(m.explanation.pausedMs).toBe(pausedMs);
      expect(m.dueAt).toBe(iso(Date.parse(pausedDue[id]) + pausedMs));
      // The hand-computed time, moved by the anchor's and the pause's seconds.
      const anchorDrift = Date.parse(m.explanation.anchor.at) - Date.parse(id === 'treatment-start-1' ? T3 : T4);
      expect(m.dueAt).toBe(iso(Date.parse(due) + anchorDrift + (pausedMs - 5 * DAY)));
    }
    // Its legal cap: 14 days from the request (Wed 8 Sep 09:00): Wed 22 Sep 09:00 CEST, moved by the anchor's seconds.
    expect(ms['treatment-start-1'].explanation.legalCap).toEqual({
      duration: 'P14D',
      at: iso(Date.parse('2027-09-22T07:00:00.000Z') + Date.parse(landed.treatment) - Date.parse(T3)),
      applied: false,
    });
    expect(Object.values(ms).filter((m) => m.lostContact !== null)).toEqual([]);
    expect(Object.values(await queue(await aarhus())).filter((m) => m.lostContact !== null)).toEqual([]);
    expect(Object.values(await queue(await aalborg())).filter((m) => m.lostContact !== null)).toEqual([]);
  });

  it('38+0: the birth; the legal duties keep the case open and it goes on; Aalborg still reads it', async () => {
    await jump(T9, aarhus);
    const b = await aarhus();
    await send(b, caseId, 'record-birth', { occurredAt: BIRTH });
    const ms = await milestonesOf(b);
    // health-visitor-visit (REC, 6 days, not scaled): Thu 23 Sep 03:40 → Wed 29 Sep 03:40 CEST (exact: backdated).
    expect(ms['health-visitor-visit-1']).toMatchObject({
      owner: B,
      dueAt: '2027-09-29T01:40:00.000Z',
      explanation: { anchor: { at: BIRTH }, scaling: null },
    });
    // postpartum-check (REC, 8 weeks = 56 Copenhagen days): Thu 18 Nov 2027 03:40, CET after 31 October = 02:40Z.
    expect(ms['postpartum-check-1']).toMatchObject({
      owner: CLINIC_B,
      dueAt: '2027-11-18T02:40:00.000Z',
      explanation: { anchor: { at: BIRTH }, scaling: null },
    });
    // The investigation is a legal duty still open, as is Aalborg's handover: closing is refused.
    expectError(await b.post(`/v1/cases/${caseId}/close-case`, { reason: 'completed' }), 422, 'LEGAL_DUTY_OPEN');
    await send(b, caseId, 'conclude-investigation');
    await send(b, caseId, 'acknowledge-handoff', { handoffId: 'handoff-3' });
    const after = await milestonesOf(await aarhus());
    expect(after['child-welfare-investigation-1']).toMatchObject({ status: 'met', late: true });
    expect(after['move-handover-1']).toMatchObject({ status: 'met', late: true });
    expect(after['health-visitor-visit-1'].status).toBe('open');
    expect((await (await aarhus()).get(`/v1/cases/${caseId}`)).body.stage).toBe('post_birth');
    expect((await (await aalborg()).get(`/v1/cases/${caseId}`)).status).toBe(200);
  });

  it("Aalborg reads the case for the disclosure policy's 30 days after the move, then no more", async () => {
    // 30 days from the move (Wed 8 Sep 09:00 CEST): Fri 8 Oct 09:00 CEST = 07:00Z.
    expect(Date.parse(landed.moved) - Date.parse(T3)).toBeLessThan(DRIFT_MS);
    await jump('2027-10-08T06:55:00.000Z', aarhus); // Fri 8 Oct 08:55 CEST: still within
    expect((await (await aalborg()).get(`/v1/cases/${caseId}`)).status).toBe(200);
    await jump(T10, aarhus);
    const res = await waitFor('Aalborg to lose its access', async () => {
      const r = await (await aalborg()).get(`/v1/cases/${caseId}`);
      return r.status === 404 && r;
    });
    expectError(res, 404, 'CASE_NOT_FOUND');
    expect((await (await aarhus()).get(`/v1/cases/${caseId}`)).status).toBe(200);
  });
});
