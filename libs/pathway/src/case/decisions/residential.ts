import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { refuse } from '../domain-error';
import { admissionCapacity, placeableFacility } from './facility-capacity';
import type { OpenCase } from '../case.state';
import {
  acknowledgePending,
  actingForFacility,
  actingForResponsibleMunicipality,
  nextHandoffId,
  noted,
  stillPregnant,
  type CaseContext,
} from './guards';

export function requestResidentialPlacement(
  state: OpenCase,
  data: CaseCommandData['request-residential-placement'],
  ctx: CaseContext,
): CaseEvent[] {
  if (state.admission) refuse('ALREADY_ADMITTED', `she is admitted to ${state.admission.facility}`);
  if (state.placement?.status === 'requested')
    refuse(
      'PLACEMENT_ALREADY_REQUESTED',
      `a placement was requested at ${state.placement.requestedAt} and awaits a decision`,
    );
  if (state.placement?.status === 'granted')
    refuse('PLACEMENT_ALREADY_GRANTED', `a placement at ${state.placement.facility} is granted and awaits admission`);
  return [event('ResidentialPlacementRequested', { occurredAt: ctx.at, ...noted(data) })];
}

export function decideResidentialPlacement(
  state: OpenCase,
  data: CaseCommandData['decide-residential-placement'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  if (state.placement?.status !== 'requested')
    refuse('NO_PLACEMENT_REQUESTED', 'no residential placement is waiting for a decision');
  if (data.decision === 'refused')
    return [event('ResidentialPlacementRefused', { occurredAt: ctx.at, ...noted(data) })];
  if (!data.facility) refuse('FACILITY_REQUIRED', 'a granted placement names the facility');
  placeableFacility(data.facility, ctx);
  return [
    event('ResidentialPlacementGranted', {
      occurredAt: ctx.at,
      facility: data.facility,
      handoffId: nextHandoffId(state),
      ...noted(data),
    }),
  ];
}

export function recordConsent(state: OpenCase, data: CaseCommandData['record-consent'], ctx: CaseContext): CaseEvent[] {
  const current = state.consent[data.scope];
  if (data.status === 'given') {
    if (current === 'given') refuse('CONSENT_ALREADY_GIVEN', `consent to ${data.scope} is already given`);
    return [event('ConsentGiven', { occurredAt: ctx.at, scope: data.scope, ...noted(data) })];
  }
  if (current !== 'given') refuse('CONSENT_NOT_GIVEN', `consent to ${data.scope} has not been given`);
  return [event('ConsentWithdrawn', { occurredAt: ctx.at, scope: data.scope, ...noted(data) })];
}

function activeContract(state: OpenCase): boolean {
  return state.retentionContract?.status === 'signed' && !state.retentionContract.endedAt;
}

/** A retention contract can only be offered; signing it is her consent to retention. */
export function offerRetentionContract(
  state: OpenCase,
  data: CaseCommandData['offer-retention-contract'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  stillPregnant(state);
  if (state.placement?.status !== 'granted' && !state.admission)
    refuse('PLACEMENT_NOT_GRANTED', 'a retention contract is offered with a granted residential placement');
  if (activeContract(state))
    refuse('RETENTION_CONTRACT_ACTIVE', `a retention contract was signed at ${state.retentionContract?.offeredAt}`);
  const consent: CaseEvent[] =
    data.outcome === 'signed' && state.consent['retention-contract'] !== 'given'
      ? [event('ConsentGiven', { occurredAt: ctx.at, scope: 'retention-contract' })]
      : [];
  return [...consent, event('RetentionContractOffered', { occurredAt: ctx.at, outcome: data.outcome, ...noted(data) })];
}

export function admitToResidential(
  state: OpenCase,
  data: CaseCommandData['admit-to-residential'],
  ctx: CaseContext,
): CaseEvent[] {
  if (state.admission) refuse('ALREADY_ADMITTED', `she is admitted to ${state.admission.facility}`);
  if (state.placement?.status !== 'granted' || !state.placement.facility)
    refuse('PLACEMENT_NOT_GRANTED', 'admission needs a granted residential placement');
  const facility = state.placement.facility;
  actingForFacility(facility, ctx);
  if (state.consent.residential !== 'given')
    refuse('CONSENT_REQUIRED', 'admission needs her consent to residential treatment');
  const capacity = admissionCapacity(facility, data.overCapacityReason, ctx);
  return [
    ...acknowledgePending(state, facility, ctx.at, 'residential-placement'),
    event('AdmittedToResidential', { occurredAt: ctx.at, facility, ...capacity, ...noted(data) }),
  ];
}

export function startRetentionEpisode(
  state: OpenCase,
  data: CaseCommandData['start-retention-episode'],
  ctx: CaseContext,
): CaseEvent[] {
  if (!state.admission) refuse('NOT_ADMITTED', 'retention happens during a residential admission');
  actingForFacility(state.admission.facility, ctx);
  stillPregnant(state);
  if (!activeContract(state))
    refuse('RETENTION_CONTRACT_REQUIRED', 'a retention episode needs a signed retention contract');
  if (state.retentionEpisode)
    refuse(
      'RETENTION_EPISODE_ACTIVE',
      `episode ${state.retentionEpisode.number} started at ${state.retentionEpisode.startedAt}`,
    );
  return [
    event('RetentionEpisodeStarted', { occurredAt: ctx.at, episode: state.retentionEpisodes + 1, ...noted(data) }),
  ];
}

export function endRetentionEpisode(
  state: OpenCase,
  data: CaseCommandData['end-retention-episode'],
  ctx: CaseContext,
): CaseEvent[] {
  if (!state.retentionEpisode) refuse('NO_RETENTION_EPISODE', 'no retention episode is running');
  if (state.admission) actingForFacility(state.admission.facility, ctx);
  return [
    event('RetentionEpisodeEnded', {
      occurredAt: ctx.at,
      episode: state.retentionEpisode.number,
      reason: 'ended',
      ...noted(data),
    }),
  ];
}

export function dischargeFromResidential(
  state: OpenCase,
  data: CaseCommandData['discharge-from-residential'],
  ctx: CaseContext,
): CaseEvent[] {
  if (!state.admission) refuse('NOT_ADMITTED', 'she is not admitted');
  actingForFacility(state.admission.facility, ctx);
  if (state.retentionEpisode) refuse('RETENTION_EPISODE_ACTIVE', 'end the retention episode before discharge');
  return [
    event('DischargedFromResidential', { occurredAt: ctx.at, facility: state.admission.facility, ...noted(data) }),
  ];
}

/**
 * The facility ends her retention contract before the pregnancy does (it is no longer needed, or
 * its total time runs out): the retention-total clock is met. A running episode is ended first. A
 * discharge does not end it (domain.md: it ends at the birth); she may be admitted again under it.
 */
export function endRetentionContract(
  state: OpenCase,
  data: CaseCommandData['end-retention-contract'],
  ctx: CaseContext,
): CaseEvent[] {
  if (!activeContract(state)) refuse('NO_RETENTION_CONTRACT', 'no signed retention contract is running');
  // Her facility, also after a discharge (a contract is offered with a granted placement).
  const facility = state.admission?.facility ?? state.placement?.facility;
  if (facility) actingForFacility(facility, ctx);
  if (state.retentionEpisode) refuse('RETENTION_EPISODE_ACTIVE', 'end the retention episode before the contract');
  return [event('RetentionContractEnded', { occurredAt: ctx.at, reason: 'ended', ...noted(data) })];
}

/** The retention episode and contract end with the pregnancy (at birth or when it ends otherwise). */
export function endRetention(
  state: OpenCase,
  at: string,
  reason: 'birth' | 'pregnancy-ended' | 'case-closed',
): CaseEvent[] {
  const events: CaseEvent[] = [];
  if (state.retentionEpisode && reason !== 'case-closed') {
    events.push(event('RetentionEpisodeEnded', { occurredAt: at, episode: state.retentionEpisode.number, reason }));
  }
  if (activeContract(state)) events.push(event('RetentionContractEnded', { occurredAt: at, reason }));
  return events;
}
