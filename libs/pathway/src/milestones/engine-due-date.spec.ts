import { type CaseEvent, type CaseEventData } from '../case/case.events';
import { actors, given, registered, withMilestones } from '../case/testing/given-when-then';

const rescheduled = (events: CaseEvent[]): CaseEventData['MilestoneRescheduled'][] =>
  events.flatMap((e) => (e.type === 'MilestoneRescheduled' ? [e.data] : []));

describe('update-due-date moves the post-birth plan earlier too ', () => {
  it('given the plan anchored on 1 February (due 1 March), when the due date moves to 15 February, then the plan is anchored on 18 January', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2027-02-15' } }, actors.clinicNord)
      .events();
    // 15 Feb − 28 days = 18 Jan 2027 00:00 CET = 17 Jan 23:00Z; + 7 days.
    expect(rescheduled(events).find((r) => r.milestone === 'post-birth-plan-1')).toMatchObject({
      reason: 'due-date-updated',
      dueAt: '2027-01-24T23:00:00.000Z',
      explanation: { anchor: { signal: 'due-date-minus-P28D', at: '2027-01-17T23:00:00.000Z' } },
    });
  });

  it('given the due date moves into week 28 (15 February), then all scaled milestones and the plan are rescheduled', () => {
    const events = given(...withMilestones(registered()))
      .when({ type: 'update-due-date', data: { estimatedDueDate: '2027-02-15' } }, actors.clinicNord)
      .events();
    expect(rescheduled(events).map((r) => [r.milestone, r.dueAt])).toEqual([
      ['coordinator-assignment-1', '2026-11-24T09:00:00.000Z'], // 48 h × 0.5
      ['post-birth-plan-1', '2027-01-24T23:00:00.000Z'],
      ['clinic-referral-1', '2026-11-23T21:00:00.000Z'], // 24 h × 0.5
    ]);
  });
});
