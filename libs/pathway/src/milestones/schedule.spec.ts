import { defaultPolicy } from '../policy/default-policy';
import { ruleOf, type MilestoneRule } from '../policy/policy';
import { computeSchedule } from './schedule';

/**
 * The documented due times (README, "Deadlines"): each case worked out by hand. Instants are UTC;
 * Copenhagen is UTC+1 in winter (CET) and UTC+2 in summer (CEST, from 28 March 2027 02:00).
 */
const policy = defaultPolicy();
const rule = (id: string): MilestoneRule => ruleOf(policy, id) as MilestoneRule;
const schedule = (
  id: string,
  at: string,
  estimatedDueDate: string,
  extra: Partial<Parameters<typeof computeSchedule>[0]> = {},
) =>
  computeSchedule({
    policy,
    rule: rule(id),
    anchor: { signal: 'test', at },
    estimatedDueDate,
    pauses: [],
    now: new Date(at),
    birthImminentAt: null,
    ...extra,
  });
const stepAt = (s: ReturnType<typeof schedule>, step: string) => s.ladder.find((l) => l.step === step)?.at;

/** Due 1 June 2027: week 12 on 23 November 2026 (factor 1). */
const EARLY = '2027-06-01';
/** Due 1 March 2027: 26+0 on 23 November 2026 (factor 0.75). */
const MIDDLE = '2027-03-01';
/** Due 15 January 2027: 32+3 on 23 November 2026 (factor 0.5). */
const LATE = '2027-01-15';
const MONDAY = '2026-11-23T09:00:00.000Z'; // 10:00 in Copenhagen

