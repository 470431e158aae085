import { withMilestoneEvents } from '../../milestones/engine';
import { findOrganisation } from '../../reference/organisations';
import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { refuse } from '../domain-error';
import { fold, type OpenCase } from '../case.state';
import { actingForResponsibleMunicipality, noted, type CaseContext } from './guards';
import { closingLeavesNoLegalDuty } from './course-limits';
import { pausesForLostContact, resumesForContactRestored } from './lost-contact';
import { endRetention } from './residential';

export function assignCoordinator(
  state: OpenCase,
  data: CaseCommandData['assign-coordinator'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  const kind = findOrganisation(data.coordinator.organisation)?.kind;
  if (kind !== 'municipality' && kind !== 'clinic') {
    refuse(
      'UNKNOWN_ORGANISATION',
      `${data.coordinator.organisation} is not a municipality or clinic that can employ a coordinator`,
    );
  }
  // A person id is the person; the same person may be assigned again for another organisation
  // (she changed employer, or the case moved to her new municipality).
  const current = state.coordinator;
  if (current?.id === data.coordinator.id && current.organisation === data.coordinator.organisation)
    refuse('COORDINATOR_ALREADY_ASSIGNED', `${data.coordinator.id} already coordinates the case`);
  return [
    event('CoordinatorAssigned', {
      occurredAt: ctx.at,
      coordinator: data.coordinator,
      previous: state.coordinator,
      ...noted(data),
    }),
  ];
}

export function recordNetworkMeeting(
  state: OpenCase,
  data: CaseCommandData['record-network-meeting'],
  ctx: CaseContext,
): CaseEvent[] {
  return [
    event('NetworkMeetingRecorded', {
      occurredAt: ctx.at,
      meetingNumber: state.networkMeetings + 1,
      participants: [...new Set(data.participants ?? [ctx.actor.organisation])],
      ...noted(data),
    }),
  ];
}

export function recordLostContact(
  state: OpenCase,
  data: CaseCommandData['record-lost-contact'],
  ctx: CaseContext,
): CaseEvent[] {
  if (state.contactLostSince) refuse('CONTACT_ALREADY_LOST', `contact has been lost since ${state.contactLostSince}`);
  return [event('ContactLost', { occurredAt: ctx.at, ...noted(data) }), ...pausesForLostContact(state, ctx)];
}

export function recordContactRestored(
  state: OpenCase,
  data: CaseCommandData['record-contact-restored'],
  ctx: CaseContext,
): CaseEvent[] {
  if (!state.contactLostSince) refuse('CONTACT_NOT_LOST', 'contact has not been recorded as lost');
  return [event('ContactRestored', { occurredAt: ctx.at, ...noted(data) }), ...resumesForContactRestored(state, ctx)];
}

/** Her name recorded or corrected: the event says only that (the name is kept outside the events). */
export function recordName(_state: OpenCase, data: CaseCommandData['record-name'], ctx: CaseContext): CaseEvent[] {
  return [event('NameRecorded', { occurredAt: ctx.at, ...noted(data) })];
}

export function closeCase(state: OpenCase, data: CaseCommandData['close-case'], ctx: CaseContext): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  if (state.admission) refuse('ADMISSION_ACTIVE', `she is admitted to ${state.admission.facility}: discharge first`);
  // Closing ends a retention contract, which meets its legal duty (retention-total): judge after that.
  const ending = endRetention(state, ctx.at, 'case-closed');
  closingLeavesNoLegalDuty(fold(withMilestoneEvents(state, ending, ctx), state) as OpenCase, data, ctx);
  // A closed case has no timers, so a former municipality's access would never end: it ends with the close.
  const accessEnded = state.formerMunicipalityAccess.map(({ municipality }) =>
    event('FormerMunicipalityAccessEnded', { occurredAt: ctx.at, municipality }),
  );
  return [...ending, ...accessEnded, event('CaseClosed', { occurredAt: ctx.at, reason: data.reason, ...noted(data) })];
}
