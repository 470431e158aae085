import { municipalityOrganisation } from '../../reference/organisations';
import { gestationalAge, TERM_DAYS } from '../../time/gestation';
import type { DecisionContext } from '../actor';
import { refuse } from '../domain-error';
import type { OpenCase } from '../case.state';

/** Context of a decision on an existing case: `at` is when the fact happened (now, or backdated). */
export interface CaseContext extends DecisionContext {
  at: string;
}

/** How far past the due date a due date may lie: a pregnancy is not expected to run longer. */
const MAX_DAYS_OVERDUE = 28;

export function checkDueDate(estimatedDueDate: string, now: Date): void {
  const days = gestationalAge(estimatedDueDate, now).days;
  if (days < 0 || days > TERM_DAYS + MAX_DAYS_OVERDUE) {
    refuse(
      'DUE_DATE_OUT_OF_RANGE',
      `the estimated due date must lie between today and ${MAX_DAYS_OVERDUE} days ago plus 40 weeks ahead`,
    );
  }
}

/**
 * A municipal decision. A municipality actor must act for the responsible municipality; a
 * coordinator must be the case's coordinator or work for the responsible municipality.
 */
export function actingForResponsibleMunicipality(state: OpenCase, ctx: DecisionContext): void {
  const { role, organisation, id } = ctx.actor;
  const responsible = organisation === municipalityOrganisation(state.municipality);
  if (role === 'municipality' && !responsible) {
    refuse(
      'NOT_RESPONSIBLE_MUNICIPALITY',
      `only the responsible municipality (${state.municipality}) may do this`,
      'forbidden',
    );
  }
  if (role === 'coordinator' && !responsible && state.coordinator?.id !== id) {
    refuse(
      'NOT_RESPONSIBLE_MUNICIPALITY',
      `only the case's coordinator or the responsible municipality (${state.municipality}) may do this`,
      'forbidden',
    );
  }
}

export function actingForCaseClinic(state: OpenCase, ctx: DecisionContext): void {
  if (!state.clinic) refuse('NOT_REFERRED_TO_CLINIC', 'the case has not been referred to a family outpatient clinic');
  if (ctx.actor.organisation !== state.clinic)
    refuse('NOT_CASE_CLINIC', `only the case's clinic (${state.clinic}) may do this`, 'forbidden');
}

export function actingForFacility(facility: string, ctx: DecisionContext): void {
  if (ctx.actor.organisation !== facility)
    refuse('NOT_CASE_FACILITY', `only the residential facility ${facility} may do this`, 'forbidden');
}

export function stillPregnant(state: OpenCase): void {
  if (state.birthAt) refuse('BIRTH_ALREADY_RECORDED', 'the birth has already been recorded');
  if (state.pregnancyEnded) refuse('PREGNANCY_ENDED', 'the pregnancy has ended');
}

/** Events that close a pending hand-off to `organisation` of the given kind, if there is one. */
export function acknowledgePending(state: OpenCase, organisation: string, at: string, kind?: string) {
  return state.handoffs
    .filter((h) => !h.acknowledgedAt && h.to === organisation && (!kind || h.kind === kind))
    .map((h) => ({ type: 'HandoffAcknowledged' as const, data: { occurredAt: at, handoffId: h.id, organisation } }));
}

export function nextHandoffId(state: OpenCase): string {
  return `handoff-${state.handoffs.length + 1}`;
}

/** Copies the optional note onto an event without writing `note: undefined`. */
export function noted(data: { note?: string }): { note?: string } {
  return data.note === undefined ? {} : { note: data.note };
}

/** The owning organisation acts on its milestone or alert; so does the case's own coordinator. */
export function actingAsOwnerOrCoordinator(state: OpenCase, owner: string, ctx: DecisionContext): boolean {
  return (
    ctx.actor.organisation === owner || (ctx.actor.role === 'coordinator' && state.coordinator?.id === ctx.actor.id)
  );
}
