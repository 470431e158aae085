import { pendingTimers } from '../../milestones/timers';
import { defaultPolicy } from '../../policy/default-policy';
import type { CaseCommand } from '../case.commands';
import { event } from '../case.events';
import { fold, type OpenCase } from '../case.state';
import { actors, given, play, registered, SYSTEM_ACTOR, withMilestones } from '../testing/given-when-then';

/**
 * Alerts: every ladder step raises one; an open one is re-sent and climbs; acknowledging stops the
 * re-sending; meeting the milestone resolves it. After registration on Monday 23 Nov 2026 (week 26),
 * coordinator-assignment-1 (municipality:851) warns at 24 Nov 12:00Z, breaches at 21:00Z and
 * escalates at 25 Nov 06:00Z (level 1).
 */
const at = (iso: string) => new Date(iso);
const fire = (timer: string): CaseCommand => ({ type: 'fire-timer', data: { timer } });
const acknowledge = (alert: string, note?: string): CaseCommand => ({
  type: 'acknowledge-alert',
  data: { alert, ...(note && { note }) },
});
const stateOf = (history: Parameters<typeof fold>[0]) => fold(history) as OpenCase;
const alertTimers = (state: OpenCase) => pendingTimers(state, defaultPolicy()).filter((t) => t.kind === 'alert-resend');

const WARNED_AT = '2026-11-24T12:00:00.000Z';
const BREACHED_AT = '2026-11-24T21:00:00.000Z';
const registeredCase = withMilestones(registered());
const warned = play(registeredCase, fire('coordinator-assignment-1.warning.g1'), SYSTEM_ACTOR, at(WARNED_AT));
const breached = play(warned, fire('coordinator-assignment-1.breach.g1'), SYSTEM_ACTOR, at(BREACHED_AT));

describe('alerts raised by the ladder', () => {
  it('given a warning, then an info alert reaches the coordinator and is never re-sent', () => {
    const state = stateOf(warned);
    expect(state.alerts['coordinator-assignment-1.warning']).toEqual({
      id: 'coordinator-assignment-1.warning',
      milestone: 'coordinator-assignment-1',
      rule: 'coordinator-assignment',
      step: 'warning',
      kind: 'warning',
      level: 0,
      severity: 'info',
      owner: 'municipality:851',
      dueAt: BREACHED_AT,
      raisedAt: WARNED_AT,
      status: 'open',
      reach: 'coordinator',
      resends: 0,
      lastSentAt: WARNED_AT,
      acknowledged: null,
      resolvedAt: null,
    });
    expect(alertTimers(state)).toEqual([]);
  });

  it('given a breach, then a high alert reaches the duty inbox and is re-sent every 4 hours', () => {
    const state = stateOf(breached);
    expect(state.alerts['coordinator-assignment-1.breach']).toMatchObject({
      severity: 'high',
      reach: 'duty-inbox',
      status: 'open',
      resends: 0,
    });
    expect(alertTimers(state)).toEqual([
      {
        id: 'alert.coordinator-assignment-1.breach.r1',
        kind: 'alert-resend',
        fireAt: '2026-11-25T01:00:00.000Z',
        alert: 'coordinator-assignment-1.breach',
      },
    ]);
  });

  it('given an escalation, then a critical alert reaches the team lead and is re-sent every 30 minutes', () => {
    const escalated = play(
      breached,
      fire('coordinator-assignment-1.escalation-1.g1'),
      SYSTEM_ACTOR,
      at('2026-11-25T06:00:00.000Z'),
    );
    const state = stateOf(escalated);
    expect(state.alerts['coordinator-assignment-1.escalation-1']).toMatchObject({
      kind: 'escalation',
      level: 1,
      severity: 'critical',
      reach: 'team-lead',
    });
    expect(alertTimers(state).map((t) => [t.id, t.fireAt])).toContainEqual([
      'alert.coordinator-assignment-1.escalation-1.r1',
      '2026-11-25T06:30:00.000Z',
    ]);
  });
});

