/** Commands of the referral path, named as their HTTP routes (kebab-case). */
export const REFERRER_KINDS = [
  'gp',
  'midwife',
  'shelter',
  'crisis_centre',
  'substance_treatment',
  'health_visitor',
  'hospital',
  'self',
  'other',
] as const;
export type ReferrerKind = (typeof REFERRER_KINDS)[number];

export const SUBSTANCES = [
  'alcohol',
  'opioids',
  'cocaine',
  'cannabis',
  'benzodiazepines',
  'amphetamines',
  'other',
] as const;
export type Substance = (typeof SUBSTANCES)[number];

export const ASSESSMENT_OUTCOMES = ['acute', 'investigate', 'support', 'no-action'] as const;
export type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];

export const TREATMENT_KINDS = ['drugs', 'alcohol', 'dual-diagnosis'] as const;
export type TreatmentKind = (typeof TREATMENT_KINDS)[number];

export const CONSENT_SCOPES = ['residential', 'information-sharing', 'retention-contract'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

export const PREGNANCY_END_REASONS = ['miscarriage', 'termination', 'stillbirth'] as const;
export type PregnancyEndReason = (typeof PREGNANCY_END_REASONS)[number];

export const CLOSE_REASONS = [
  'completed',
  'pregnancy-ended',
  'moved-abroad',
  'died',
  'declined-help',
  'duplicate',
  'other',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface Referrer {
  kind: ReferrerKind;
  name?: string;
}

export interface Coordinator {
  id: string;
  name: string;
  organisation: string;
}

/**
 * A person of an organisation as the organisation's directory of people knows her (GET
 * /v1/organisations/{id}/people): the token's subject, her name there and the organisation.
 */
export interface Person {
  id: string;
  name: string;
  organisation: string;
}

/** Fields every command may carry. `occurredAt` is accepted only where the command says so. */
interface Common {
  note?: string;
}

interface Backdatable extends Common {
  /** When it happened, if earlier than now (ISO 8601 with offset). */
  occurredAt?: string;
}

export interface CaseCommandData {
  'register-concern': Backdatable & {
    /** Allocated by the application layer, not sent by clients. */
    caseId: string;
    reference: string;
    /**
     * Whether a CPR number was given. The number itself, encrypted, is kept by the application
     * layer in its own table (case_identities), never in the events.
     */
    cprRecorded: boolean;
    /** Whether her name was given (kept encrypted beside the CPR number, never in the events). */
    nameRecorded?: boolean;
    estimatedDueDate: string;
    municipality: string;
    referrer: Referrer;
    substances: Substance[];
  };
  'assign-coordinator': Common & { coordinator: Coordinator };
  /** The responsible municipality's caseworker on the case: a person of its directory (her id), or null to unassign. */
  'assign-caseworker': Common & { person: string | null };
  /** The caller becomes the case's caseworker. */
  'claim-case': Common;
  'refer-to-clinic': Common & { clinic?: string };
  'acknowledge-handoff': Common & { handoffId: string };
  'record-clinic-visit': Backdatable;
  'notify-municipality': Common & { byProfessional?: boolean };
  'confirm-notification-receipt': Common & { notificationId?: string };
  'assess-notification': Common & { notificationId?: string; outcome: AssessmentOutcome };
  'request-treatment': Common & { kind: TreatmentKind };
  'start-treatment': Backdatable;
  'conclude-investigation': Common;
  'request-residential-placement': Common;
  'decide-residential-placement': Common & { decision: 'granted' | 'refused'; facility?: string };
  'record-consent': Common & { scope: ConsentScope; status: 'given' | 'withdrawn' };
  'offer-retention-contract': Common & { outcome: 'signed' | 'declined' };
  'admit-to-residential': Backdatable & { overCapacityReason?: string };
  'start-retention-episode': Backdatable;
  'end-retention-episode': Backdatable;
  'end-retention-contract': Backdatable;
  'discharge-from-residential': Backdatable;
  'record-network-meeting': Backdatable & { participants?: string[] };
  'update-due-date': Common & { estimatedDueDate: string };
  'transfer-municipality': Common & { toMunicipality: string };
  'record-birth': Backdatable;
  'record-post-birth-plan': Common;
  'record-health-visitor-visit': Backdatable;
  'record-postpartum-check': Backdatable;
  'record-pregnancy-ended': Backdatable & { reason: PregnancyEndReason };
  'record-lost-contact': Common;
  'record-contact-restored': Common;
  /**
   * Her name recorded or corrected. The name itself is kept by the application layer, encrypted
   * beside the CPR number (case_identities), never in the command the decider sees or the events.
   */
  'record-name': Common;
  'close-case': Common & { reason: CloseReason };
  'pause-milestone': Common & { milestone: string; reason: string };
  'resume-milestone': Common & { milestone: string };
  'waive-milestone': Common & { milestone: string; reason: string };
  /** Who of the milestone's owner organisation does it: a person of its directory (her id), or null to unassign. */
  'assign-milestone': Common & { milestone: string; person: string | null };
  /** The caller takes the milestone. */
  'claim-milestone': Common & { milestone: string };
  'migrate-policy': Common & { version: number };
  /** Sent as POST /v1/alerts/{id}/acknowledge, not on the case's command route. */
  'acknowledge-alert': Common & { alert: string };
  /** Internal: a timer woke the engine. Sent by the worker as the system, never over HTTP. */
  'fire-timer': { timer: string };
}

export type CaseCommandType = keyof CaseCommandData;

export type CaseCommand = { [K in CaseCommandType]: { type: K; data: CaseCommandData[K] } }[CaseCommandType];

export type CommandOf<K extends CaseCommandType> = Extract<CaseCommand, { type: K }>;

/** Every command people send, in path order: the catalogue the API is checked against. */
export const CASE_COMMAND_TYPES = [
  'register-concern',
  'assign-coordinator',
  'assign-caseworker',
  'claim-case',
  'refer-to-clinic',
  'acknowledge-handoff',
  'record-clinic-visit',
  'notify-municipality',
  'confirm-notification-receipt',
  'assess-notification',
  'request-treatment',
  'start-treatment',
  'conclude-investigation',
  'request-residential-placement',
  'decide-residential-placement',
  'record-consent',
  'offer-retention-contract',
  'admit-to-residential',
  'start-retention-episode',
  'end-retention-episode',
  'end-retention-contract',
  'discharge-from-residential',
  'record-network-meeting',
  'update-due-date',
  'transfer-municipality',
  'record-birth',
  'record-post-birth-plan',
  'record-health-visitor-visit',
  'record-postpartum-check',
  'record-pregnancy-ended',
  'record-lost-contact',
  'record-contact-restored',
  'record-name',
  'close-case',
  'pause-milestone',
  'resume-milestone',
  'waive-milestone',
  'assign-milestone',
  'claim-milestone',
  'migrate-policy',
] as const satisfies readonly CaseCommandType[];

/** Commands whose body may say when the fact happened (a visit yesterday, a birth last night). */
export const BACKDATABLE_COMMANDS: ReadonlySet<CaseCommandType> = new Set<CaseCommandType>([
  'register-concern',
  'record-clinic-visit',
  'start-treatment',
  'admit-to-residential',
  'start-retention-episode',
  'end-retention-episode',
  'end-retention-contract',
  'discharge-from-residential',
  'record-network-meeting',
  'record-birth',
  'record-health-visitor-visit',
  'record-postpartum-check',
  'record-pregnancy-ended',
]);
