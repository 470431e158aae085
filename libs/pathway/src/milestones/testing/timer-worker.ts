/**
 * The timer worker as the specs play it: fires a case's pending timers at their time, the way the
 * deadline processor sends fire-timer. Used by the specs only.
 */
import type { Actor } from '../../case/actor';
import type { CaseEvent } from '../../case/case.events';
import { fold, type OpenCase } from '../../case/case.state';
import { decide } from '../../case/decide';
import type { PolicyRegistry } from '../../policy/policy';
import { policyOf } from '../engine';
import { pendingTimers, type Timer } from '../timers';

const ENGINE: Actor = { id: 'engine', role: 'system', organisation: 'pathway:engine' };

/** When the last event of a history happened: a timer cannot fire before it. */
function lastAt(history: readonly CaseEvent[]): number {
  return Math.max(...history.map((e) => Date.parse(e.data.occurredAt)));
}

/** The events a timer decides when it fires at `now` (fails on a refusal). */
export function fireAt(history: readonly CaseEvent[], timer: string, now: Date, policies: PolicyRegistry): CaseEvent[] {
  const decision = decide(fold(history), { type: 'fire-timer', data: { timer } }, { actor: ENGINE, now, policies });
  if (!decision.ok) throw new Error(`fire-timer ${timer}: ${decision.error.code} ${decision.error.message}`);
  return decision.events;
}

/** The case's pending timers. */
export function timersOf(history: readonly CaseEvent[], policies: PolicyRegistry): Timer[] {
  const state = fold(history);
  return state.status === 'open' ? pendingTimers(state, policyOf(state as OpenCase, policies)) : [];
}

/**
 * `history` with every ladder, resume and birth-imminent timer due by `until` fired at its time (or
 * right after the last event, if that came later), earliest first, until none is due. Alert
 * re-sends are left out: they change no milestone.
 */
export function runTimersUntil(history: readonly CaseEvent[], until: Date, policies: PolicyRegistry): CaseEvent[] {
  let h = [...history];
  for (let round = 0; round < 1_000; round++) {
    const due = timersOf(h, policies)
      .filter((t) => t.kind !== 'alert-resend' && Date.parse(t.fireAt) <= until.getTime())
      .sort((a, b) => Date.parse(a.fireAt) - Date.parse(b.fireAt))[0];
    if (!due) return h;
    const events = fireAt(h, due.id, new Date(Math.max(Date.parse(due.fireAt), lastAt(h))), policies);
    if (events.length === 0) throw new Error(`timer ${due.id} fired into nothing`);
    h = [...h, ...events];
  }
  throw new Error('the timers keep firing');
}

/**
 * For a history: each pending timer, fired at its time (or right after the last event), decides
 * something, and is no longer pending afterwards. A timer that fires into nothing would be
 * rescheduled by the reconciler forever (its pending_timers row is never removed).
 */
export function timersThatFireIntoNothing(history: readonly CaseEvent[], policies: PolicyRegistry): string[] {
  const idle: string[] = [];
  for (const t of timersOf(history, policies)) {
    const events = fireAt(history, t.id, new Date(Math.max(Date.parse(t.fireAt), lastAt(history))), policies);
    const after = timersOf([...history, ...events], policies);
    if (events.length === 0 || after.some((a) => a.id === t.id)) idle.push(t.id);
  }
  return idle;
}
