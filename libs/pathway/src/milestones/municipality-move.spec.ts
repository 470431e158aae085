import { event, type CaseEvent, type EventOf } from '../case/case.events';
import { fold, type OpenCase } from '../case/case.state';
import type { Actor } from '../case/actor';
import { decide } from '../case/decide';
import { AT, POLICIES, actors, registered, withMilestones } from '../case/testing/given-when-then';
import { defaultDisclosurePolicy, parseDisclosurePolicy } from '../disclosure/disclosure-policy';
import { fireAt, runTimersUntil, timersOf } from './testing/timer-worker';

/**
 * issue 15 §1: a case registered by the GP for a woman in Aalborg (851) on Monday 23 November 2026
 * 10:00 Copenhagen (09:00Z), due 31 May 2027: 13+0 then, so no gestational scaling (factor 1.0
 * before week 14, domain.md). The GP notifies Aalborg at once and Aalborg assigns its own Alice.
 */
const DUE = '2027-05-31';
const ALICE = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };
const start = (coordinator = ALICE): CaseEvent[] =>
  withMilestones(
    registered({ estimatedDueDate: DUE }),
    event('MunicipalityNotified', {
      occurredAt: AT,
      notificationId: 'notification-1',
      municipality: '851',
      byProfessional: true,
      handoffId: 'handoff-1',
    }),
    event('CoordinatorAssigned', { occurredAt: AT, coordinator, previous: null }),
  );

/** Tuesday 24 November 10:00Z (11:00 Copenhagen): 25 hours later, after the 24-hour assessment breached. */
const MOVE = new Date('2026-11-24T10:00:00.000Z');
const AALBORG = 'municipality:851';
const AARHUS = 'municipality:751';

function decided(history: CaseEvent[], command: Parameters<typeof decide>[1], actor: Actor, now: Date) {
  const decision = decide(fold(history), command, { actor, now, policies: POLICIES });
  if (!decision.ok) throw new Error(`${decision.error.code}: ${decision.error.message}`);
  return decision.events;
}

function moved(coordinator = ALICE) {
  const before = runTimersUntil(start(coordinator), MOVE, POLICIES);
  const events = decided(
    before,
    { type: 'transfer-municipality', data: { toMunicipality: '751' } },
    actors.aalborg,
    MOVE,
  );
  return { before, events, history: [...before, ...events] };
}

const stateOf = (history: CaseEvent[]) => fold(history) as OpenCase;

