import { evolve, initialState, type CaseEvent, type CaseState, type OpenCase } from '@app/pathway';

export interface CaseStep {
  event: CaseEvent;
  /** The state before the event (none before the concern was registered). */
  prev: CaseState;
  /** The state after it: where the case stood when the event happened (its municipality, its clinic). */
  next: OpenCase;
}

/**
 * The events just appended, each with the state before and after it, folded from `before` (from
 * the start of the stream when rebuilding, where `events` is the whole stream). Projections that
 * record what held at the moment of an event (a municipality since moved away from) read these.
 */
export function caseSteps(events: readonly CaseEvent[], before: CaseState | undefined): CaseStep[] {
  let state = before ?? initialState;
  if (state.status === 'none' && events[0]?.type !== 'ConcernRegistered') {
    throw new Error('caseSteps needs the state before the events, or the stream from its first event');
  }
  return events.map((event) => {
    const prev = state;
    state = evolve(state, event);
    return { event, prev, next: state as OpenCase };
  });
}
