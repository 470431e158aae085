import {
  clinicForMunicipality,
  findMunicipality,
  findOrganisation,
  municipalityOrganisation,
} from '../../reference/organisations';
import { addDays } from '../../time/dates';
import { TERM_DAYS } from '../../time/gestation';
import type { DecisionContext } from '../actor';
import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { refuse } from '../domain-error';
import type { OpenCase } from '../case.state';
import {
  acknowledgePending,
  actingForCaseClinic,
  checkDueDate,
  nextHandoffId,
  noted,
  stillPregnant,
  type CaseContext,
} from './guards';

export function registerConcern(
  data: CaseCommandData['register-concern'],
  ctx: DecisionContext & { at: string },
): CaseEvent[] {
  if (!findMunicipality(data.municipality))
    refuse('UNKNOWN_MUNICIPALITY', `no municipality has the code ${data.municipality}`);
  checkDueDate(data.estimatedDueDate, ctx.now);
  const conception = `${addDays(data.estimatedDueDate, -TERM_DAYS)}T00:00:00Z`;
  if (Date.parse(ctx.at) < Date.parse(conception))
    refuse('OCCURRED_BEFORE_PREGNANCY', 'the concern cannot have been detected before the pregnancy began');
  const registeredBy = ctx.actor.organisation;
  const events: CaseEvent[] = [
    event('ConcernRegistered', {
      occurredAt: ctx.at,
      caseId: data.caseId,
      reference: data.reference,
      registeredBy,
      referrer: data.referrer,
      municipality: data.municipality,
      estimatedDueDate: data.estimatedDueDate,
      substances: [...new Set(data.substances)],
      cprRecorded: data.cprRecorded,
      ...(data.nameRecorded === true && { nameRecorded: true }),
      policy: { name: ctx.policies.active.name, version: ctx.policies.active.version },
      ...(data.note !== undefined && { note: data.note }),
    }),
  ];
  // A municipality that registers a concern has received it: its clock to assess starts now.
  if (registeredBy === municipalityOrganisation(data.municipality)) {
    events.push(
      event('MunicipalityNotified', {
        occurredAt: ctx.at,
        notificationId: 'notification-1',
        municipality: data.municipality,
        byProfessional: false,
        handoffId: null,
      }),
    );
  }
  return events;
}

export function referToClinic(
  state: OpenCase,
  data: CaseCommandData['refer-to-clinic'],
  ctx: CaseContext,
): CaseEvent[] {
  const clinic = data.clinic ?? clinicForMunicipality(state.municipality);
  if (!clinic || findOrganisation(clinic)?.kind !== 'clinic')
    refuse('UNKNOWN_CLINIC', `${clinic} is not a family outpatient clinic`);
  if (state.clinic === clinic) refuse('ALREADY_REFERRED_TO_CLINIC', `the case is already with ${clinic}`);
  return [event('ClinicReferralMade', { occurredAt: ctx.at, clinic, handoffId: nextHandoffId(state), ...noted(data) })];
}

export function acknowledgeHandoff(
  state: OpenCase,
  data: CaseCommandData['acknowledge-handoff'],
  ctx: CaseContext,
): CaseEvent[] {
  const handoff = state.handoffs.find((h) => h.id === data.handoffId);
  if (!handoff) refuse('HANDOFF_NOT_FOUND', `the case has no hand-off ${data.handoffId}`);
  if (handoff.to !== ctx.actor.organisation)
    refuse('NOT_HANDOFF_RECIPIENT', `only ${handoff.to} may acknowledge this hand-off`, 'forbidden');
  if (handoff.acknowledgedAt)
    refuse('HANDOFF_ALREADY_ACKNOWLEDGED', `${handoff.id} was acknowledged at ${handoff.acknowledgedAt}`);
  return [
    event('HandoffAcknowledged', {
      occurredAt: ctx.at,
      handoffId: handoff.id,
      organisation: ctx.actor.organisation,
      ...noted(data),
    }),
  ];
}

export function recordClinicVisit(
  state: OpenCase,
  data: CaseCommandData['record-clinic-visit'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForCaseClinic(state, ctx);
  return [
    ...acknowledgePending(state, ctx.actor.organisation, ctx.at, 'clinic-referral'),
    event('ClinicVisitRecorded', { occurredAt: ctx.at, visitNumber: state.clinicVisits + 1, ...noted(data) }),
  ];
}

export function updateDueDate(
  state: OpenCase,
  data: CaseCommandData['update-due-date'],
  ctx: CaseContext,
): CaseEvent[] {
  stillPregnant(state);
  checkDueDate(data.estimatedDueDate, ctx.now);
  if (data.estimatedDueDate === state.estimatedDueDate)
    refuse('DUE_DATE_UNCHANGED', `the estimated due date is already ${state.estimatedDueDate}`);
  return [
    event('DueDateUpdated', {
      occurredAt: ctx.at,
      estimatedDueDate: data.estimatedDueDate,
      previous: state.estimatedDueDate,
      ...noted(data),
    }),
  ];
}