describe('deadlines as documented', () => {
  it('one working day from Wednesday before Easter 2027, 14:00, is Tuesday after Easter Monday, 14:00 summer time', () => {
    // 25 Maundy Thursday, 26 Good Friday, 27–28 weekend (Easter Sunday), 29 Easter Monday; DST on the 28th.
    const s = schedule('municipality-notification', '2027-03-24T13:00:00.000Z', EARLY);
    expect(s.dueAt).toBe('2027-03-30T12:00:00.000Z');
    expect(s.explanation).toMatchObject({ calendar: 'working-days', duration: 'P1D', basis: 'LAW', scaling: null });
  });

  it('24 hours in calendar time from Saturday 27 March 2027, 10:00, is Sunday 11:00 summer time (23 h on the wall clock)', () => {
    const s = schedule('notification-assessment', '2027-03-27T09:00:00.000Z', EARLY);
    expect(s.dueAt).toBe('2027-03-28T09:00:00.000Z');
    expect(s.ladder.map((l) => [l.step, l.at])).toEqual([
      ['warning', '2027-03-28T03:00:00.000Z'], // 75 % of 24 h
      ['breach', '2027-03-28T09:00:00.000Z'],
      ['escalation-1', '2027-03-28T15:00:00.000Z'], // 125 % = 30 h, later than due + 4 h
      ['escalation-2', '2027-03-29T09:00:00.000Z'], // 200 % = 48 h = due + 24 h
    ]);
  });

  it('six weekdays from a Thursday count Monday–Friday only, holidays included', () => {
    // Thu 24 Dec 2026 10:00 + 6 weekdays: 25 (Fri), 28, 29, 30, 31 Dec, 1 Jan 2027 (Fri): the holidays count.
    expect(schedule('notification-receipt', '2026-12-24T09:00:00.000Z', EARLY).dueAt).toBe('2027-01-01T09:00:00.000Z');
  });

  it('scales a PROP deadline by the week at the anchor: 7 days at week 12, 5.25 days at week 26, 3.5 days at week 32', () => {
    expect(schedule('clinic-first-visit', MONDAY, EARLY).dueAt).toBe('2026-11-30T09:00:00.000Z');
    const middle = schedule('clinic-first-visit', MONDAY, MIDDLE);
    expect(middle.dueAt).toBe('2026-11-28T15:00:00.000Z'); // + 126 h
    expect(middle.explanation.scaling).toEqual({ week: 26, factor: 0.75 });
    expect(middle.explanation.unscaledDueAt).toBe('2026-11-30T09:00:00.000Z');
    const late = schedule('clinic-first-visit', MONDAY, LATE);
    expect(late.dueAt).toBe('2026-11-26T21:00:00.000Z'); // + 84 h
    expect(late.explanation.scaling).toEqual({ week: 32, factor: 0.5 });
  });

  it('places the ladder at 75 %, 100 %, max(125 %, due + 4 h) and max(200 %, due + 24 h) of the allowed time', () => {
    expect(schedule('clinic-first-visit', MONDAY, EARLY).ladder.map((l) => [l.step, l.at])).toEqual([
      ['warning', '2026-11-28T15:00:00.000Z'],
      ['breach', '2026-11-30T09:00:00.000Z'],
      ['escalation-1', '2026-12-02T03:00:00.000Z'],
      ['escalation-2', '2026-12-07T09:00:00.000Z'],
    ]);
  });

  it('never lets a paused treatment-start deadline pass its legal 14 days', () => {
    const unpaused = schedule('treatment-start', MONDAY, EARLY);
    expect(unpaused.dueAt).toBe('2026-11-30T09:00:00.000Z');
    expect(unpaused.explanation.legalCap).toEqual({ duration: 'P14D', at: '2026-12-07T09:00:00.000Z', applied: false });
    const pauses = [{ from: MONDAY, to: '2026-12-03T09:00:00.000Z', reason: 'in hospital' }]; // 10 days
    const paused = schedule('treatment-start', MONDAY, EARLY, { pauses, now: new Date('2026-12-03T09:00:00.000Z') });
    expect(paused.dueAt).toBe('2026-12-07T09:00:00.000Z');
    expect(paused.explanation).toMatchObject({ pausedMs: 10 * 86_400_000, legalCap: { applied: true } });
  });

  it('caps counted pause time at the policy allowance (14 days)', () => {
    const pauses = [{ from: MONDAY, to: '2026-12-13T09:00:00.000Z', reason: 'unreachable' }]; // 20 days
    const s = schedule('clinic-first-visit', MONDAY, EARLY, { pauses, now: new Date('2026-12-13T09:00:00.000Z') });
    expect(s.explanation.pausedMs).toBe(14 * 86_400_000);
    expect(s.dueAt).toBe('2026-12-14T09:00:00.000Z'); // 30 Nov + 14 days
  });

  it('ends a child-welfare investigation no later than the start of the day 28 days before the due date', () => {
    const s = schedule('child-welfare-investigation', MONDAY, MIDDLE);
    // Four months would be 23 March 2027; 28 days before 1 March is 1 February, 00:00 CET.
    expect(s.explanation.unscaledDueAt).toBe('2027-03-23T09:00:00.000Z');
    expect(s.dueAt).toBe('2027-01-31T23:00:00.000Z');
    expect(s.explanation.notLaterThan).toEqual({
      beforeDueDate: 'P28D',
      at: '2027-01-31T23:00:00.000Z',
      applied: true,
    });
  });

  it('offers the retention contract by the end of the decision’s day', () => {
    expect(schedule('retention-contract-offer', MONDAY, EARLY).dueAt).toBe('2026-11-23T22:59:59.999Z');
  });

  it('warns about a retention episode on days 14 and 18 and breaches it at 21 days', () => {
    const s = schedule('retention-episode', MONDAY, EARLY);
    expect(s.ladder.map((l) => [l.step, l.at])).toEqual([
      ['warning', '2026-12-07T09:00:00.000Z'],
      ['warning-2', '2026-12-11T09:00:00.000Z'],
      ['breach', '2026-12-14T09:00:00.000Z'],
      ['escalation-1', '2026-12-19T15:00:00.000Z'],
      ['escalation-2', '2027-01-04T09:00:00.000Z'],
    ]);
  });

  it('keeps the post-birth plan unscaled: 7 days after its anchor whatever the week', () => {
    const s = schedule('post-birth-plan', '2027-01-31T23:00:00.000Z', MIDDLE);
    expect(s.dueAt).toBe('2027-02-07T23:00:00.000Z');
    expect(s.explanation.scaling).toBeNull();
  });

  it('explains every due time: policy, rule, anchor, calendar, scaling, caps, pauses, the birth-imminent moment', () => {
    const imminent = '2027-02-07T23:00:00.000Z'; // 37+0 of MIDDLE: 8 February 00:00 CET
    expect(schedule('clinic-first-visit', MONDAY, MIDDLE, { birthImminentAt: imminent }).explanation).toEqual({
      policy: { name: 'pregnancy-substance-use', version: 2 },
      rule: 'clinic-first-visit',
      basis: 'PROP',
      anchor: { signal: 'test', at: MONDAY },
      calendar: 'calendar',
      duration: 'P7D',
      unscaledDueAt: '2026-11-30T09:00:00.000Z',
      endOfDay: false,
      scaling: { week: 26, factor: 0.75 },
      legalCap: null,
      notLaterThan: null,
      pauses: [],
      pausedMs: 0,
      maxPause: 'P14D',
      birthImminent: { week: 37, at: imminent, step: 'escalation-1', applied: false },
      dueAt: '2026-11-28T15:00:00.000Z',
    });
    expect(stepAt(schedule('clinic-first-visit', MONDAY, MIDDLE), 'breach')).toBe('2026-11-28T15:00:00.000Z');
  });
});

