import { municipalityOrganisation } from '../reference/organisations';
import type { CaseEvent } from '../case/case.events';
import type { CaseState, OpenCase } from '../case/case.state';
import type { SignalName } from '../policy/signals';

export interface Signal {
  name: SignalName;
  /** What the fact is about: a hand-off, a notification, an episode; '' for facts about the case. */
  key: string;
  at: string;
}

/**
 * The signals an event produces, given the case before and after it. Pure; the milestone engine
 * matches them against the rules' opensOn, metBy and waivedBy.
 */
export function signalsOf(event: CaseEvent, before: CaseState, after: OpenCase): Signal[] {
  const at = event.data.occurredAt;
  const s = (name: SignalName, key = ''): Signal => ({ name, key, at });
  switch (event.type) {
    case 'ConcernRegistered': {
      const by = event.data.registeredBy;
      return [
        s('concern-registered'),
        ...(by !== municipalityOrganisation(event.data.municipality)
          ? [s('concern-registered-not-by-municipality')]
          : []),
        ...(!by.startsWith('clinic:') ? [s('concern-registered-not-by-clinic')] : []),
      ];
    }
    case 'MunicipalityNotified':
      return [
        s('municipality-notified', event.data.notificationId),
        ...(event.data.byProfessional ? [s('municipality-notified-by-professional', event.data.notificationId)] : []),
        ...(event.data.handoffId ? [s('handoff-sent', event.data.handoffId)] : []),
      ];
    case 'NotificationReceiptConfirmed':
      return [s('notification-receipt-confirmed', event.data.notificationId)];
    case 'NotificationAssessed': {
      const opened =
        before.status !== 'none' &&
        !(before.investigation && !before.investigation.concludedAt) &&
        after.investigation &&
        !after.investigation.concludedAt;
      return [s('notification-assessed', event.data.notificationId), ...(opened ? [s('investigation-opened')] : [])];
    }
    case 'InvestigationConcluded':
      return [s('investigation-concluded')];
    case 'CoordinatorAssigned':
      return [s('coordinator-assigned'), ...(event.data.previous === null ? [s('coordinator-first-assigned')] : [])];
    case 'ClinicReferralMade':
      return [s('clinic-referral-made'), s('handoff-sent', event.data.handoffId)];
    case 'HandoffAcknowledged': {
      const handoff = after.handoffs.find((h) => h.id === event.data.handoffId);
      return [
        s('handoff-acknowledged', event.data.handoffId),
        ...(handoff?.kind === 'municipality-transfer' ? [s('transfer-acknowledged', handoff.id)] : []),
      ];
    }
    case 'ClinicVisitRecorded':
      return [s('clinic-visit-recorded')];
    case 'TreatmentRequested':
      return [s('treatment-requested')];
    case 'TreatmentStarted':
      return [s('treatment-started')];
    case 'ResidentialPlacementRequested':
      return [s('placement-requested')];
    case 'ResidentialPlacementGranted':
      return [
        s('placement-decided'),
        s('placement-granted'),
        s('handoff-sent', event.data.handoffId),
        ...admissionPossible(before, after, at),
      ];
    case 'ResidentialPlacementRefused':
      return [s('placement-decided')];
    case 'ConsentGiven':
      return event.data.scope === 'residential' ? admissionPossible(before, after, at) : [];
    case 'ConsentWithdrawn':
      return event.data.scope === 'residential' ? [s('residential-consent-withdrawn')] : [];
    case 'RetentionContractOffered':
      return [
        s('retention-contract-offered'),
        ...(event.data.outcome === 'signed' ? [s('retention-contract-signed')] : []),
      ];
    case 'RetentionContractEnded':
      return [s('retention-contract-ended')];
    case 'AdmittedToResidential':
      return [s('admitted')];
    case 'RetentionEpisodeStarted':
      return [s('retention-episode-started', String(event.data.episode))];
    case 'RetentionEpisodeEnded':
      return [s('retention-episode-ended', String(event.data.episode))];
    case 'NetworkMeetingRecorded':
      return [s('network-meeting-recorded')];
    case 'MunicipalityTransferred':
      return [s('transfer-sent', event.data.handoffId), s('handoff-sent', event.data.handoffId)];
    case 'BirthRecorded':
      return [s('birth-recorded')];
    case 'PregnancyEnded':
      return [s('pregnancy-ended')];
    case 'PostBirthPlanRecorded':
      return [s('post-birth-plan-recorded')];
    case 'HealthVisitorVisitRecorded':
      return [s('health-visitor-visit-recorded')];
    case 'PostpartumCheckRecorded':
      return [s('postpartum-check-recorded')];
    case 'CaseClosed':
      return [s('case-closed')];
    default:
      return [];
  }
}

/** Admission becomes possible when the second of (placement granted, consent given) arrives. */
function admissionPossible(before: CaseState, after: OpenCase, at: string): Signal[] {
  const ready = (c: CaseState) =>
    c.status !== 'none' && c.placement?.status === 'granted' && c.consent.residential === 'given';
  return ready(after) && !ready(before) ? [{ name: 'admission-possible', key: '', at }] : [];
}
