import type { ActorRole, Role } from './actor';
import type { CaseCommandType } from './case.commands';
import { refuse } from './domain-error';

const CASE_WORKERS = ['clinic', 'municipality', 'facility', 'coordinator'] as const satisfies readonly Role[];

/**
 * Which role may send which command. Auditors and admins only read cases. Where the command is the
 * decision of one organisation (the responsible municipality, the case's clinic or facility), the
 * decider additionally checks that the actor acts for that organisation.
 */
export const COMMAND_PERMISSIONS: { readonly [K in CaseCommandType]: readonly ActorRole[] } = {
  'register-concern': ['referrer', ...CASE_WORKERS],
  'assign-coordinator': ['municipality', 'coordinator'],
  // People of the responsible municipality (the decider checks): its staff and coordinators.
  'assign-caseworker': ['municipality', 'coordinator'],
  'claim-case': ['municipality', 'coordinator'],
  'refer-to-clinic': ['referrer', 'municipality', 'facility', 'coordinator'],
  'acknowledge-handoff': CASE_WORKERS,
  'record-clinic-visit': ['clinic'],
  'notify-municipality': ['referrer', 'clinic', 'facility', 'coordinator'],
  'confirm-notification-receipt': ['municipality'],
  'assess-notification': ['municipality'],
  'request-treatment': ['clinic', 'municipality', 'coordinator'],
  'start-treatment': ['municipality'],
  'conclude-investigation': ['municipality'],
  'request-residential-placement': ['clinic', 'municipality', 'coordinator'],
  'decide-residential-placement': ['municipality'],
  'record-consent': CASE_WORKERS,
  'offer-retention-contract': ['municipality'],
  'admit-to-residential': ['facility'],
  'start-retention-episode': ['facility'],
  'end-retention-episode': ['facility'],
  'end-retention-contract': ['facility'],
  'discharge-from-residential': ['facility'],
  'record-network-meeting': CASE_WORKERS,
  'update-due-date': ['clinic', 'municipality', 'coordinator'],
  'transfer-municipality': ['municipality'],
  'record-birth': CASE_WORKERS,
  'record-post-birth-plan': ['clinic', 'municipality', 'coordinator'],
  'record-health-visitor-visit': ['municipality'],
  'record-postpartum-check': ['referrer', 'clinic'],
  'record-pregnancy-ended': ['referrer', 'clinic', 'municipality', 'coordinator'],
  'record-lost-contact': ['referrer', ...CASE_WORKERS],
  'record-contact-restored': ['referrer', ...CASE_WORKERS],
  // Those who may register her; the application also refuses a caller not shown her identity (IDENTITY_NOT_SHOWN).
  'record-name': ['referrer', ...CASE_WORKERS],
  'close-case': ['municipality', 'coordinator'],
  // A referrer changes only milestones her organisation owns (the decider checks): her clinic referral.
  'pause-milestone': ['referrer', ...CASE_WORKERS],
  'resume-milestone': ['referrer', ...CASE_WORKERS],
  'waive-milestone': ['referrer', ...CASE_WORKERS],
  // People of the milestone's owner organisation (the decider checks).
  'assign-milestone': ['referrer', ...CASE_WORKERS],
  'claim-milestone': ['referrer', ...CASE_WORKERS],
  'migrate-policy': ['municipality', 'coordinator'],
  'acknowledge-alert': ['referrer', ...CASE_WORKERS],
  'fire-timer': ['system'],
};

export function mayIssue(role: ActorRole, command: CaseCommandType): boolean {
  return COMMAND_PERMISSIONS[command].includes(role);
}

/**
 * Refuses with ROLE_NOT_PERMITTED unless the role may send the command. The decider checks it first;
 * the application checks it too before it answers from anything stored (an Idempotency-Key's response).
 */
export function assertMayIssue(role: ActorRole, command: CaseCommandType): void {
  if (!mayIssue(role, command)) refuse('ROLE_NOT_PERMITTED', `the role ${role} may not ${command}`, 'forbidden');
}