describe('re-sending an unacknowledged alert', () => {
  it('re-sends, and climbs to the next contact after two re-sends', () => {
    given(...breached)
      .when(fire('alert.coordinator-assignment-1.breach.r1'), SYSTEM_ACTOR, at('2026-11-25T01:00:00.000Z'))
      .thenMilestones([
        event('AlertResent', {
          occurredAt: '2026-11-25T01:00:00.000Z',
          alert: 'coordinator-assignment-1.breach',
          round: 1,
          reach: 'duty-inbox',
        }),
      ]);
    const once = play(
      breached,
      fire('alert.coordinator-assignment-1.breach.r1'),
      SYSTEM_ACTOR,
      at('2026-11-25T01:00:00.000Z'),
    );
    given(...once)
      .when(fire('alert.coordinator-assignment-1.breach.r2'), SYSTEM_ACTOR, at('2026-11-25T05:00:00.000Z'))
      .thenMilestones([
        event('AlertResent', {
          occurredAt: '2026-11-25T05:00:00.000Z',
          alert: 'coordinator-assignment-1.breach',
          round: 2,
          reach: 'team-lead',
        }),
      ]);
    const twice = play(
      once,
      fire('alert.coordinator-assignment-1.breach.r2'),
      SYSTEM_ACTOR,
      at('2026-11-25T05:00:00.000Z'),
    );
    expect(alertTimers(stateOf(twice)).map((t) => [t.id, t.fireAt])).toEqual([
      ['alert.coordinator-assignment-1.breach.r3', '2026-11-25T09:00:00.000Z'],
    ]);
  });

  it('counts the next re-send from the last one: a re-send that came late is not followed by a burst of the missed rounds', () => {
    // The worker was away for a day: round 1 (due 01:00) fires at 21:00 the next evening.
    const late = play(
      breached,
      fire('alert.coordinator-assignment-1.breach.r1'),
      SYSTEM_ACTOR,
      at('2026-11-25T21:00:00.000Z'),
    );
    expect(alertTimers(stateOf(late)).map((t) => [t.id, t.fireAt])).toEqual([
      ['alert.coordinator-assignment-1.breach.r2', '2026-11-26T01:00:00.000Z'],
    ]);
  });

  it('does nothing for a re-send timer whose round is past or not yet due', () => {
    given(...breached)
      .when(fire('alert.coordinator-assignment-1.breach.r2'), SYSTEM_ACTOR, at('2026-11-25T05:00:00.000Z'))
      .thenMilestones([]);
    given(...breached)
      .when(fire('alert.coordinator-assignment-1.breach.r1'), SYSTEM_ACTOR, at('2026-11-25T00:00:00.000Z'))
      .thenMilestones([]);
  });
});

