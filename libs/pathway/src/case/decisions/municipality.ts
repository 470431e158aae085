import { defaultDisclosurePolicy } from '../../disclosure/disclosure-policy';
import { findMunicipality, municipalityOrganisation } from '../../reference/organisations';
import { addDuration, parseDuration } from '../../time/duration';
import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { refuse } from '../domain-error';
import type { Notification, OpenCase } from '../case.state';
import { acknowledgePending, actingForResponsibleMunicipality, nextHandoffId, noted, type CaseContext } from './guards';

export function notifyMunicipality(
  state: OpenCase,
  data: CaseCommandData['notify-municipality'],
  ctx: CaseContext,
): CaseEvent[] {
  const recipient = municipalityOrganisation(state.municipality);
  return [
    event('MunicipalityNotified', {
      occurredAt: ctx.at,
      notificationId: `notification-${state.notifications.length + 1}`,
      municipality: state.municipality,
      byProfessional: data.byProfessional ?? true,
      handoffId: ctx.actor.organisation === recipient ? null : nextHandoffId(state),
      ...noted(data),
    }),
  ];
}

/** The notification named by id, or else the oldest one still waiting for `pending`. */
function pickNotification(
  state: OpenCase,
  id: string | undefined,
  pending: (n: Notification) => boolean,
  what: string,
): Notification {
  if (id !== undefined) {
    const found = state.notifications.find((n) => n.id === id);
    if (!found) refuse('NOTIFICATION_NOT_FOUND', `the case has no notification ${id}`);
    return found;
  }
  const oldest = state.notifications.find(pending);
  if (!oldest) refuse('NO_PENDING_NOTIFICATION', `no notification is waiting for ${what}`);
  return oldest;
}

export function confirmNotificationReceipt(
  state: OpenCase,
  data: CaseCommandData['confirm-notification-receipt'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  const n = pickNotification(state, data.notificationId, (x) => !x.receiptConfirmedAt, 'a receipt confirmation');
  if (n.receiptConfirmedAt)
    refuse('RECEIPT_ALREADY_CONFIRMED', `receipt of ${n.id} was confirmed at ${n.receiptConfirmedAt}`);
  return [
    ...acknowledgePending(state, ctx.actor.organisation, ctx.at, 'municipality-notification'),
    event('NotificationReceiptConfirmed', { occurredAt: ctx.at, notificationId: n.id, ...noted(data) }),
  ];
}

export function assessNotification(
  state: OpenCase,
  data: CaseCommandData['assess-notification'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  const n = pickNotification(state, data.notificationId, (x) => !x.assessedAt, 'an assessment');
  if (n.assessedAt) refuse('NOTIFICATION_ALREADY_ASSESSED', `${n.id} was assessed at ${n.assessedAt}`);
  return [
    ...acknowledgePending(state, ctx.actor.organisation, ctx.at, 'municipality-notification'),
    event('NotificationAssessed', { occurredAt: ctx.at, notificationId: n.id, outcome: data.outcome, ...noted(data) }),
  ];
}

export function concludeInvestigation(
  state: OpenCase,
  data: CaseCommandData['conclude-investigation'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  if (!state.investigation || state.investigation.concludedAt)
    refuse('NO_OPEN_INVESTIGATION', 'no child-welfare investigation is open');
  return [event('InvestigationConcluded', { occurredAt: ctx.at, ...noted(data) })];
}

export function requestTreatment(
  state: OpenCase,
  data: CaseCommandData['request-treatment'],
  ctx: CaseContext,
): CaseEvent[] {
  if (state.treatment && !state.treatment.startedAt) {
    refuse(
      'TREATMENT_ALREADY_REQUESTED',
      `${state.treatment.kind} treatment was requested at ${state.treatment.requestedAt} and has not started`,
    );
  }
  return [event('TreatmentRequested', { occurredAt: ctx.at, kind: data.kind, ...noted(data) })];
}

export function startTreatment(
  state: OpenCase,
  data: CaseCommandData['start-treatment'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  if (!state.treatment || state.treatment.startedAt)
    refuse('NO_TREATMENT_REQUESTED', 'no treatment request is waiting to start');
  return [event('TreatmentStarted', { occurredAt: ctx.at, kind: state.treatment.kind, ...noted(data) })];
}

export function transferMunicipality(
  state: OpenCase,
  data: CaseCommandData['transfer-municipality'],
  ctx: CaseContext,
): CaseEvent[] {
  actingForResponsibleMunicipality(state, ctx);
  if (!findMunicipality(data.toMunicipality))
    refuse('UNKNOWN_MUNICIPALITY', `no municipality has the code ${data.toMunicipality}`);
  if (data.toMunicipality === state.municipality)
    refuse('SAME_MUNICIPALITY', `${data.toMunicipality} is already the responsible municipality`);
  return [
    event('MunicipalityTransferred', {
      occurredAt: ctx.at,
      from: state.municipality,
      to: data.toMunicipality,
      handoffId: nextHandoffId(state),
      formerAccessUntil: formerAccessUntil(ctx),
      ...noted(data),
    }),
  ];
}

/** When the municipality the case leaves now loses its part: the disclosure policy's period from now. */
function formerAccessUntil(ctx: CaseContext): string {
  const period = (ctx.disclosure ?? defaultDisclosurePolicy()).formerMunicipalityAccess;
  const duration = parseDuration(period);
  // parseDisclosurePolicy accepts no policy without a valid period.
  if (!duration) throw new Error(`the disclosure policy's formerMunicipalityAccess ${period} is no ISO 8601 duration`);
  return addDuration(new Date(ctx.at), duration).toISOString();
}
