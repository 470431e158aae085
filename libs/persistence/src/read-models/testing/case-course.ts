import {
  decide,
  fold,
  pendingTimers,
  policyOf,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
} from '@app/pathway';
import {
  NOW,
  POLICIES,
  SYSTEM_ACTOR,
  actors,
  registered,
  withMilestones,
} from '../../../../pathway/src/case/testing/given-when-then';
import type { AppendRequest, EventMetadata } from '../../event-store/event-store';

/** The append of one step of a course, as the engine would send it (metadata overridable). */
export function appendRequest(step: Append, metadata: Partial<EventMetadata> = {}): AppendRequest {
  return {
    streamId: step.after.id,
    expectedVersion: step.before.version,
    events: step.events,
    recordedAt: step.at,
    before: step.before,
    state: step.after,
    outbox: [],
    metadata: {
      actorId: 'test',
      actorRole: 'system',
      organisation: 'pathway:engine',
      correlationId: 'c',
      causationId: 'c',
      idempotencyKey: null,
      ...metadata,
    },
  };
}

/** One append as the CaseWriter makes it: the events decided on `before`, and `after` folded from it. */
export interface Append {
  label: string;
  /** The stream before the append. */
  history: CaseEvent[];
  before: CaseState;
  events: CaseEvent[];
  after: OpenCase;
  at: Date;
}

type Step =
  | { at: string; actor: Actor; command: CaseCommand }
  /** The earliest pending timer fires (a ladder step, an alert re-sent). */
  | 'timer'
  /** The first open alert is acknowledged by its owner. */
  | 'acknowledge';

const alice = { id: 'alice', name: 'Alice Holm', organisation: 'municipality:851' };

/**
 * A case from registration to its close, with timers going off between the facts: milestones open,
 * warn, breach and escalate, alerts are raised, re-sent, acknowledged and resolved, the clinic and a
 * coordinator join, the due date moves, a milestone is paused and resumed, the woman moves to Aarhus.
 */
const STEPS: Step[] = [
  'timer',
  'timer',
  'timer',
  'acknowledge',
  'timer',
  {
    at: '2026-11-25T08:00:00.000Z',
    actor: actors.gp,
    command: { type: 'refer-to-clinic', data: { clinic: 'clinic:1081' } },
  },
  'timer',
  {
    at: '2026-11-25T09:00:00.000Z',
    actor: actors.aalborg,
    command: { type: 'assign-coordinator', data: { coordinator: alice } },
  },
  {
    at: '2026-11-25T10:00:00.000Z',
    actor: actors.gp,
    command: { type: 'notify-municipality', data: { byProfessional: true } },
  },
  {
    at: '2026-11-25T11:00:00.000Z',
    actor: actors.clinicNord,
    command: { type: 'update-due-date', data: { estimatedDueDate: '2027-02-15' } },
  },
  'timer',
  'acknowledge',
  {
    at: '2026-11-26T09:00:00.000Z',
    actor: actors.aalborg,
    command: { type: 'transfer-municipality', data: { toMunicipality: '751' } },
  },
  'timer',
  'timer',
  {
    at: '2026-11-27T09:00:00.000Z',
    actor: actors.aarhus,
    // She moved abroad: the open legal duties (the notification's assessment and receipt, the move's
    // handover) are moot, so the case may close over them (LEGAL_DUTY_OPEN otherwise).
    command: { type: 'close-case', data: { reason: 'moved-abroad' } },
  },
];

export function caseCourse(): Append[] {
  const first = withMilestones(registered());
  const appends: Append[] = [
    {
      label: 'register-concern',
      history: [],
      before: fold([]),
      events: first,
      after: fold(first) as OpenCase,
      at: NOW,
    },
  ];
  for (const step of STEPS) {
    const previous = appends[appends.length - 1];
    const before = previous.after;
    const last = previous.at;
    const { at, actor, command } = resolve(step, before, last);
    const decision = decide(before, command, { actor, now: at, policies: POLICIES });
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code} ${decision.error.message}`);
    appends.push({
      label: command.type === 'fire-timer' ? `fire-timer ${command.data.timer}` : command.type,
      history: [...previous.history, ...previous.events],
      before,
      events: decision.events,
      after: fold(decision.events, before) as OpenCase,
      at,
    });
  }
  return appends;
}

function resolve(step: Step, state: OpenCase, last: Date): { at: Date; actor: Actor; command: CaseCommand } {
  if (step === 'timer') {
    const [next] = [...pendingTimers(state, policyOf(state, POLICIES))].sort((a, b) =>
      a.fireAt.localeCompare(b.fireAt),
    );
    if (!next) throw new Error('no timer pending');
    const at = new Date(Math.max(last.getTime(), Date.parse(next.fireAt)));
    return { at, actor: SYSTEM_ACTOR, command: { type: 'fire-timer', data: { timer: next.id } } };
  }
  if (step === 'acknowledge') {
    const alert = Object.values(state.alerts).find((a) => a.status === 'open');
    const actor = Object.values(actors).find((a) => a.organisation === alert?.owner && a.role !== 'auditor');
    if (!alert || !actor) throw new Error('no open alert with an owner to acknowledge it');
    return {
      at: new Date(last.getTime() + 60_000),
      actor,
      command: { type: 'acknowledge-alert', data: { alert: alert.id } },
    };
  }
  return { at: new Date(step.at), actor: step.actor, command: step.command };
}

type Row = Record<string, unknown>;

/**
 * What an append must write, worked out without the projection's own shortcut: the rows a rebuild
 * (the whole stream, no state before) writes after the append that differ from, or are missing in,
 * those it writes before it, matched by `key`.
 */
export function changedRows(
  rows: (state: OpenCase, events: readonly CaseEvent[], at: Date) => Row[],
  key: string,
  { history, before, after, events, at }: Append,
): Row[] {
  const was = new Map(
    before.status === 'none' ? [] : rows(before, history, at).map((r) => [r[key], JSON.stringify(r)] as const),
  );
  return rows(after, [...history, ...events], at).filter((r) => was.get(r[key]) !== JSON.stringify(r));
}
