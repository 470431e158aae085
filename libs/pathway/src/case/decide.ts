import type { DecisionContext } from './actor';
import { BACKDATABLE_COMMANDS, type CaseCommand, type CaseCommandData, type CaseCommandType } from './case.commands';
import type { CaseEvent } from './case.events';
import type { CaseState, OpenCase } from './case.state';
import {
  assessNotification,
  concludeInvestigation,
  confirmNotificationReceipt,
  notifyMunicipality,
  requestTreatment,
  startTreatment,
  transferMunicipality,
} from './decisions/municipality';
import {
  recordBirth,
  recordHealthVisitorVisit,
  recordPostBirthPlan,
  recordPostpartumCheck,
  recordPregnancyEnded,
} from './decisions/birth';
import {
  assignCoordinator,
  closeCase,
  recordContactRestored,
  recordLostContact,
  recordName,
  recordNetworkMeeting,
} from './decisions/coordination';
import type { CaseContext } from './decisions/guards';
import { assignCaseworker, assignMilestone, claimCase, claimMilestone } from './decisions/assignment';
import {
  acknowledgeHandoff,
  recordClinicVisit,
  referToClinic,
  registerConcern,
  updateDueDate,
} from './decisions/intake';
import {
  admitToResidential,
  decideResidentialPlacement,
  dischargeFromResidential,
  endRetentionContract,
  endRetentionEpisode,
  offerRetentionContract,
  recordConsent,
  requestResidentialPlacement,
  startRetentionEpisode,
} from './decisions/residential';
import { DomainError, refuse } from './domain-error';
import { assertMayIssue } from './permissions';
import { fireTimer, migratePolicy, pauseMilestone, resumeMilestone, waiveMilestone } from './decisions/milestones';
import { withMilestoneEvents } from '../milestones/engine';
import { acknowledgeAlert } from './decisions/alerts';

export type Decision = { ok: true; events: CaseEvent[] } | { ok: false; error: DomainError };

type CaseCommandOnExisting = Exclude<CaseCommandType, 'register-concern'>;
type Handler<K extends CaseCommandOnExisting> = (
  state: OpenCase,
  data: CaseCommandData[K],
  ctx: CaseContext,
) => CaseEvent[];

const handlers: { [K in CaseCommandOnExisting]: Handler<K> } = {
  'assign-coordinator': assignCoordinator,
  'assign-caseworker': assignCaseworker,
  'claim-case': claimCase,
  'refer-to-clinic': referToClinic,
  'acknowledge-handoff': acknowledgeHandoff,
  'record-clinic-visit': recordClinicVisit,
  'notify-municipality': notifyMunicipality,
  'confirm-notification-receipt': confirmNotificationReceipt,
  'assess-notification': assessNotification,
  'request-treatment': requestTreatment,
  'start-treatment': startTreatment,
  'conclude-investigation': concludeInvestigation,
  'request-residential-placement': requestResidentialPlacement,
  'decide-residential-placement': decideResidentialPlacement,
  'record-consent': recordConsent,
  'offer-retention-contract': offerRetentionContract,
  'admit-to-residential': admitToResidential,
  'start-retention-episode': startRetentionEpisode,
  'end-retention-episode': endRetentionEpisode,
  'end-retention-contract': endRetentionContract,
  'discharge-from-residential': dischargeFromResidential,
  'record-network-meeting': recordNetworkMeeting,
  'update-due-date': updateDueDate,
  'transfer-municipality': transferMunicipality,
  'record-birth': recordBirth,
  'record-post-birth-plan': recordPostBirthPlan,
  'record-health-visitor-visit': recordHealthVisitorVisit,
  'record-postpartum-check': recordPostpartumCheck,
  'record-pregnancy-ended': recordPregnancyEnded,
  'record-lost-contact': recordLostContact,
  'record-contact-restored': recordContactRestored,
  'record-name': recordName,
  'close-case': closeCase,
  'pause-milestone': pauseMilestone,
  'resume-milestone': resumeMilestone,
  'waive-milestone': waiveMilestone,
  'assign-milestone': assignMilestone,
  'claim-milestone': claimMilestone,
  'migrate-policy': migratePolicy,
  'acknowledge-alert': acknowledgeAlert,
  'fire-timer': fireTimer,
};

/** How far ahead of the clock a reported time may be (clock skew between systems). */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Decides a command against the current state of its case: the events it produces (the facts,
 * each followed by the milestone events it causes), or the coded reason it is refused. Pure: time,
 * actor and policies come in through `ctx`. A timer that has nothing left to do decides no events.
 */
export function decide(state: CaseState, command: CaseCommand, ctx: DecisionContext): Decision {
  try {
    return { ok: true, events: withMilestoneEvents(state, decideOrRefuse(state, command, ctx), ctx) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
}

function decideOrRefuse(state: CaseState, command: CaseCommand, ctx: DecisionContext): CaseEvent[] {
  assertMayIssue(ctx.actor.role, command.type);
  if (command.type === 'register-concern') {
    if (state.status !== 'none') refuse('CASE_ALREADY_EXISTS', 'the case already exists');
    return registerConcern(command.data, { ...ctx, at: occurredAt(command, ctx, null) });
  }
  if (state.status === 'none') refuse('CASE_NOT_FOUND', 'no such case', 'not-found');
  if (state.status === 'closed')
    refuse('CASE_CLOSED', `the case was closed at ${state.closed?.closedAt}; it can only be read`);
  const handler = handlers[command.type] as Handler<CaseCommandOnExisting>;
  return handler(state, command.data as CaseCommandData[CaseCommandOnExisting], {
    ...ctx,
    at: occurredAt(command, ctx, state.detectedAt),
  });
}

/** When the fact happened: now, or the command's `occurredAt` where the command may be backdated. */
function occurredAt(command: CaseCommand, ctx: DecisionContext, detectedAt: string | null): string {
  const reported = BACKDATABLE_COMMANDS.has(command.type)
    ? (command.data as { occurredAt?: string }).occurredAt
    : undefined;
  if (reported === undefined) return ctx.now.toISOString();
  const at = new Date(reported);
  if (Number.isNaN(at.getTime())) refuse('INVALID_OCCURRED_AT', 'occurredAt is not a valid time');
  if (at.getTime() > ctx.now.getTime() + CLOCK_SKEW_MS) refuse('OCCURRED_IN_FUTURE', 'occurredAt lies in the future');
  if (detectedAt && at.getTime() < Date.parse(detectedAt))
    refuse('OCCURRED_BEFORE_CASE', `occurredAt lies before the concern was detected (${detectedAt})`);
  return at.toISOString();
}
