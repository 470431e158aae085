import { evolve, initialState, type CaseEvent, type CaseState, type OpenCase } from '@app/pathway';

export interface CaseStep {
  event: CaseEvent;
  /** Where the case stood when the event happened: its municipality then, its clinic, its milestones. */
  state: OpenCase;
}

/**
 * The events just appended (the whole stream when rebuilding), each with the case as it stood when
 * it happened, for projections that record what held at that moment. Only a move changes what they
 * read before the end of an append, so the state after the events serves unless one is among them;
 * then the events are folded again from `before` (from the start of the stream when rebuilding).
 */
export function caseSteps(events: readonly CaseEvent[], before: CaseState | undefined, after: OpenCase): CaseStep[] {
  if (!events.some((e) => e.type === 'MunicipalityTransferred'))
    return events.map((event) => ({ event, state: after }));
  let state = before ?? initialState;
  if (state.status === 'none' && events[0]?.type !== 'ConcernRegistered') {
    throw new Error('caseSteps needs the state before the events, or the stream from its first event');
  }
  return events.map((event) => {
    state = evolve(state, event);
    return { event, state: state as OpenCase };
  });
}
