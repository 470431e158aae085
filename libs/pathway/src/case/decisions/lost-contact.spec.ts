import { defaultPolicy } from '../../policy/default-policy';
import { event, type CaseEvent } from '../case.events';
import {
  AT,
  NOW,
  actors,
  after,
  given,
  play,
  registered,
  stateAfter,
  withMilestones,
} from '../testing/given-when-then';
import { LOST_CONTACT_PAUSE, lostContactEffect } from '../../milestones/lost-contact';
import { isActive } from '../../milestones/milestone';
import { ruleOf } from '../../policy/policy';

/**
 * NOW is Monday 23 Nov 2026 10:00 CET (09:00Z), week 26 (×0.75). Referred to the clinic, treatment
 * requested and an investigation opened, all at NOW:
 * - clinic-first-visit-1 and treatment-start-1 (PROP, marked pausedByLostContact): 7 days × 0.75 =
 *   126 h, due Sat 28 Nov 15:00Z;
 * - coordinator-assignment-1 (PROP, not marked), child-welfare-investigation-1 (LAW).
 */
const history = withMilestones(
  registered(),
  event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
  ...after.treatmentRequested,
  ...after.notified,
  ...after.investigating,
);
const kinds = (events: CaseEvent[]) =>
  events.map((e) => [e.type, (e.data as { milestone?: string }).milestone ?? null]);
const FIVE_DAYS_LATER = new Date(NOW.getTime() + 5 * 86_400_000);

describe('lost contact pauses what cannot be met without her', () => {
  it('ships the default marks: clinic first visit, treatment start, residential admission', () => {
    expect(
      defaultPolicy()
        .milestones.filter((r) => r.pausedByLostContact)
        .map((r) => r.id),
    ).toEqual(['clinic-first-visit', 'treatment-start', 'residential-admission']);
  });

  it('given open marked milestones, when contact is lost, then exactly those are paused, until their allowance (14 days) is used; the LAW investigation keeps running', () => {
    const events = given(...history)
      .when({ type: 'record-lost-contact', data: {} }, actors.gp)
      .events();
    expect(kinds(events)).toEqual([
      ['ContactLost', null],
      ['MilestonePaused', 'clinic-first-visit-1'],
      ['MilestonePaused', 'treatment-start-1'],
    ]);
    expect(events[1]).toEqual(
      event('MilestonePaused', {
        occurredAt: AT,
        milestone: 'clinic-first-visit-1',
        reason: LOST_CONTACT_PAUSE,
        resumeBy: '2026-12-07T09:00:00.000Z', // NOW + 14 days
      }),
    );
    const state = stateAfter(history, events);
    expect(state.milestones['child-welfare-investigation-1'].status).toBe('open');
    expect(state.milestones['coordinator-assignment-1'].status).toBe('open');
  });

  it('given contact lost for five days, when it is restored, then those it paused resume, due five days later; one paused by hand stays paused', () => {
    let h = play(
      history,
      { type: 'pause-milestone', data: { milestone: 'coordinator-assignment-1', reason: 'in hospital' } },
      actors.aalborg,
    );
    h = play(h, { type: 'record-lost-contact', data: {} }, actors.gp);
    const events = given(...h)
      .when({ type: 'record-contact-restored', data: {} }, actors.gp, FIVE_DAYS_LATER)
      .events();
    expect(kinds(events)).toEqual([
      ['ContactRestored', null],
      ['MilestoneResumed', 'clinic-first-visit-1'],
      ['MilestoneResumed', 'treatment-start-1'],
    ]);
    // 28 Nov 15:00Z + 5 days of pause = 3 Dec 15:00Z (treatment-start's legal cap, 7 Dec 09:00Z, is later).
    for (const e of events.slice(1))
      expect(e.data).toMatchObject({ reason: 'contact-restored', dueAt: '2026-12-03T15:00:00.000Z' });
    const state = stateAfter(h, events);
    expect(state.milestones['coordinator-assignment-1'].status).toBe('paused');
    expect(state.milestones['clinic-first-visit-1'].status).toBe('open');
  });

  it('given a marked milestone whose allowance is used up, when contact is lost, then it keeps running', () => {
    let h = play(
      history,
      { type: 'pause-milestone', data: { milestone: 'clinic-first-visit-1', reason: 'in hospital' } },
      actors.clinicNord,
    );
    const fifteenDays = new Date(NOW.getTime() + 15 * 86_400_000);
    h = play(
      h,
      { type: 'resume-milestone', data: { milestone: 'clinic-first-visit-1' } },
      actors.clinicNord,
      fifteenDays,
    );
    const events = given(...h)
      .when({ type: 'record-lost-contact', data: {} }, actors.gp, fifteenDays)
      .events();
    expect(kinds(events).filter(([type]) => type === 'MilestonePaused')).toEqual([
      ['MilestonePaused', 'treatment-start-1'],
    ]);
  });
});

describe('while contact is lost', () => {
  const lost = play(history, { type: 'record-lost-contact', data: {} }, actors.gp);

  it('each active milestone says whether its clock runs on: the LAW investigation does, and says it is a legal duty', () => {
    const state = stateAfter(lost, []);
    const effects = Object.values(state.milestones)
      .filter(isActive)
      .map((m) => [m.id, m.contactLostSince, lostContactEffect(m, ruleOf(defaultPolicy(), m.rule))]);
    expect(effects).toEqual(
      expect.arrayContaining([
        ['child-welfare-investigation-1', AT, 'legal-duty-keeps-running'],
        ['coordinator-assignment-1', AT, 'keeps-running'],
        ['clinic-first-visit-1', AT, 'paused'],
        ['treatment-start-1', AT, 'paused'],
      ]),
    );
    // Restored: no milestone says anything of lost contact any more.
    const restored = stateAfter(
      play(lost, { type: 'record-contact-restored', data: {} }, actors.gp, FIVE_DAYS_LATER),
      [],
    );
    expect(Object.values(restored.milestones).filter((m) => m.contactLostSince !== undefined)).toEqual([]);
  });

  it('given contact lost, when a marked milestone opens (treatment requested), then it opens paused, and contact restored resumes it', () => {
    const withoutTreatment = withMilestones(
      registered(),
      event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
      ...after.notified,
      ...after.investigating,
    );
    const h = play(withoutTreatment, { type: 'record-lost-contact', data: {} }, actors.gp);
    const oneDayLater = new Date(NOW.getTime() + 86_400_000);
    const events = given(...h)
      .when({ type: 'request-treatment', data: { kind: 'drugs' } }, actors.aalborg, oneDayLater)
      .events();
    expect(kinds(events)).toEqual([
      ['TreatmentRequested', null],
      ['MilestoneOpened', 'treatment-start-1'],
      ['MilestonePaused', 'treatment-start-1'],
    ]);
    // Its allowance (14 days) counts from its opening.
    expect(events[2].data).toMatchObject({ reason: LOST_CONTACT_PAUSE, resumeBy: '2026-12-08T09:00:00.000Z' });
    const restored = given(...h, ...events)
      .when({ type: 'record-contact-restored', data: {} }, actors.gp, FIVE_DAYS_LATER)
      .events();
    expect(kinds(restored)).toContainEqual(['MilestoneResumed', 'treatment-start-1']);
  });
});
