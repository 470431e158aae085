import { register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/**
 * Issue 15 §5, course A: a woman found by her GP on Thursday 24 December 2026 at 16+0 weeks (due
 * Thursday 10 June 2027) goes the whole residential path over HTTP, on a clock the test jumps:
 * detection in Christmas week, clinic and municipality, a coordinator and network meetings, the
 * investigation, a residential placement decided on Good Friday with its retention contract, an
 * admission and a 19-day retention episode across Easter and the change to summer time, discharge,
 * the week-37 moment, the birth, post-birth support and the close.
 *
 * Every due time is worked out by hand from domain.md (Europe/Copenhagen; working days skip weekends
 * and the Danish public holidays; PROP deadlines × 0.75 in weeks 14–27, × 0.5 from week 28, a
 * working-day deadline scaling its working time; days are local calendar days, hours elapsed time).
 * Gestational age = 280 days − (due date − today): 16+0 on 24 Dec, 28+0 on 18 Mar, 37+0 on 20 May.
 *
 * The clock runs on from each jump. A fact the command may backdate (`occurredAt`) is recorded at
 * the exact instant; the others land a moment after the jump, and their due times are compared with
 * the anchor's lag allowed for (see {@link expectDue}).
 */

interface Step {
  step: string;
  kind: string;
  level?: number;
  at: string;
  firedAt: string | null;
}
interface MilestoneView {
  milestone: string;
  rule: string;
  status: string;
  owner: string;
  level: string | null;
  late: boolean;
  dueAt: string;
  timeLeftMs: number | null;
  ladder: Step[];
  explanation: {
    anchor: { signal: string; at: string };
    calendar: string;
    duration: string;
    unscaledDueAt: string;
    endOfDay: boolean;
    scaling: { week: number; factor: number } | null;
    legalCap: { duration: string; at: string; applied: boolean } | null;
    notLaterThan: { beforeDueDate: string; at: string; applied: boolean } | null;
    birthImminent?: { week: number; at: string; step: string; applied: boolean } | null;
  };
}

const DUE_DATE = '2027-06-10';
const FOUND = '2026-12-24T09:00:00.000Z'; // Thu 24 Dec 2026 10:00 CET, 16+0
/** The start of week 37+0: Thu 20 May 2027 00:00 CEST (due date − 21 days). */
const WEEK_37 = '2027-05-19T22:00:00.000Z';
const MINUTE = 60_000;

/** Every due time asserted so far, by milestone: at the close, each milestone's due time is still the one asserted. */
const asserted = new Map<string, string>();

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

/** How far the recorded anchor lies after the instant the course meant (a command that cannot be backdated lands a moment after the jump). */
function lagOf(m: MilestoneView, anchor: string): number {
  const lag = ms(m.explanation.anchor.at) - ms(anchor);
  expect({ milestone: m.milestone, anchor: m.explanation.anchor.at, withinAMinute: lag >= 0 && lag < MINUTE }).toEqual({
    milestone: m.milestone,
    anchor: m.explanation.anchor.at,
    withinAMinute: true,
  });
  return lag;
}

/**
 * The milestone is due at `due`, worked out by hand for an anchor at `anchor`. Its recorded anchor
 * may lie up to a minute later (the command landed after the jump); the due time then moves by
 * `slope` × that lag: 1 where the whole span moves with its anchor, 0 where the due time does not
 * depend on it (the end of the day), ½ for a working-day deadline × 0.5 anchored outside working
 * time (the span's working time grows with its end, and half of it counts). No boundary (midnight,
 * an hour change) lies within a minute of these instants. A backdated anchor has no lag.
 */
function expectDue(m: MilestoneView, due: string, anchor: string, slope = 1): number {
  const lag = lagOf(m, anchor);
  const expected = iso(ms(due) + Math.round(slope * lag));
  expect({ milestone: m.milestone, dueAt: m.dueAt }).toEqual({ milestone: m.milestone, dueAt: expected });
  asserted.set(m.milestone, expected);
  return lag;
}

/** Backdated: the anchor is the very instant, and so is the due time. */
function expectExactDue(m: MilestoneView, due: string, anchor: string): void {
  expect({ milestone: m.milestone, anchor: m.explanation.anchor.at, dueAt: m.dueAt }).toEqual({
    milestone: m.milestone,
    anchor,
    dueAt: due,
  });
  asserted.set(m.milestone, due);
}

describe('course A: found in week 16, through the full residential path', () => {
  let stack: Stack;
  let id: string;
  let gp: Client;
  let clinic: Client;
  let municipality: Client;
  let coordinator: Client;
  let facility: Client;

  /** Tokens are issued on the apps' clock and live 12 hours: every jump takes fresh ones. */
  const signIn = async () => {
    [gp, clinic, municipality, coordinator, facility] = await Promise.all([
      stack.as('referrer', 'gp:hansen', 'dr-hansen'),
      stack.as('clinic', 'clinic:1081', 'jordemoder-lis'),
      stack.as('municipality', 'municipality:851', 'mia'),
      stack.as('coordinator', 'municipality:851', 'alice'),
      stack.as('facility', 'facility:kastaniegaarden', 'karen'),
    ]);
  };
  const jump = async (instant: string) => {
    await stack.jumpClock(instant, { caseId: id, reader: () => stack.as('municipality', 'municipality:851', 'mia') });
    await signIn();
  };

  /** Every milestone of the case, as the responsible municipality sees them. */
  const milestones = async (): Promise<MilestoneView[]> => {
    const res = await municipality.get(`/v1/cases/${id}/milestones`);
    expect(res.status).toBe(200);
    return res.body.milestones;
  };
  const milestone = async (instance: string): Promise<MilestoneView> => {
    const m = (await milestones()).find((x) => x.milestone === instance);
    if (!m) throw new Error(`no milestone ${instance}`);
    return m;
  };
  const theCase = async () => (await municipality.get(`/v1/cases/${id}`)).body;
  const stage = async () => (await theCase()).stage;
  /** Waits until the worker has fired a ladder step (after a jump past it, the reconciler loads its timer at once). */
  const fired = (instance: string, step: string) =>
    waitFor(`${instance} ${step} fired`, async () => {
      const m = await milestone(instance);
      return m.ladder.find((s) => s.step === step)?.firedAt && m;
    });
  /** Records a network meeting at the instant of the jump (backdatable: exact). */
  const meeting = (at: string) =>
    send(coordinator, id, 'record-network-meeting', {
      occurredAt: at,
      participants: ['municipality:851', 'clinic:1081'],
    });
  /** The network meeting opened by the one before (or by the assignment): its anchor, cadence and due time. */
  const expectMeeting = async (n: number, anchor: string, every: 'P14D' | 'P28D', due: string) => {
    const m = await milestone(`network-meeting-${n}`);
    expect(m).toMatchObject({ rule: 'network-meeting', status: 'open', owner: 'municipality:851' });
    // REC: not scaled; the cadence is that of the week of the meeting before it.
    expect(m.explanation).toMatchObject({ duration: every, calendar: 'calendar', scaling: null });
    expectExactDue(m, due, anchor);
  };
  /** The milestone was met at or before its due time, with nothing fired unless said. */
  const expectMetInTime = async (instance: string, level: string | null = null) => {
    const m = await milestone(instance);
    expect({ milestone: m.milestone, status: m.status, late: m.late, level: m.level }).toEqual({
      milestone: instance,
      status: 'met',
      late: false,
      level,
    });
  };

  beforeAll(async () => {
    stack = await Stack.start({ clockAt: FOUND, workers: 1, env: { RECONCILE_INTERVAL_MS: '500' } });
    await signIn();
  });
  afterAll(() => stack?.stop());

  it('Christmas week: found by her GP, referred and notified the same day, assessed within hours', async () => {
    id = await register(gp, {
      estimatedDueDate: DUE_DATE,
      municipality: '851',
      referrer: { kind: 'gp', name: 'Lægehuset Hansen' },
      substances: ['alcohol', 'cannabis'],
      occurredAt: FOUND,
    });
    expect(await theCase()).toMatchObject({
      stage: 'detected',
      detectedAt: FOUND,
      gestationalAge: { weeks: 16, days: 0 },
      birthImminent: false,
    });
    let all = await milestones();
    const at = (instance: string) => all.find((m) => m.milestone === instance)!;

    // LAW duty to notify, one working day: Fri 25 Dec (Christmas Day), Sat 26 (Boxing Day), Sun 27
    // are no working days → Mon 28 Dec 10:00 CET. LAW: not scaled.
    expectExactDue(at('municipality-notification-1'), '2026-12-28T09:00:00.000Z', FOUND);
    expect(at('municipality-notification-1').explanation).toMatchObject({ calendar: 'working-days', scaling: null });
    expect(at('municipality-notification-1').owner).toBe('gp:hansen');
    // PROP, 1 working day × 0.75 (week 16): unscaled Mon 28 Dec 10:00; its working time is Thursday
    // 10:00–24:00 (14 h) + Monday 00:00–10:00 (10 h) = 24 h × 0.75 = 18 h: Thursday's 14 h, then 4 h
    // of Monday → Mon 28 Dec 04:00 CET.
    expectExactDue(at('clinic-referral-1'), '2026-12-28T03:00:00.000Z', FOUND);
    expect(at('clinic-referral-1').explanation).toMatchObject({
      unscaledDueAt: '2026-12-28T09:00:00.000Z',
      scaling: { week: 16, factor: 0.75 },
    });
    // PROP, 2 working days × 0.75: unscaled Tue 29 Dec 10:00; working time 14 h (Thu) + 24 h (Mon) +
    // 10 h (Tue) = 48 h × 0.75 = 36 h: 14 h of Thursday, 22 h of Monday → Mon 28 Dec 22:00 CET.
    expectExactDue(at('coordinator-assignment-1'), '2026-12-28T21:00:00.000Z', FOUND);
    expect(at('coordinator-assignment-1').explanation).toMatchObject({
      unscaledDueAt: '2026-12-29T09:00:00.000Z',
      scaling: { week: 16, factor: 0.75 },
    });
    // The post-birth plan's clock starts 28 days before the due date: Thu 13 May 2027 00:00 CEST; due
    // 7 days later (not scaled), Thu 20 May 00:00 CEST. Until then it is scheduled, not open.
    expect(at('post-birth-plan-1')).toMatchObject({ status: 'scheduled', timeLeftMs: expect.any(Number) });
    expect(at('post-birth-plan-1').explanation).toMatchObject({
      anchor: { signal: 'due-date-minus-P28D' },
      scaling: null,
    });
    expectExactDue(at('post-birth-plan-1'), '2027-05-19T22:00:00.000Z', '2027-05-12T22:00:00.000Z');

    // Thu 24 Dec 12:00 CET: the GP refers her to the clinic and notifies the municipality.
    const noon = '2026-12-24T11:00:00.000Z';
    await jump(noon);
    await send(gp, id, 'refer-to-clinic');
    expect(await stage()).toBe('clinic');
    await send(gp, id, 'notify-municipality', { note: 'Daily alcohol and cannabis; 16 weeks pregnant.' });
    expect(await stage()).toBe('municipality');
    all = await milestones();
    expect(at('clinic-referral-1')).toMatchObject({ status: 'met', late: false });
    expect(at('municipality-notification-1')).toMatchObject({ status: 'met', late: false });
    // PROP, 7 days × 0.75 = 5.25 days = 126 h (calendar time) → Tue 29 Dec 18:00 CET.
    expectDue(at('clinic-first-visit-1'), '2026-12-29T17:00:00.000Z', noon);
    expect(at('clinic-first-visit-1').explanation.scaling).toEqual({ week: 16, factor: 0.75 });
    expect(at('clinic-first-visit-1').owner).toBe('clinic:1081');
    // The two hand-offs, 1 working day × 0.75 each: unscaled Mon 28 Dec 12:00; 12 h of Thursday + 12 h
    // of Monday = 24 h × 0.75 = 18 h: Thursday's 12 h, then 6 h of Monday → Mon 28 Dec 06:00 CET.
    expect(at('handoff-acceptance-1')).toMatchObject({ owner: 'clinic:1081' });
    expectDue(at('handoff-acceptance-1'), '2026-12-28T05:00:00.000Z', noon);
    expect(at('handoff-acceptance-2')).toMatchObject({ owner: 'municipality:851' });
    expectDue(at('handoff-acceptance-2'), '2026-12-28T05:00:00.000Z', noon);
    expect(at('handoff-acceptance-2').explanation.scaling).toEqual({ week: 16, factor: 0.75 });
    // LAW, 24 hours in calendar time, holiday or not: Christmas Day, Fri 25 Dec 12:00 CET.
    expectDue(at('notification-assessment-1'), '2026-12-25T11:00:00.000Z', noon);
    expect(at('notification-assessment-1').explanation).toMatchObject({ calendar: 'calendar', scaling: null });
    // LAW, 6 weekdays (holidays count): Fri 25, Mon 28, Tue 29, Wed 30, Thu 31 Dec, Fri 1 Jan 12:00 CET.
    expectDue(at('notification-receipt-1'), '2027-01-01T11:00:00.000Z', noon);
    expect(at('notification-receipt-1').explanation).toMatchObject({ calendar: 'weekdays', scaling: null });

    // 16:00: the clinic and the municipality take their hand-offs; the municipality confirms receipt,
    // assesses (an investigation) and assigns the coordinator.
    const afternoon = '2026-12-24T15:00:00.000Z';
    await jump(afternoon);
    await send(clinic, id, 'acknowledge-handoff', { handoffId: 'handoff-1' });
    await send(municipality, id, 'acknowledge-handoff', { handoffId: 'handoff-2' });
    await send(municipality, id, 'confirm-notification-receipt');
    await send(municipality, id, 'assess-notification', { outcome: 'investigate' });
    await send(municipality, id, 'assign-coordinator', {
      coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
    });
    expect(await stage()).toBe('municipality');
    all = await milestones();
    for (const done of [
      'handoff-acceptance-1',
      'handoff-acceptance-2',
      'notification-receipt-1',
      'notification-assessment-1',
      'coordinator-assignment-1',
    ])
      expect({ done, ...at(done) }).toMatchObject({ done, status: 'met', late: false, level: null });
    // LAW, 4 months: Sat 24 Apr 2027 16:00 CEST (summer time by then). Not later than 28 days before
    // the due date (Thu 13 May 00:00 CEST), which comes later: not applied.
    const investigation = at('child-welfare-investigation-1');
    expectDue(investigation, '2027-04-24T14:00:00.000Z', afternoon);
    expect(investigation.explanation).toMatchObject({
      scaling: null,
      notLaterThan: { beforeDueDate: 'P28D', at: '2027-05-12T22:00:00.000Z', applied: false },
    });
    // REC, the first network meeting within 14 days of the assignment: Thu 7 Jan 2027 16:00 CET.
    expectDue(at('network-meeting-1'), '2027-01-07T15:00:00.000Z', afternoon);
    expect(at('network-meeting-1').explanation).toMatchObject({ duration: 'P14D', scaling: null });
  });

  it('to week 28: the first visit, network meetings every 28 days, the investigation concluded', async () => {
    // Mon 28 Dec 09:00 CET: the first visit at the clinic (its due time, Tuesday 18:00, was not reached).
    await jump('2026-12-28T08:00:00.000Z');
    await send(clinic, id, 'record-clinic-visit', { occurredAt: '2026-12-28T08:00:00.000Z' });
    await expectMetInTime('clinic-first-visit-1');

    // Each meeting meets the open one and opens the next, due 28 days after it before week 28.
    // Wed 30 Dec 13:00 CET, week 16+6 (162 days before the due date) → Wed 27 Jan 13:00 CET.
    await jump('2026-12-30T12:00:00.000Z');
    await meeting('2026-12-30T12:00:00.000Z');
    await expectMetInTime('network-meeting-1');
    await expectMeeting(2, '2026-12-30T12:00:00.000Z', 'P28D', '2027-01-27T12:00:00.000Z');
    // Tue 19 Jan 13:00 CET, week 19+5 (142 days before) → Tue 16 Feb 13:00 CET.
    await jump('2027-01-19T12:00:00.000Z');
    await meeting('2027-01-19T12:00:00.000Z');
    await expectMeeting(3, '2027-01-19T12:00:00.000Z', 'P28D', '2027-02-16T12:00:00.000Z');
    // Mon 8 Feb 13:00 CET, week 22+4 (122 days before) → Mon 8 Mar 13:00 CET.
    await jump('2027-02-08T12:00:00.000Z');
    await meeting('2027-02-08T12:00:00.000Z');
    await expectMeeting(4, '2027-02-08T12:00:00.000Z', 'P28D', '2027-03-08T12:00:00.000Z');
    // Fri 26 Feb 13:00 CET, week 25+1 (104 days before) → Fri 26 Mar 13:00 CET; the investigation is concluded.
    await jump('2027-02-26T12:00:00.000Z');
    await meeting('2027-02-26T12:00:00.000Z');
    await expectMeeting(5, '2027-02-26T12:00:00.000Z', 'P28D', '2027-03-26T12:00:00.000Z');
    await send(municipality, id, 'conclude-investigation', { note: 'Residential treatment to be considered.' });
    await expectMetInTime('child-welfare-investigation-1');

    // Thu 18 Mar 13:00 CET is 28+0 (84 days before): from week 28 meetings come every 14 days. 14
    // local days → Thu 1 Apr 13:00 CEST (the clocks go forward on 28 March: 335 hours).
    await jump('2027-03-18T12:00:00.000Z');
    expect(await theCase()).toMatchObject({ gestationalAge: { weeks: 28, days: 0 }, birthImminent: false });
    await meeting('2027-03-18T12:00:00.000Z');
    await expectMeeting(6, '2027-03-18T12:00:00.000Z', 'P14D', '2027-04-01T11:00:00.000Z');
    expect((await milestone('post-birth-plan-1')).status).toBe('scheduled');
  });

  it('Easter 2027: a placement decided on Good Friday, with her consent and a signed retention contract', async () => {
    // Good Friday 26 Mar 14:00 CET, week 29+1 (76 days before): the coordinator asks for a placement.
    const requested = '2027-03-26T13:00:00.000Z';
    await jump(requested);
    await send(coordinator, id, 'request-residential-placement', { note: 'Relapse; she asks for help.' });
    expect(await stage()).toBe('municipality');
    // PROP, 3 days × 0.5 in calendar time: unscaled Mon 29 Mar 14:00 CEST, 71 elapsed hours (the night
    // of 28 March is an hour short) × 0.5 = 35.5 h → Sun 28 Mar 01:30 CET, half an hour before the change.
    const decision = await milestone('residential-decision-1');
    expectDue(decision, '2027-03-28T00:30:00.000Z', requested);
    expect(decision.explanation).toMatchObject({
      unscaledDueAt: iso(ms('2027-03-29T12:00:00.000Z') + lagOf(decision, requested)),
      scaling: { week: 29, factor: 0.5 },
    });

    // 18:00: granted at Kastaniegården (a facility of the seed), her consent, the contract signed.
    const decided = '2027-03-26T17:00:00.000Z';
    await jump(decided);
    const { facilities } = (await municipality.get('/v1/facilities')).body as { facilities: { id: string }[] };
    expect(facilities.map((f) => f.id)).toContain('facility:kastaniegaarden');
    await send(municipality, id, 'decide-residential-placement', {
      decision: 'granted',
      facility: 'facility:kastaniegaarden',
    });
    await expectMetInTime('residential-decision-1');
    // LAW: the contract is offered with the decision, by the end of its day: Fri 26 Mar 23:59:59.999 CET.
    const offer = await milestone('retention-contract-offer-1');
    expectDue(offer, '2027-03-26T22:59:59.999Z', decided, 0);
    expect(offer.explanation).toMatchObject({ endOfDay: true, scaling: null });
    // The hand-off to the facility, 1 working day × 0.5 from a holiday: unscaled Tue 30 Mar 18:00
    // CEST (Good Friday, Saturday, Easter Sunday and Monday are no working days); its working time is
    // Tuesday's 18 h × 0.5 = 9 h → Tue 30 Mar 09:00 CEST.
    const handoff = await milestone('handoff-acceptance-3');
    expect(handoff).toMatchObject({ owner: 'facility:kastaniegaarden' });
    expectDue(handoff, '2027-03-30T07:00:00.000Z', decided, 0.5);
    expect(handoff.explanation).toMatchObject({
      unscaledDueAt: iso(ms('2027-03-30T16:00:00.000Z') + lagOf(handoff, decided)),
      scaling: { week: 29, factor: 0.5 },
    });

    await send(coordinator, id, 'record-consent', { scope: 'residential', status: 'given' });
    // Admission is possible now (granted and consented): PROP, 7 days × 0.5: unscaled Fri 2 Apr 18:00
    // CEST, 167 elapsed hours × 0.5 = 83.5 h → Tue 30 Mar 06:30 CEST. The legal cap, 14 days (Fri 9
    // Apr 18:00 CEST), is later: not applied.
    const admission = await milestone('residential-admission-1');
    expect(admission.owner).toBe('facility:kastaniegaarden');
    const consentLag = expectDue(admission, '2027-03-30T04:30:00.000Z', decided);
    expect(admission.explanation).toMatchObject({
      unscaledDueAt: iso(ms('2027-04-02T16:00:00.000Z') + consentLag),
      scaling: { week: 29, factor: 0.5 },
      legalCap: { duration: 'P14D', at: iso(ms('2027-04-09T16:00:00.000Z') + consentLag), applied: false },
    });

    await send(municipality, id, 'offer-retention-contract', { outcome: 'signed' });
    await expectMetInTime('retention-contract-offer-1');
    expect((await theCase()).consent).toMatchObject({ residential: 'given', 'retention-contract': 'given' });
    // LAW, 3 months from the signature: Sat 26 Jun 18:00 CEST. Warnings after 60 days (Tue 25 May 18:00
    // CEST) and 80 days (Mon 14 Jun 18:00 CEST). Escalation 1 at 125 % (2207 h × 1.25 → Mon 19 Jul)
    // comes after the start of week 37, Thu 20 May 00:00 CEST: it falls then. Escalation 2 at 200 %:
    // 4414 h = 183 days 22 h → Sun 26 Sep 17:00 CEST.
    const total = await milestone('retention-total-1');
    expect(total.owner).toBe('facility:kastaniegaarden');
    const signedLag = expectDue(total, '2027-06-26T16:00:00.000Z', decided);
    const signed = (t: string) => iso(ms(t) + signedLag);
    expect(total.ladder.map(({ step, kind, at }) => ({ step, kind, at }))).toEqual([
      { step: 'warning', kind: 'warning', at: signed('2027-05-25T16:00:00.000Z') },
      { step: 'warning-2', kind: 'warning', at: signed('2027-06-14T16:00:00.000Z') },
      { step: 'breach', kind: 'breach', at: signed('2027-06-26T16:00:00.000Z') },
      { step: 'escalation-1', kind: 'escalation', at: WEEK_37 },
      { step: 'escalation-2', kind: 'escalation', at: signed('2027-09-26T15:00:00.000Z') },
    ]);
    expect(total.explanation.birthImminent).toEqual({ week: 37, at: WEEK_37, step: 'escalation-1', applied: true });
    expect(await stage()).toBe('municipality');
  });

  it('a 19-day retention episode across the change to summer time: warned on days 14 and 18, ended on day 19', async () => {
    // Reported on Saturday evening: admitted at 11:00 CET (with a network meeting at the facility), the
    // retention episode started at 20:00 CET.
    const admitted = '2027-03-27T10:00:00.000Z';
    const started = '2027-03-27T19:00:00.000Z';
    await jump(started);
    await send(facility, id, 'admit-to-residential', { occurredAt: admitted });
    expect(await stage()).toBe('residential');
    await expectMetInTime('residential-admission-1');
    await expectMetInTime('handoff-acceptance-3'); // the admission takes the facility's hand-off
    await meeting(admitted);
    await expectMetInTime('network-meeting-6');
    // Week 29+2 (75 days before): 14 local days → Sat 10 Apr 11:00 CEST.
    await expectMeeting(7, admitted, 'P14D', '2027-04-10T09:00:00.000Z');
    await send(facility, id, 'start-retention-episode', { occurredAt: started, note: 'She wants to leave.' });
    expect(await stage()).toBe('residential');

    // LAW, 21 days: Sat 17 Apr 20:00 CEST (21 local days, 503 elapsed hours across the change).
    // Warnings after 14 days (Sat 10 Apr 20:00 CEST) and 18 days (Wed 14 Apr 20:00 CEST); escalation 1
    // at 125 % of 503 h = 628.75 h → Fri 23 Apr 01:45 CEST; escalation 2 at 200 % = 1006 h → Sat 8 May
    // 19:00 CEST. The start of week 37 comes after escalation 1: not applied.
    const episode = await milestone('retention-episode-1');
    expect(episode).toMatchObject({ owner: 'facility:kastaniegaarden', status: 'open' });
    expectExactDue(episode, '2027-04-17T18:00:00.000Z', started);
    expect(episode.explanation).toMatchObject({ duration: 'P21D', calendar: 'calendar', scaling: null });
    expect(episode.explanation.birthImminent).toEqual({ week: 37, at: WEEK_37, step: 'escalation-1', applied: false });
    expect(episode.ladder).toEqual([
      { step: 'warning', kind: 'warning', at: '2027-04-10T18:00:00.000Z', firedAt: null },
      { step: 'warning-2', kind: 'warning', at: '2027-04-14T18:00:00.000Z', firedAt: null },
      { step: 'breach', kind: 'breach', at: '2027-04-17T18:00:00.000Z', firedAt: null },
      { step: 'escalation-1', kind: 'escalation', level: 1, at: '2027-04-22T23:45:00.000Z', firedAt: null },
      { step: 'escalation-2', kind: 'escalation', level: 2, at: '2027-05-08T17:00:00.000Z', firedAt: null },
    ]);

    // Tue 6 Apr 13:00 CEST, week 30+5 (65 days before) → Tue 20 Apr 13:00 CEST.
    await jump('2027-04-06T11:00:00.000Z');
    await meeting('2027-04-06T11:00:00.000Z');
    await expectMeeting(8, '2027-04-06T11:00:00.000Z', 'P14D', '2027-04-20T11:00:00.000Z');

    // Day 14, half an hour past the first warning: the worker fires it (and nothing else).
    await jump('2027-04-10T18:30:00.000Z');
    let warned = await fired('retention-episode-1', 'warning');
    expect(warned).toMatchObject({ status: 'open', level: 'warning' });
    expect(ms(warned.ladder[0].firedAt!)).toBeGreaterThanOrEqual(ms('2027-04-10T18:00:00.000Z'));
    expect(warned.ladder.filter((s) => s.firedAt).map((s) => s.step)).toEqual(['warning']);
    const alerts = async () =>
      (await coordinator.get(`/v1/alerts?caseId=${id}`)).body.items as {
        id: string;
        milestone: string;
        step: string;
        severity: string;
        owner: string;
        status: string;
      }[];
    expect(await alerts()).toEqual([
      expect.objectContaining({
        id: `${id}.retention-episode-1.warning`,
        severity: 'info',
        owner: 'facility:kastaniegaarden',
        status: 'open',
      }),
    ]);

    // Day 18: the second warning.
    await jump('2027-04-14T18:30:00.000Z');
    warned = await fired('retention-episode-1', 'warning-2');
    expect(warned).toMatchObject({ status: 'open', level: 'warning' });
    expect(ms(warned.ladder[1].firedAt!)).toBeGreaterThanOrEqual(ms('2027-04-14T18:00:00.000Z'));
    expect(warned.ladder.filter((s) => s.firedAt).map((s) => s.step)).toEqual(['warning', 'warning-2']);

    // Reported on Friday morning: the episode ended on day 19, Thu 15 Apr 20:00 CEST (19 local days
    // after its start, two before the limit); she is discharged at 11:00 CEST after a network meeting.
    const ended = '2027-04-15T18:00:00.000Z';
    const discharged = '2027-04-16T09:00:00.000Z';
    await jump(discharged);
    await send(facility, id, 'end-retention-episode', { occurredAt: ended });
    const episodeDone = await milestone('retention-episode-1');
    expect(episodeDone).toMatchObject({ status: 'met', late: false, level: 'warning', closedAt: ended });
    expect(episodeDone.ladder.filter((s) => s.firedAt).map((s) => s.step)).toEqual(['warning', 'warning-2']);
    expect((await alerts()).map((a) => [a.step, a.status]).sort()).toEqual([
      ['warning', 'resolved'],
      ['warning-2', 'resolved'],
    ]);
    await send(facility, id, 'discharge-from-residential', { occurredAt: discharged });
    expect(await stage()).toBe('municipality');
    // The contract runs on until the birth.
    expect((await milestone('retention-total-1')).status).toBe('open');
    await meeting(discharged);
    // Week 32+1 (55 days before) → Fri 30 Apr 11:00 CEST.
    await expectMeeting(9, discharged, 'P14D', '2027-04-30T09:00:00.000Z');
  });

  it('week 37: the post-birth plan made in time, and every open milestone escalates when the birth is imminent', async () => {
    // Each meeting comes before the one it meets has run 75 % of its 14 days (its warning: 10.5 days).
    // Mon 26 Apr 13:00 CEST, week 33+4 (45 days before) → Mon 10 May 13:00 CEST.
    await jump('2027-04-26T11:00:00.000Z');
    await meeting('2027-04-26T11:00:00.000Z');
    await expectMetInTime('network-meeting-9');
    await expectMeeting(10, '2027-04-26T11:00:00.000Z', 'P14D', '2027-05-10T11:00:00.000Z');
    // Wed 5 May 13:00 CEST (the eve of Ascension Day), week 34+6 (36 days before) → Wed 19 May 13:00 CEST.
    await jump('2027-05-05T11:00:00.000Z');
    await meeting('2027-05-05T11:00:00.000Z');
    await expectMeeting(11, '2027-05-05T11:00:00.000Z', 'P14D', '2027-05-19T11:00:00.000Z');
    // Its clock has not started: the plan is scheduled, and in the municipality's work queue only as such.
    const queue = async (status = '') =>
      (
        (await municipality.get(`/v1/milestones?milestone=post-birth-plan${status}`)).body.milestones as {
          caseId: string;
          milestone: string;
        }[]
      )
        .filter((m) => m.caseId === id)
        .map((m) => m.milestone);
    expect((await milestone('post-birth-plan-1')).status).toBe('scheduled');
    expect(await queue()).toEqual([]);
    expect(await queue('&status=scheduled')).toEqual(['post-birth-plan-1']);

    // Fri 14 May 10:00 CEST: the plan's clock started yesterday at midnight; a network meeting agrees it.
    const planned = '2027-05-14T08:00:00.000Z';
    await jump(planned);
    const plan = await milestone('post-birth-plan-1');
    expect(plan).toMatchObject({ status: 'open', dueAt: '2027-05-19T22:00:00.000Z' });
    expect(await queue()).toEqual(['post-birth-plan-1']);
    await send(municipality, id, 'record-post-birth-plan', { note: 'Health visitor from the first week.' });
    await expectMetInTime('post-birth-plan-1');
    await meeting(planned);
    // Week 36+1 (27 days before) → Fri 28 May 10:00 CEST. Its escalation 1 (125 % → Mon 31 May) is
    // brought forward to the start of week 37.
    await expectMeeting(12, planned, 'P14D', '2027-05-28T08:00:00.000Z');
    const twelve = await milestone('network-meeting-12');
    expect(twelve.ladder.find((s) => s.step === 'escalation-1')?.at).toBe(WEEK_37);
    expect(twelve.explanation.birthImminent).toEqual({ week: 37, at: WEEK_37, step: 'escalation-1', applied: true });

    // Thu 20 May 08:00 CEST, 37+0: the two milestones open at midnight escalated then.
    await jump('2027-05-20T06:00:00.000Z');
    expect(await theCase()).toMatchObject({ gestationalAge: { weeks: 37, days: 0 }, birthImminent: true });
    for (const instance of ['network-meeting-12', 'retention-total-1']) {
      const m = await fired(instance, 'escalation-1');
      expect({ instance, status: m.status, level: m.level }).toEqual({
        instance,
        status: 'open',
        level: 'escalation-1',
      });
      expect(m.ladder.filter((s) => s.firedAt).map((s) => s.step)).toEqual(['escalation-1']);
    }
    const events = (await municipality.get(`/v1/cases/${id}/events`)).body.events as { type: string; data: any }[];
    expect(
      events
        .filter((e) => e.type === 'MilestoneEscalated')
        .map((e) => ({ milestone: e.data.milestone, step: e.data.step, level: e.data.level, reason: e.data.reason }))
        .sort((a, b) => a.milestone.localeCompare(b.milestone)),
    ).toEqual([
      { milestone: 'network-meeting-12', step: 'escalation-1', level: 1, reason: 'birth-imminent' },
      { milestone: 'retention-total-1', step: 'escalation-1', level: 1, reason: 'birth-imminent' },
    ]);
    // Critical alerts are re-sent every 30 minutes until someone takes them: the coordinator and the facility do.
    for (const [client, alert] of [
      [coordinator, 'network-meeting-12.escalation-1'],
      [facility, 'retention-total-1.escalation-1'],
    ] as const) {
      const res = await client.post(`/v1/alerts/${id}.${alert}/acknowledge`, { note: 'Birth imminent: seen.' });
      expect([alert, res.status, res.body.status]).toEqual([alert, 200, 'acknowledged']);
    }
  });

  it('the birth at 37+4 and the post-birth support, then the case closes completed', async () => {
    // Mon 24 May: born at 05:12 CEST, reported with a network meeting at 14:00 CEST.
    const born = '2027-05-24T03:12:00.000Z';
    const reported = '2027-05-24T12:00:00.000Z';
    await jump(reported);
    const birth = await send(clinic, id, 'record-birth', { occurredAt: born, note: 'A girl, 2,950 g.' });
    expect(birth.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['BirthRecorded', 'RetentionContractEnded']),
    );
    expect(await theCase()).toMatchObject({ stage: 'post_birth', birthAt: born, gestationalAge: null });
    // The contract ended with the birth, 58 days after it was signed: before its first warning (60 days).
    const total = await milestone('retention-total-1');
    expect(total).toMatchObject({ status: 'met', late: false, level: 'escalation-1', closedAt: born });
    // REC, 6 days: Sun 30 May 05:12 CEST. REC, 8 weeks: Mon 19 Jul 05:12 CEST. Not scaled; nothing imminent after the birth.
    const visit = await milestone('health-visitor-visit-1');
    expectExactDue(visit, '2027-05-30T03:12:00.000Z', born);
    expect(visit.explanation).toMatchObject({ scaling: null, birthImminent: null });
    expect(visit.owner).toBe('municipality:851');
    const check = await milestone('postpartum-check-1');
    expectExactDue(check, '2027-07-19T03:12:00.000Z', born);
    expect(check.explanation).toMatchObject({ scaling: null, birthImminent: null });
    expect(check.owner).toBe('clinic:1081');

    await meeting(reported);
    await expectMetInTime('network-meeting-12', 'escalation-1');
    // After the birth the cadence is still 14 days (37+4 by the due date), within the 8 weeks after the
    // birth (to Mon 19 Jul 05:12 CEST) → Mon 7 Jun 14:00 CEST.
    await expectMeeting(13, reported, 'P14D', '2027-06-07T12:00:00.000Z');
    expect((await milestone('network-meeting-13')).explanation.birthImminent).toBeNull();

    // Thu 27 May 11:00 CEST: the health visitor's first visit.
    await jump('2027-05-27T09:00:00.000Z');
    await send(municipality, id, 'record-health-visitor-visit', { occurredAt: '2027-05-27T09:00:00.000Z' });
    await expectMetInTime('health-visitor-visit-1');
    // Thu 3 Jun → Thu 17 Jun; Fri 11 Jun → Fri 25 Jun; Mon 21 Jun → Mon 5 Jul (13:00 CEST each).
    for (const [n, at, due] of [
      [14, '2027-06-03T11:00:00.000Z', '2027-06-17T11:00:00.000Z'],
      [15, '2027-06-11T11:00:00.000Z', '2027-06-25T11:00:00.000Z'],
      [16, '2027-06-21T11:00:00.000Z', '2027-07-05T11:00:00.000Z'],
    ] as const) {
      await jump(at);
      await meeting(at);
      await expectMetInTime(`network-meeting-${n - 1}`);
      await expectMeeting(n, at, 'P14D', due);
    }

    // Wed 30 Jun 10:00 CEST: the postpartum check, and the case closes.
    const closing = '2027-06-30T08:00:00.000Z';
    await jump(closing);
    await send(clinic, id, 'record-postpartum-check', { occurredAt: closing });
    await expectMetInTime('postpartum-check-1');
    const closed = await send(municipality, id, 'close-case', { reason: 'completed' });
    expect(closed.case).toMatchObject({ status: 'closed', stage: 'closed' });

    // Every milestone met in time (those that fired a step fired only warnings and the week-37
    // escalations), or waived by the close: the next network meeting, a REC obligation.
    const all = await milestones();
    const waived = all.filter((m) => m.status === 'waived').map((m) => m.milestone);
    expect(waived).toEqual(['network-meeting-16']);
    expect(all.filter((m) => m.status !== 'met' && m.status !== 'waived')).toEqual([]);
    expect(all.filter((m) => m.late).map((m) => m.milestone)).toEqual([]);
    // Every milestone's due time was asserted when it opened, and none moved since.
    expect(Object.fromEntries(all.map((m) => [m.milestone, m.dueAt]))).toEqual(Object.fromEntries(asserted));
    expect(
      all
        .filter((m) => m.level !== null)
        .map((m) => [m.milestone, m.level])
        .sort(),
    ).toEqual([
      ['network-meeting-12', 'escalation-1'],
      ['retention-episode-1', 'warning'],
      ['retention-total-1', 'escalation-1'],
    ]);
    expect(all.map((m) => m.milestone).sort()).toEqual(
      [
        'municipality-notification-1',
        'clinic-referral-1',
        'coordinator-assignment-1',
        'post-birth-plan-1',
        'clinic-first-visit-1',
        'handoff-acceptance-1',
        'handoff-acceptance-2',
        'handoff-acceptance-3',
        'notification-assessment-1',
        'notification-receipt-1',
        'child-welfare-investigation-1',
        ...Array.from({ length: 16 }, (_, i) => `network-meeting-${i + 1}`),
        'residential-decision-1',
        'retention-contract-offer-1',
        'residential-admission-1',
        'retention-total-1',
        'retention-episode-1',
        'health-visitor-visit-1',
        'postpartum-check-1',
      ].sort(),
    );

    // The history shows the course, and the ladder events were the warnings and the escalations only.
    const history = (await municipality.get(`/v1/cases/${id}/events`)).body.events as {
      kind: string;
      type: string;
      data: any;
    }[];
    const facts = history.filter((e) => e.kind === 'fact').map((e) => e.type);
    const meetings = (n: number) => Array.from({ length: n }, () => 'NetworkMeetingRecorded');
    expect(facts).toEqual([
      'ConcernRegistered',
      'ClinicReferralMade',
      'MunicipalityNotified',
      'HandoffAcknowledged',
      'HandoffAcknowledged',
      'NotificationReceiptConfirmed',
      'NotificationAssessed',
      'CoordinatorAssigned',
      'ClinicVisitRecorded',
      ...meetings(4),
      'InvestigationConcluded',
      ...meetings(1),
      'ResidentialPlacementRequested',
      'ResidentialPlacementGranted',
      'ConsentGiven',
      'ConsentGiven',
      'RetentionContractOffered',
      'HandoffAcknowledged',
      'AdmittedToResidential',
      ...meetings(1),
      'RetentionEpisodeStarted',
      ...meetings(1),
      'RetentionEpisodeEnded',
      'DischargedFromResidential',
      ...meetings(3),
      'PostBirthPlanRecorded',
      ...meetings(1),
      'AlertAcknowledged',
      'AlertAcknowledged',
      'BirthRecorded',
      'RetentionContractEnded',
      ...meetings(1),
      'HealthVisitorVisitRecorded',
      ...meetings(3),
      'PostpartumCheckRecorded',
      'CaseClosed',
    ]);
    // The close waived the open meeting with its reason.
    expect(history.filter((e) => e.type === 'MilestoneWaived').map((e) => [e.data.milestone, e.data.reason])).toEqual([
      ['network-meeting-16', 'waived: case-closed (completed)'],
    ]);
    const ladder = history
      .filter((e) => ['MilestoneWarned', 'MilestoneBreached', 'MilestoneEscalated'].includes(e.type))
      .map((e) => `${e.type} ${e.data.milestone} ${e.data.step}`)
      .sort();
    expect(ladder).toEqual([
      'MilestoneEscalated network-meeting-12 escalation-1',
      'MilestoneEscalated retention-total-1 escalation-1',
      'MilestoneWarned retention-episode-1 warning',
      'MilestoneWarned retention-episode-1 warning-2',
    ]);

    // The handling times report the steps, exactly where both ends were reported to the minute.
    const report = await municipality.get('/v1/reports/handling-times?groupBy=milestone');
    expect(report.status).toBe(200);
    const rows = report.body.rows as {
      measure: string;
      kind: string;
      count: number;
      medianMs: number;
      breached: number | null;
    }[];
    const row = (measure: string) => rows.find((r) => r.measure === measure);
    const HOUR = 3_600_000;
    // Found Thu 24 Dec 10:00 CET, first visit Mon 28 Dec 09:00 CET: 95 hours.
    expect(row('detection-to-first-clinic-visit')).toMatchObject({ count: 1, medianMs: 95 * HOUR });
    // The episode: Sat 27 Mar 20:00 CET to Thu 15 Apr 20:00 CEST = 19 days less the lost hour.
    expect(row('retention-episode')).toMatchObject({ count: 1, medianMs: (19 * 24 - 1) * HOUR, breached: 0 });
    // Born Mon 24 May 05:12 CEST; visited Thu 27 May 11:00 CEST (3 d 5 h 48 min), checked Wed 30 Jun
    // 10:00 CEST (37 d 4 h 48 min); the plan came before the birth (0).
    expect(row('health-visitor-visit')).toMatchObject({ count: 1, medianMs: (3 * 24 + 5.8) * HOUR });
    expect(row('postpartum-check')).toMatchObject({ count: 1, medianMs: (37 * 24 + 4.8) * HOUR });
    expect(row('birth-to-post-birth-plan')).toMatchObject({ count: 1, medianMs: 0 });
    expect(row('network-meeting')).toMatchObject({ count: 16, breached: 0 });
    expect(rows.filter((r) => r.kind === 'milestone' && r.breached !== 0)).toEqual([]);
  });
});