describe('acknowledge-alert', () => {
  it('given an open alert, when the owning organisation acknowledges it, then re-sending stops and the milestone ladder goes on', () => {
    given(...breached)
      .when(
        acknowledge('coordinator-assignment-1.breach', 'Vi ringer i dag.'),
        actors.aalborg,
        at('2026-11-24T22:00:00.000Z'),
      )
      .then([
        event('AlertAcknowledged', {
          occurredAt: '2026-11-24T22:00:00.000Z',
          alert: 'coordinator-assignment-1.breach',
          by: 'mia',
          organisation: 'municipality:851',
          note: 'Vi ringer i dag.',
        }),
      ]);
    const acked = play(
      breached,
      acknowledge('coordinator-assignment-1.breach'),
      actors.aalborg,
      at('2026-11-24T22:00:00.000Z'),
    );
    const state = stateOf(acked);
    expect(state.alerts['coordinator-assignment-1.breach']).toMatchObject({
      status: 'acknowledged',
      acknowledged: { by: 'mia', organisation: 'municipality:851', note: null },
    });
    expect(alertTimers(state)).toEqual([]);
    expect(pendingTimers(state, defaultPolicy()).map((t) => t.id)).toContain(
      'coordinator-assignment-1.escalation-1.g1',
    );
    expect(state.milestones['coordinator-assignment-1'].status).toBe('breached');
    // A re-send job still in Redis finds nothing to do.
    given(...acked)
      .when(fire('alert.coordinator-assignment-1.breach.r1'), SYSTEM_ACTOR, at('2026-11-25T01:00:00.000Z'))
      .thenMilestones([]);
  });

  it('lets the case coordinator acknowledge, and no other organisation', () => {
    const coordinated = [
      ...breached,
      event('CoordinatorAssigned', {
        occurredAt: BREACHED_AT,
        coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' },
        previous: null,
      }),
    ];
    given(...breached)
      .when(acknowledge('coordinator-assignment-1.breach'), actors.clinicNord)
      .thenRefused('NOT_ALERT_RECIPIENT', 'forbidden');
    given(...breached)
      .when(acknowledge('coordinator-assignment-1.breach'), actors.facilityA)
      .thenRefused('NOT_ALERT_RECIPIENT', 'forbidden');
    const otherMunicipality = { id: 'ole', role: 'coordinator' as const, organisation: 'municipality:101' };
    given(...coordinated)
      .when(acknowledge('coordinator-assignment-1.warning'), otherMunicipality)
      .thenRefused('NOT_ALERT_RECIPIENT', 'forbidden');
    expect(
      given(...coordinated).when(
        acknowledge('coordinator-assignment-1.warning'),
        actors.coordinator,
        at('2026-11-24T22:00:00.000Z'),
      ).decision.ok,
    ).toBe(true);
  });

  it('refuses an unknown alert (404), a second acknowledgement and a resolved alert', () => {
    given(...breached)
      .when(acknowledge('coordinator-assignment-1.escalation-2'), actors.aalborg)
      .thenRefused('ALERT_NOT_FOUND', 'not-found');
    const acked = play(
      breached,
      acknowledge('coordinator-assignment-1.breach'),
      actors.aalborg,
      at('2026-11-24T22:00:00.000Z'),
    );
    given(...acked)
      .when(acknowledge('coordinator-assignment-1.breach'), actors.aalborg, at('2026-11-24T22:05:00.000Z'))
      .thenRefused('ALERT_ALREADY_ACKNOWLEDGED');
    const met = play(
      breached,
      {
        type: 'assign-coordinator',
        data: { coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' } },
      },
      actors.aalborg,
      at('2026-11-24T23:00:00.000Z'),
    );
    given(...met)
      .when(acknowledge('coordinator-assignment-1.breach'), actors.aalborg, at('2026-11-24T23:05:00.000Z'))
      .thenRefused('ALERT_RESOLVED');
  });
});

describe('resolution', () => {
  it('resolves every alert of a milestone when it is met (late), acknowledged or not, and stops their re-sending', () => {
    const acked = play(
      breached,
      acknowledge('coordinator-assignment-1.warning'),
      actors.aalborg,
      at('2026-11-24T21:30:00.000Z'),
    );
    const met = play(
      acked,
      {
        type: 'assign-coordinator',
        data: { coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' } },
      },
      actors.aalborg,
      at('2026-11-24T23:00:00.000Z'),
    );
    const state = stateOf(met);
    expect(Object.values(state.alerts).map((a) => [a.id, a.status, a.resolvedAt])).toEqual([
      ['coordinator-assignment-1.warning', 'resolved', '2026-11-24T23:00:00.000Z'],
      ['coordinator-assignment-1.breach', 'resolved', '2026-11-24T23:00:00.000Z'],
    ]);
    expect(alertTimers(state)).toEqual([]);
  });

  it("resolves the alerts of a waived milestone, and leaves other milestones' alerts open", () => {
    const waived = play(
      breached,
      { type: 'waive-milestone', data: { milestone: 'coordinator-assignment-1', reason: 'moved abroad' } },
      actors.aalborg,
      at('2026-11-24T23:00:00.000Z'),
    );
    expect(stateOf(waived).alerts['coordinator-assignment-1.breach'].status).toBe('resolved');
    const notificationWarned = play(
      registeredCase,
      fire('municipality-notification-1.warning.g1'),
      SYSTEM_ACTOR,
      at('2026-11-24T03:00:00.000Z'),
    );
    const otherMet = play(
      notificationWarned,
      {
        type: 'assign-coordinator',
        data: { coordinator: { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' } },
      },
      actors.aalborg,
      at('2026-11-24T04:00:00.000Z'),
    );
    expect(stateOf(otherMet).alerts['municipality-notification-1.warning']).toMatchObject({
      status: 'open',
      owner: 'gp:hansen',
    });
  });
});
