import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { refuse } from '../domain-error';
import type { OpenCase } from '../case.state';
import { actingForResponsibleMunicipality, noted, stillPregnant, type CaseContext } from './guards';
import { birthIsPlausible } from './course-limits';
import { endRetention } from './residential';

export function recordBirth(state: OpenCase, data: CaseCommandData['record-birth'], ctx: CaseContext): CaseEvent[] {
  stillPregnant(state);
  birthIsPlausible(state, ctx);
  return [event('BirthRecorded', { occurredAt: ctx.at, ...noted(data) }), ...endRetention(state, ctx.at, 'birth')];
}

export function recordPregnancyEnded(
  state: OpenCase,
  data: CaseCommandData['record-pregnancy-ended'],
  ctx: CaseContext,
): CaseEvent[] {
  if (state.pregnancyEnded)
    refuse('PREGNANCY_ALREADY_ENDED', `the pregnancy ended at ${state.pregnancyEnded.occurredAt}`);
  stillPregnant(state);
  return [
    event('PregnancyEnded', { occurredAt: ctx.at, reason: data.reason, ...noted(data) }),
    ...endRetention(state, ctx.at, 'pregnancy-ended'),
  ];
}

export function recordPostBirthPlan(
  _state: OpenCase,
  data: CaseCommandData['record-post-birth-plan'],
  ctx: CaseContext,
): CaseEvent[] {
  return [event('PostBirthPlanRecorded', { occurredAt: ctx.at, ...noted(data) })];
}

export function recordHealthVisitorVisit(
  state: OpenCase,
  data: CaseCommandData['record-health-visitor-visit'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  if (!state.birthAt) refuse('BIRTH_NOT_RECORDED', 'health-visitor visits follow the birth');
  return [
    event('HealthVisitorVisitRecorded', {
      occurredAt: ctx.at,
      visitNumber: state.healthVisitorVisits + 1,
      ...noted(data),
    }),
  ];
}

export function recordPostpartumCheck(
  state: OpenCase,
  data: CaseCommandData['record-postpartum-check'],
  ctx: CaseContext,
): CaseEvent[] {
  if (!state.birthAt && !state.pregnancyEnded)
    refuse('BIRTH_NOT_RECORDED', 'the postpartum check follows the birth or the end of the pregnancy');
  if (state.postpartumCheckAt)
    refuse('POSTPARTUM_CHECK_ALREADY_RECORDED', `the postpartum check was recorded at ${state.postpartumCheckAt}`);
  return [event('PostpartumCheckRecorded', { occurredAt: ctx.at, ...noted(data) })];
}