describe('scaled working-day deadlines stay within working days', () => {
  // Friday 27 Nov 2026: week 26+4 with due 1 Mar 2027 (×0.75), 33+0 with due 15 Jan 2027 (×0.5).
  // The counted (working) time of one working day from Friday 10:00 to Monday 10:00 is 14 h of
  // Friday and 10 h of Monday = 24 h; scaling takes a share of it and counts it on working days.
  it('given Friday 10:00 and ×0.75, then 18 working hours: Monday 04:00, not Sunday 16:00 (54 elapsed hours)', () => {
    const s = schedule('clinic-referral', '2026-11-27T09:00:00.000Z', MIDDLE);
    expect(s.explanation.scaling).toEqual({ week: 26, factor: 0.75 });
    expect(s.explanation.unscaledDueAt).toBe('2026-11-30T09:00:00.000Z');
    expect(s.dueAt).toBe('2026-11-30T03:00:00.000Z');
  });

  it('given Friday 10:00 and ×0.5, then 12 working hours: Friday 22:00', () => {
    expect(schedule('clinic-referral', '2026-11-27T09:00:00.000Z', LATE).dueAt).toBe('2026-11-27T21:00:00.000Z');
  });

  it('given Friday 22:00 and ×0.75, then 2 h of Friday and 16 h of Monday: Monday 16:00', () => {
    // Unscaled Monday 22:00; counted 2 h + 22 h = 24 h; × 0.75 = 18 h.
    expect(schedule('handoff-acceptance', '2026-11-27T21:00:00.000Z', MIDDLE).dueAt).toBe('2026-11-30T15:00:00.000Z');
  });

  it('given Saturday 10:00 and ×0.75, then only Monday counts: 10 h × 0.75 = Monday 07:30', () => {
    expect(schedule('clinic-referral', '2026-11-28T09:00:00.000Z', MIDDLE).dueAt).toBe('2026-11-30T06:30:00.000Z');
  });

  it('given Wednesday before Easter 2027, 14:00, and ×0.75, then 10 h of Wednesday and 8 h of the Tuesday after Easter Monday', () => {
    // Due 1 Aug 2027: 130 days ahead on 24 Mar = 150 days = week 21 (×0.75). Unscaled Tuesday 30
    // Mar 14:00 CEST; counted 10 h (Wed) + 14 h (Tue) = 24 h; × 0.75 = 18 h → Tue 08:00 CEST.
    const s = schedule('clinic-referral', '2027-03-24T13:00:00.000Z', '2027-08-01');
    expect(s.explanation.scaling).toEqual({ week: 21, factor: 0.75 });
    expect(s.dueAt).toBe('2027-03-30T06:00:00.000Z');
  });

  /** The local date of an instant in Copenhagen, worked out from the offset (CEST 28 Mar–31 Oct 2027). */
  const copenhagenDate = (iso: string) => {
    const t = new Date(iso).getTime();
    const summer = t >= Date.UTC(2027, 2, 28, 1) && t < Date.UTC(2027, 9, 31, 1);
    return new Date(t + (summer ? 2 : 1) * 3_600_000).toISOString().slice(0, 10);
  };
  /** Danish public holidays of 2027 (Easter Sunday 28 March), by hand. */
  const HOLIDAYS_2027 = new Set([
    '2027-01-01',
    '2027-03-25',
    '2027-03-26',
    '2027-03-28',
    '2027-03-29',
    '2027-05-06',
    '2027-05-16',
    '2027-05-17',
    '2027-12-25',
    '2027-12-26',
  ]);
  const isWorkingDate = (date: string) => {
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6 && !HOLIDAYS_2027.has(date);
  };

  it.each([
    ['clinic-referral', 0.75],
    ['clinic-referral', 0.5],
    ['coordinator-assignment', 0.75],
    ['coordinator-assignment', 0.5],
  ])(
    'from every hour of 2027, %s ×%s falls on a working day, after the anchor and never later than unscaled',
    (id, factor) => {
      const flat = { ...policy, scaling: { ...policy.scaling, bands: [{ fromWeek: 0, factor }] } };
      const problems: string[] = [];
      for (let t = Date.UTC(2027, 0, 1, 0); t < Date.UTC(2027, 11, 20); t += 3_600_000) {
        const at = new Date(t).toISOString();
        const s = computeSchedule({
          policy: flat,
          rule: rule(id),
          anchor: { signal: 'test', at },
          estimatedDueDate: '2028-06-01',
          pauses: [],
          now: new Date(at),
          birthImminentAt: null,
        });
        const due = s.dueAt;
        if (!isWorkingDate(copenhagenDate(due)) || due <= at || due > s.explanation.unscaledDueAt)
          problems.push(`${at} → ${due} (unscaled ${s.explanation.unscaledDueAt})`);
      }
      expect(problems).toEqual([]);
    },
  );
});

