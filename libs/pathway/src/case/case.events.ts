import type { ContactTier } from '../alerts/alert';
import type { Explanation, ScheduledStep } from '../milestones/milestone';
import type { PolicyRef } from '../policy/policy';
import type {
  AssessmentOutcome,
  CloseReason,
  ConsentScope,
  Coordinator,
  Person,
  PregnancyEndReason,
  Referrer,
  Substance,
  TreatmentKind,
} from './case.commands';

/** Why an organisation received a hand-off it must acknowledge. */
export type HandoffKind =
  'clinic-referral' | 'municipality-notification' | 'residential-placement' | 'municipality-transfer';

interface At {
  /** When it happened (ISO 8601, UTC). Equal to the recording time unless the command was backdated. */
  occurredAt: string;
}

interface Noted extends At {
  note?: string;
}

/** The data of each event, by event type. */
export interface CaseEventData {
  ConcernRegistered: Noted & {
    caseId: string;
    reference: string;
    registeredBy: string;
    referrer: Referrer;
    municipality: string;
    estimatedDueDate: string;
    substances: Substance[];
    /** Whether a CPR number was given (kept encrypted outside the events; absent in older events). */
    cprRecorded?: boolean;
    /** Present (true) when her name was given: kept encrypted outside the events, like the CPR number. */
    nameRecorded?: boolean;
    /**
     * Older events only (legacy-cpr-envelope.ts): the CPR's AES-256-GCM envelope, under the key of
     * its time. Nothing reads it any more; the CPR's envelope lives in case_identities.
     */
    encryptedCpr?: string | null;
    /** The pathway policy the case runs under until migrated (absent in the first events: version 1). */
    policy?: PolicyRef;
  };
  CoordinatorAssigned: Noted & { coordinator: Coordinator; previous: Coordinator | null };
  /** The case's caseworker changed (null: nobody now); `claimed`: she took the case herself. */
  CaseworkerAssigned: Noted & { caseworker: Person | null; previous: Person | null; claimed: boolean };
  /**
   * Who of the owner organisation does the milestone changed (null: nobody now); `claimed`: she took
   * it herself. Not MilestoneReassigned, which moves the obligation to another organisation.
   */
  MilestoneAssigneeChanged: Noted & {
    milestone: string;
    assignee: Person | null;
    previous: Person | null;
    claimed: boolean;
  };
  /** Her name was recorded or corrected: kept encrypted outside the events, never in them. */
  NameRecorded: Noted;
  ClinicReferralMade: Noted & { clinic: string; handoffId: string };
  HandoffAcknowledged: Noted & { handoffId: string; organisation: string };
  ClinicVisitRecorded: Noted & { visitNumber: number };
  MunicipalityNotified: Noted & {
    notificationId: string;
    municipality: string;
    byProfessional: boolean;
    /** Absent when the municipality registered the concern itself: nothing to hand off. */
    handoffId: string | null;
  };
  NotificationReceiptConfirmed: Noted & { notificationId: string };
  NotificationAssessed: Noted & { notificationId: string; outcome: AssessmentOutcome };
  TreatmentRequested: Noted & { kind: TreatmentKind };
  TreatmentStarted: Noted & { kind: TreatmentKind };
  InvestigationConcluded: Noted;
  ResidentialPlacementRequested: Noted;
  ResidentialPlacementGranted: Noted & { facility: string; handoffId: string };
  ResidentialPlacementRefused: Noted;
  ConsentGiven: Noted & { scope: ConsentScope };
  ConsentWithdrawn: Noted & { scope: ConsentScope };
  RetentionContractOffered: Noted & { outcome: 'signed' | 'declined' };
  /** `ended`: the facility ended it (end-retention-contract); else the pregnancy or the case did. */
  RetentionContractEnded: Noted & { reason: 'ended' | 'birth' | 'pregnancy-ended' | 'case-closed' };
  AdmittedToResidential: Noted & {
    facility: string;
    /** Admitted although every place was taken: the facility's override, with its reason and the count it overrode. */
    overCapacity?: { reason: string; occupied: number; places: number };
  };
  RetentionEpisodeStarted: Noted & { episode: number };
  RetentionEpisodeEnded: Noted & { episode: number; reason: 'ended' | 'birth' | 'pregnancy-ended' };
  DischargedFromResidential: Noted & { facility: string };
  NetworkMeetingRecorded: Noted & { meetingNumber: number; participants: string[] };
  DueDateUpdated: Noted & { estimatedDueDate: string; previous: string };
  MunicipalityTransferred: Noted & {
    from: string;
    to: string;
    handoffId: string;
    /**
     * Until when the municipality the case left keeps its part in the case (the disclosure policy's
     * formerMunicipalityAccess from the move). Absent in older events: it kept it.
     */
    formerAccessUntil?: string;
  };
  BirthRecorded: Noted;
  PostBirthPlanRecorded: Noted;
  HealthVisitorVisitRecorded: Noted & { visitNumber: number };
  PostpartumCheckRecorded: Noted;
  PregnancyEnded: Noted & { reason: PregnancyEndReason };
  ContactLost: Noted;
  ContactRestored: Noted;
  CaseClosed: Noted & { reason: CloseReason };
  MilestoneOpened: At & {
    milestone: string;
    rule: string;
    key: string;
    owner: string;
    anchor: { signal: string; at: string };
    dueAt: string;
    ladder: ScheduledStep[];
    explanation: Explanation;
  };
  MilestoneMet: At & { milestone: string; late: boolean; signal: string };
  MilestoneWaived: At & { milestone: string; reason: string; signal?: string };
  MilestoneWarned: At & { milestone: string; step: string; owner: string; dueAt: string };
  MilestoneBreached: At & { milestone: string; step: string; owner: string; dueAt: string };
  MilestoneEscalated: At & {
    milestone: string;
    step: string;
    level: 1 | 2;
    owner: string;
    dueAt: string;
    reason?: 'birth-imminent';
  };
  MilestonePaused: At & { milestone: string; reason: string; resumeBy: string };
  MilestoneResumed: At & {
    milestone: string;
    /** contact-restored: paused by record-lost-contact, resumed by record-contact-restored. */
    reason: 'command' | 'pause-limit' | 'contact-restored';
    dueAt: string;
    ladder: ScheduledStep[];
    explanation: Explanation;
  };
  MilestoneRescheduled: At & {
    milestone: string;
    /**
     * birth-recorded, pregnancy-ended: a birth-imminent escalation still to come no longer will;
     * birth-imminent: a schedule recorded before the birth-imminent moment was part of schedules
     * gets it when the birth becomes imminent (legacy-birth-imminent.ts).
     */
    reason:
      'due-date-updated' | 'policy-migrated' | 'anchor-moved' | 'birth-recorded' | 'pregnancy-ended' | 'birth-imminent';
    dueAt: string;
    ladder: ScheduledStep[];
    explanation: Explanation;
  };
  /**
   * The milestone's obligation moved to another organisation, due time kept: the responsible
   * municipality changed (municipality-move.ts). Its open alerts are re-addressed to `to`.
   */
  MilestoneReassigned: At & { milestone: string; from: string; to: string; reason: 'municipality-transferred' };
  PolicyMigrated: At & { from: PolicyRef; to: PolicyRef };
  /** The period a municipality the case moved away from kept its part ended (its timer fired). */
  FormerMunicipalityAccessEnded: At & { municipality: string };
  /**
   * The case reached the birth-imminent week. Recorded by the case's birth-imminent timer, which only
   * cases with schedules from before the moment was part of schedules have (legacy-birth-imminent.ts).
   */
  BirthImminent: At & { week: number };
  /** Someone took the alert: re-sending stops; the milestone's own ladder goes on. */
  AlertAcknowledged: Noted & { alert: string; by: string; organisation: string };
  /** An unacknowledged alert was sent again, reaching `reach`. */
  AlertResent: At & { alert: string; round: number; reach: ContactTier };
}

/** Events the milestone engine and the timers produce, as opposed to the facts of the path. */
export const MILESTONE_EVENT_TYPES: ReadonlySet<CaseEventType> = new Set<CaseEventType>([
  'MilestoneOpened',
  'MilestoneMet',
  'MilestoneWaived',
  'MilestoneWarned',
  'MilestoneBreached',
  'MilestoneEscalated',
  'MilestonePaused',
  'MilestoneResumed',
  'MilestoneRescheduled',
  'MilestoneReassigned',
  'PolicyMigrated',
  'FormerMunicipalityAccessEnded',
  'BirthImminent',
  'AlertResent',
]);

export type CaseEventType = keyof CaseEventData;

export type CaseEvent = { [K in CaseEventType]: { type: K; data: CaseEventData[K] } }[CaseEventType];

export type EventOf<K extends CaseEventType> = Extract<CaseEvent, { type: K }>;

export function event<K extends CaseEventType>(type: K, data: CaseEventData[K]): EventOf<K> {
  return { type, data } as EventOf<K>;
}
