import type { Principal } from '@app/auth';
import {
  MILESTONE_EVENT_TYPES,
  summarise,
  viewAt,
  type CaseEvent,
  type CaseView,
  type OpenCase,
  type PolicyRegistry,
} from '@app/pathway';
import type { CaseDisclosure } from './disclosure';

/**
 * The answer to a command: the case's new version (facts only), the facts appended with their
 * versions, the milestone events they caused, and (when asked for) the case after them.
 */
export interface CommandResponse {
  version: number;
  events: { version: number; type: CaseEvent['type'] }[];
  milestoneEvents: { type: CaseEvent['type']; milestone: string | null }[];
  /** The case as the caller's part in it discloses it (CaseDisclosure); never a CPR number. */
  case?: Partial<CaseView>;
}

/** Who the case in an answer is shown to. */
export interface CaseViewer {
  principal: Principal;
  disclosure: CaseDisclosure;
}

export function commandResponse(
  state: OpenCase,
  events: readonly CaseEvent[],
  now: Date,
  policies: PolicyRegistry,
  withCase: CaseViewer | null,
): CommandResponse {
  const facts = events.filter((e) => !MILESTONE_EVENT_TYPES.has(e.type));
  return {
    version: state.factVersion,
    events: facts.map((e, i) => ({ version: state.factVersion - facts.length + i + 1, type: e.type })),
    milestoneEvents: events
      .filter((e) => MILESTONE_EVENT_TYPES.has(e.type))
      .map((e) => ({ type: e.type, milestone: (e.data as { milestone?: string }).milestone ?? null })),
    ...(withCase && { case: caseFor(withCase, state, now, policies) }),
  };
}

function caseFor({ principal, disclosure }: CaseViewer, state: OpenCase, now: Date, policies: PolicyRegistry) {
  const summary = summarise(state);
  return disclosure.caseView(disclosure.of(principal, summary), viewAt(summary, now, policies));
}