describe('the birth-imminent moment in the schedule', () => {
  // clinic-first-visit from MONDAY at 26+0: 7 days × 0.75 = 126 h; escalation-1 at 125 % = 157.5 h = 29 Nov 22:30Z.
  const own = schedule('clinic-first-visit', MONDAY, MIDDLE);
  const noEscalation1: MilestoneRule = {
    ...rule('clinic-first-visit'),
    ladder: [
      { step: 'warning', kind: 'warning', fraction: 0.75 },
      { step: 'breach', kind: 'breach' },
      { step: 'escalation-2', kind: 'escalation', level: 2, fraction: 2, atLeastAfterDue: 'PT24H' },
    ],
  };

  it('given the moment after escalation-1, then the ladder is its own and the explanation says the moment was not applied', () => {
    const s = schedule('clinic-first-visit', MONDAY, MIDDLE, { birthImminentAt: '2026-12-01T23:00:00.000Z' });
    expect(stepAt(own, 'escalation-1')).toBe('2026-11-29T22:30:00.000Z');
    expect(s.ladder).toEqual(own.ladder);
    expect(s.dueAt).toBe(own.dueAt);
    expect(s.explanation.birthImminent).toEqual({
      week: 37,
      at: '2026-12-01T23:00:00.000Z',
      step: 'escalation-1',
      applied: false,
    });
  });

  it('given the moment before escalation-1, then escalation-1 falls at the moment; the due time and the other steps stay', () => {
    const s = schedule('clinic-first-visit', MONDAY, MIDDLE, { birthImminentAt: '2026-11-25T23:00:00.000Z' });
    expect(s.ladder).toEqual(
      own.ladder.map((l) => (l.step === 'escalation-1' ? { ...l, at: '2026-11-25T23:00:00.000Z' } : l)),
    );
    expect(s.dueAt).toBe(own.dueAt);
    expect(s.explanation.birthImminent).toMatchObject({ step: 'escalation-1', applied: true });
  });

  it('given the moment before the anchor (opened in week 37 or later), then escalation-1 falls at the anchor, never before', () => {
    const s = schedule('clinic-first-visit', MONDAY, MIDDLE, { birthImminentAt: '2026-11-01T23:00:00.000Z' });
    expect(stepAt(s, 'escalation-1')).toBe(MONDAY);
    expect(s.explanation.birthImminent).toEqual({
      week: 37,
      at: '2026-11-01T23:00:00.000Z',
      step: 'escalation-1',
      applied: true,
    });
  });

  it('given a ladder without escalation-1, then a level-1 birth-imminent step at the moment is added after the others, whether or not it comes before them', () => {
    const at = (birthImminentAt: string) =>
      computeSchedule({
        policy,
        rule: noEscalation1,
        anchor: { signal: 'test', at: MONDAY },
        estimatedDueDate: MIDDLE,
        pauses: [],
        now: new Date(MONDAY),
        birthImminentAt,
      });
    for (const moment of ['2026-11-25T23:00:00.000Z', '2027-02-07T23:00:00.000Z']) {
      const s = at(moment);
      expect(s.ladder.map((l) => l.step)).toEqual(['warning', 'breach', 'escalation-2', 'birth-imminent']);
      expect(s.ladder[3]).toEqual({ step: 'birth-imminent', kind: 'escalation', level: 1, at: moment });
      expect(s.explanation.birthImminent).toEqual({ week: 37, at: moment, step: 'birth-imminent', applied: true });
    }
  });

  it('given a pause, then the escalations move with it but the birth-imminent moment does not', () => {
    const pauses = [{ from: MONDAY, to: '2026-11-26T09:00:00.000Z', reason: 'in hospital' }];
    const s = schedule('clinic-first-visit', MONDAY, MIDDLE, { pauses, birthImminentAt: '2026-12-01T23:00:00.000Z' });
    // 157.5 h + 72 h paused = 2 Dec 22:30Z: now after the moment, which applies.
    expect(stepAt(s, 'escalation-2')).toBe('2026-12-06T21:00:00.000Z'); // 252 h + 72 h
    expect(stepAt(s, 'escalation-1')).toBe('2026-12-01T23:00:00.000Z');
    expect(s.explanation.birthImminent).toMatchObject({ applied: true });
  });

  it('given no moment (born, or the pregnancy ended), then the ladder is its own and the explanation records null', () => {
    expect(own.explanation.birthImminent).toBeNull();
    expect(own.ladder.map((l) => l.step)).toEqual(['warning', 'breach', 'escalation-1', 'escalation-2']);
  });
});
