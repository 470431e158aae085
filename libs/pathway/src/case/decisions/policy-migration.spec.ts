import document from '../../../policies/pregnancy-substance-use.v2.json';
import type { CaseEvent, CaseEventData } from '../case.events';
import { actors, given, play, registered, withMilestones } from '../testing/given-when-then';
import { defaultPolicy } from '../../policy/default-policy';
import { parsePolicy } from '../../policy/parse-policy';
import { policyRegistry } from '../../policy/policy';

const doc = (): any => JSON.parse(JSON.stringify(document));
const rescheduled = (events: CaseEvent[]): CaseEventData['MilestoneRescheduled'][] =>
  events.flatMap((e) => (e.type === 'MilestoneRescheduled' ? [e.data] : []));

// For libs/pathway/src/policy/parse-policy.spec.ts
describe('durations the engine counts in days must be whole days', () => {
  it('an anchor "P1M before the due date" is refused: the engine counts only its days and weeks', () => {
    const d = doc();
    d.milestones[15].anchor.dueDateMinus = 'P1M';
    expect(parsePolicy(d).ok).toBe(false);
  });

  it('"no later than PT12H before the due date" is refused: the engine counts only its days and weeks', () => {
    const d = doc();
    d.milestones[7].deadline.notLaterThanBeforeDueDate = 'PT12H';
    expect(parsePolicy(d).ok).toBe(false);
  });
});

// For libs/pathway/src/case/decisions/milestones.spec.ts
describe('migrate-policy recomputes the anchor of a due-date-anchored milestone', () => {
  it('given a version 3 whose post-birth plan starts 35 days before the due date, when migrated, then the plan is anchored on 25 January', () => {
    const v2 = defaultPolicy();
    const v3 = {
      ...defaultPolicy(),
      version: 3,
      milestones: v2.milestones.map((m) =>
        m.id === 'post-birth-plan' ? { ...m, anchor: { dueDateMinus: 'P35D', unlessEarlier: ['birth-recorded'] } } : m,
      ),
    };
    const events = given(...withMilestones(registered()))
      .when({ type: 'migrate-policy', data: { version: 3 } }, actors.aalborg, undefined, policyRegistry(v2, [v3]))
      .events();
    // 1 March 2027 − 35 days = 25 January 00:00 CET = 24 January 23:00Z; + 7 days.
    expect(rescheduled(events).find((r) => r.milestone === 'post-birth-plan-1')).toMatchObject({
      dueAt: '2027-01-31T23:00:00.000Z',
      explanation: { anchor: { signal: 'due-date-minus-P35D', at: '2027-01-24T23:00:00.000Z' } },
    });
  });
});

// For libs/pathway/src/milestones/engine.spec.ts
describe('the birth is no longer imminent once the due date moves back before week 37', () => {
  it('given a case registered at 37+1 (its milestones escalated at once), when the due date is corrected to 1 February 2027 (30+0), then newly opened milestones do not escalate at once', () => {
    const registeredLate = withMilestones(registered({ estimatedDueDate: '2026-12-13' }));
    expect(registeredLate.filter((e) => e.type === 'MilestoneEscalated')).toHaveLength(4);
    const h = play(
      registeredLate,
      { type: 'update-due-date', data: { estimatedDueDate: '2027-02-01' } },
      actors.clinicNord,
    );
    const events = given(...h)
      .when({ type: 'refer-to-clinic', data: {} }, actors.gp)
      .events();
    expect(events.filter((e) => e.type === 'MilestoneEscalated')).toEqual([]);
  });
});