describe('moving municipality (issue 15 §1)', () => {
  it('moves every active obligation Aalborg owns to Aarhus, due times kept, and records the move in each explanation', () => {
    const { before, events, history } = moved();
    const was = stateOf(before);
    // Hand-computed, before the move: the 24-hour assessment from Monday 09:00Z, the 6-weekday receipt
    // (Tue..Mon: Tuesday 1 December 10:00 Copenhagen), the hand-off of the notification (1 working day).
    expect(was.milestones['notification-assessment-1']).toMatchObject({ owner: AALBORG, status: 'breached' });
    expect(was.milestones['notification-assessment-1'].dueAt).toBe('2026-11-24T09:00:00.000Z');
    expect(was.milestones['notification-receipt-1'].dueAt).toBe('2026-12-01T09:00:00.000Z');
    expect(was.milestones['handoff-acceptance-1'].dueAt).toBe('2026-11-24T09:00:00.000Z');

    const reassigned = events.filter((e) => e.type === 'MilestoneReassigned');
    expect(reassigned.map((e) => e.data)).toEqual(
      [
        'notification-assessment-1',
        'notification-receipt-1',
        'post-birth-plan-1',
        'network-meeting-1',
        'handoff-acceptance-1',
      ]
        .filter((id) => was.milestones[id])
        .sort((a, b) => Object.keys(was.milestones).indexOf(a) - Object.keys(was.milestones).indexOf(b))
        .map((milestone) => ({
          occurredAt: MOVE.toISOString(),
          milestone,
          from: AALBORG,
          to: AARHUS,
          reason: 'municipality-transferred',
        })),
    );
    expect(reassigned).toHaveLength(5);

    const now = stateOf(history);
    for (const e of reassigned) {
      const m = now.milestones[e.data.milestone];
      expect(m.owner).toBe(AARHUS);
      expect(m.dueAt).toBe(was.milestones[m.id].dueAt);
      expect(m.ladder.map((l) => l.at)).toEqual(was.milestones[m.id].ladder.map((l) => l.at));
      expect(m.explanation.ownerChanges).toEqual([
        { from: AALBORG, to: AARHUS, at: MOVE.toISOString(), reason: 'municipality-transferred' },
      ]);
    }
    // The referrer's own obligation stays hers; what was already met stays as it was.
    expect(now.milestones['clinic-referral-1'].owner).toBe('gp:hansen');
    expect(now.milestones['coordinator-assignment-1']).toMatchObject({ owner: AALBORG, status: 'met' });
  });

  it('leaves the move-handover with Aalborg and gives Aarhus the hand-off of the move', () => {
    const now = stateOf(moved().history);
    expect(now.milestones['move-handover-1']).toMatchObject({ owner: AALBORG, status: 'open' });
    expect(now.milestones['move-handover-1'].explanation.ownerChanges).toBeUndefined();
    // 1 working day from Tuesday 11:00 Copenhagen: Wednesday 25 November 11:00 (10:00Z).
    expect(now.milestones['move-handover-1'].dueAt).toBe('2026-11-25T10:00:00.000Z');
    expect(now.milestones['handoff-acceptance-2']).toMatchObject({ owner: AARHUS, key: 'handoff-2' });
  });

  it('re-addresses the open alerts of the moved milestones to Aarhus; later ladder steps alert Aarhus, and Aalborg only for its handover', () => {
    const { before, history } = moved();
    const was = stateOf(before);
    const raised = Object.keys(was.alerts);
    expect(raised).toEqual(
      expect.arrayContaining(['notification-assessment-1.warning', 'notification-assessment-1.breach']),
    );
    const now = stateOf(history);
    for (const id of raised.filter((a) => was.alerts[a].owner === AALBORG))
      expect(now.alerts[id]).toMatchObject({ owner: AARHUS, status: 'open', raisedAt: was.alerts[id].raisedAt });

    // Aalborg silent until Thursday 26 November 12:00Z: the assessment's escalation 1 (deadline + 25 % of
    // 24 h = 6 h: 24 Nov 15:00Z) and 2 (deadline + 100 % = 25 Nov 09:00Z) go to Aarhus.
    const later = runTimersUntil(history, new Date('2026-11-26T12:00:00.000Z'), POLICIES).slice(history.length);
    const escalations = later.filter(
      (e): e is EventOf<'MilestoneEscalated'> =>
        e.type === 'MilestoneEscalated' && e.data.milestone === 'notification-assessment-1',
    );
    expect(escalations.map((e) => [e.data.occurredAt, e.data.owner])).toEqual([
      ['2026-11-24T15:00:00.000Z', AARHUS],
      ['2026-11-25T09:00:00.000Z', AARHUS],
    ]);
    const after = stateOf([...history, ...later]);
    const newToAalborg = Object.values(after.alerts).filter((a) => !was.alerts[a.id] && a.owner === AALBORG);
    expect(new Set(newToAalborg.map((a) => a.rule))).toEqual(new Set(['move-handover']));
    expect(newToAalborg.length).toBeGreaterThan(0);
  });

  it('opens again for Aarhus an alert Aalborg acknowledged before the move: sent at the move, re-sent from then', () => {
    const upToMove = runTimersUntil(start(), MOVE, POLICIES);
    const breach = 'notification-assessment-1.breach'; // raised at the 24-hour deadline, 24 Nov 09:00Z
    const acknowledgedAt = new Date('2026-11-24T09:30:00.000Z');
    const before = [
      ...upToMove,
      ...decided(upToMove, { type: 'acknowledge-alert', data: { alert: breach } }, actors.aalborg, acknowledgedAt),
    ];
    expect(stateOf(before).alerts[breach]).toMatchObject({ owner: AALBORG, status: 'acknowledged' });
    const history = [
      ...before,
      ...decided(before, { type: 'transfer-municipality', data: { toMunicipality: '751' } }, actors.aalborg, MOVE),
    ];
    expect(stateOf(history).alerts[breach]).toMatchObject({
      owner: AARHUS,
      status: 'open',
      acknowledged: null,
      lastSentAt: MOVE.toISOString(),
    });
    // A breach (severity high) is re-sent every 4 hours unacknowledged: from the move, 14:00Z.
    expect(timersOf(history, POLICIES)).toContainEqual(
      expect.objectContaining({ id: `alert.${breach}.r1`, kind: 'alert-resend', fireAt: '2026-11-24T14:00:00.000Z' }),
    );
  });

  it('lets Aarhus act on what moved and refuses Aalborg', () => {
    const { history } = moved();
    const assess = { type: 'assess-notification' as const, data: { outcome: 'no-action' as const } };
    const refused = decide(fold(history), assess, { actor: actors.aalborg, now: MOVE, policies: POLICIES });
    expect(refused.ok ? null : refused.error.code).toBe('NOT_RESPONSIBLE_MUNICIPALITY');
    const events = decided(history, assess, actors.aarhus, MOVE);
    expect(events).toContainEqual(
      event('MilestoneMet', {
        occurredAt: MOVE.toISOString(),
        milestone: 'notification-assessment-1',
        late: true,
        signal: 'notification-assessed',
      }),
    );
  });

  it('reopens coordinator-assignment for Aarhus when the coordinator works for Aalborg, not when she works for the clinic', () => {
    const now = stateOf(moved().history);
    // 2 working days from Tuesday 24 November 11:00 Copenhagen: Thursday 26 November 11:00 (10:00Z).
    expect(now.milestones['coordinator-assignment-2']).toMatchObject({
      owner: AARHUS,
      status: 'open',
      anchor: { signal: 'coordinator-left-with-municipality', at: MOVE.toISOString() },
      dueAt: '2026-11-26T10:00:00.000Z',
    });
    const clinical = stateOf(moved({ id: 'lis', name: 'Lis', organisation: 'clinic:1081' }).history);
    expect(clinical.milestones['coordinator-assignment-2']).toBeUndefined();
    // Aarhus assigns its own coordinator: the reopened obligation is met.
    const assigned = decided(
      moved().history,
      { type: 'assign-coordinator', data: { coordinator: { id: 'ole', name: 'Ole', organisation: AARHUS } } },
      actors.aarhus,
      MOVE,
    );
    expect(assigned.map((e) => e.type === 'MilestoneMet' && e.data.milestone)).toContain('coordinator-assignment-2');
  });

  it("gives the coordinator's next obligations to Aarhus while the coordinator still works for Aalborg", () => {
    const { history } = moved();
    const meeting = decided(history, { type: 'record-network-meeting', data: {} }, actors.coordinator, MOVE);
    const next = stateOf([...history, ...meeting]).milestones['network-meeting-2'];
    expect(next).toMatchObject({ owner: AARHUS, status: 'open' });
  });

  it('keeps the move in the explanation when the schedule is recomputed (a new due date)', () => {
    const { history } = moved();
    const events = decided(
      history,
      { type: 'update-due-date', data: { estimatedDueDate: '2027-05-24' } },
      actors.aarhus,
      MOVE,
    );
    const now = stateOf([...history, ...events]);
    expect(events.some((e) => e.type === 'MilestoneRescheduled' && e.data.milestone === 'post-birth-plan-1')).toBe(
      true,
    );
    expect(now.milestones['post-birth-plan-1'].explanation.ownerChanges).toEqual([
      { from: AALBORG, to: AARHUS, at: MOVE.toISOString(), reason: 'municipality-transferred' },
    ]);
  });

  it('folds a stream recorded before moves carried obligations as it always did: its owners stay (ADR 0007)', () => {
    const { events, before } = moved();
    const old = [...before, ...events.filter((e) => e.type !== 'MilestoneReassigned')];
    const state = stateOf(old);
    expect(state.milestones['notification-assessment-1'].owner).toBe(AALBORG);
    expect(state.milestones['notification-assessment-1'].explanation.ownerChanges).toBeUndefined();
    expect(Object.values(state.alerts).every((a) => a.owner !== AARHUS)).toBe(true);
  });

  describe("the former municipality's access (disclosure policy: formerMunicipalityAccess P30D)", () => {
    /** 30 days from Tuesday 24 November 11:00 Copenhagen: Thursday 24 December 11:00 (CET both: 10:00Z). */
    const UNTIL = '2026-12-24T10:00:00.000Z';
    const LIS = { id: 'lis', name: 'Lis', organisation: 'clinic:1081' };

    it('the move records until when Aalborg keeps its part, and a timer ends it then', () => {
      const { events, history } = moved(LIS);
      expect(events.find((e) => e.type === 'MunicipalityTransferred')?.data).toMatchObject({
        formerAccessUntil: UNTIL,
      });
      expect(stateOf(history).parties).toContain(AALBORG);
      const timer = timersOf(history, POLICIES).find((t) => t.kind === 'former-access');
      expect(timer).toEqual({
        id: `former-access.851.t${Date.parse(UNTIL)}`,
        kind: 'former-access',
        fireAt: UNTIL,
        municipality: '851',
      });
      // Not a moment early.
      expect(fireAt(history, timer!.id, new Date(Date.parse(UNTIL) - 1_000), POLICIES)).toEqual([]);
      const ended = fireAt(history, timer!.id, new Date(UNTIL), POLICIES);
      expect(ended).toEqual([event('FormerMunicipalityAccessEnded', { occurredAt: UNTIL, municipality: '851' })]);
      const after = stateOf([...history, ...ended]);
      expect(after.parties).not.toContain(AALBORG);
      expect(after.parties).toEqual(expect.arrayContaining([AARHUS, 'gp:hansen', 'clinic:1081']));
      expect(after.formerMunicipalityAccess).toEqual([]);
      expect(timersOf([...history, ...ended], POLICIES).some((t) => t.kind === 'former-access')).toBe(false);
      // The event is the engine's: the version people see does not move.
      expect(after.factVersion).toBe(stateOf(history).factVersion);
    });

    it("a close within the period ends Aalborg's part with it: a closed case has no timer left to end it", () => {
      const { history } = moved(LIS);
      // Two days after the move Aarhus closes the case: she moved abroad (her open legal duties are moot).
      const closedAt = new Date(Date.parse(MOVE.toISOString()) + 2 * 86_400_000);
      const events = decided(
        history,
        { type: 'close-case', data: { reason: 'moved-abroad' } },
        actors.aarhus,
        closedAt,
      );
      expect(events.filter((e) => e.type === 'FormerMunicipalityAccessEnded')).toEqual([
        event('FormerMunicipalityAccessEnded', { occurredAt: closedAt.toISOString(), municipality: '851' }),
      ]);
      const closed = fold([...history, ...events]);
      if (closed.status !== 'closed') throw new Error(`the case is ${closed.status}`);
      expect(closed.parties).not.toContain(AALBORG);
      expect(closed.parties).toContain(AARHUS);
    });

    it('Aalborg keeps its part while the coordinator works for it; a stream from before the period keeps it too', () => {
      const { history } = moved();
      const timer = timersOf(history, POLICIES).find((t) => t.kind === 'former-access')!;
      const ended = fireAt(history, timer.id, new Date(UNTIL), POLICIES);
      expect(stateOf([...history, ...ended]).parties).toContain(AALBORG);

      const old = history.map((e) =>
        e.type === 'MunicipalityTransferred' ? { ...e, data: { ...e.data, formerAccessUntil: undefined } } : e,
      );
      expect(timersOf(old, POLICIES).some((t) => t.kind === 'former-access')).toBe(false);
      expect(stateOf(old).parties).toContain(AALBORG);
    });

    it('the disclosure policy must set the period as an ISO 8601 duration', () => {
      const valid = defaultDisclosurePolicy();
      expect(valid.formerMunicipalityAccess).toBe('P30D');
      for (const bad of [undefined, '30 days', 'P'])
        expect(parseDisclosurePolicy({ ...valid, formerMunicipalityAccess: bad })).toEqual({
          ok: false,
          problems: [expect.stringMatching(/^formerMunicipalityAccess: must be an ISO 8601 duration/)],
        });
    });
  });
});
