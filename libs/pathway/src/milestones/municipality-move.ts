import type { CaseEvent, EventOf } from '../case/case.events';
import { event } from '../case/case.events';
import type { OpenCase } from '../case/case.state';
import type { MilestoneRule, Policy } from '../policy/policy';
import { municipalityOrganisation } from '../reference/organisations';
import { isActive } from './milestone';

/**
 * What a move of the responsible municipality does to the milestones (domain.md, the path: the old
 * municipality must notify the new one): every active obligation the old municipality owns moves to
 * the new one with its due time kept (MilestoneReassigned, which also re-addresses its open alerts),
 * decided from the MunicipalityTransferred fact on the state before the move's own milestones open.
 * The move-handover the old municipality keeps opens after this, so it never moves.
 */
export function reassignedByMove(state: OpenCase, fact: EventOf<'MunicipalityTransferred'>): CaseEvent[] {
  const from = municipalityOrganisation(fact.data.from);
  const to = municipalityOrganisation(fact.data.to);
  return Object.values(state.milestones)
    .filter((m) => isActive(m) && m.owner === from)
    .map((m) =>
      event('MilestoneReassigned', {
        occurredAt: fact.data.occurredAt,
        milestone: m.id,
        from,
        to,
        reason: 'municipality-transferred',
      }),
    );
}

/**
 * The rules that reopen when the case's coordinator works for the municipality the case left: those
 * met by assigning a coordinator (coordinator-assignment), so that the new municipality assigns one
 * of its own. None when the coordinator works elsewhere (a clinic), there is none yet, or such an
 * obligation is still active.
 */
export function reopenedByMove(
  state: OpenCase,
  fact: EventOf<'MunicipalityTransferred'>,
  policy: Policy,
): MilestoneRule[] {
  if (state.coordinator?.organisation !== municipalityOrganisation(fact.data.from)) return [];
  return policy.milestones.filter(
    (rule) =>
      rule.metBy.includes('coordinator-assigned') &&
      !Object.values(state.milestones).some((m) => m.rule === rule.id && isActive(m)),
  );
}
