import { raiseAlert, type Alert } from '../alerts/alert';
import {
  closePauses,
  isActive,
  isLegacySchedule,
  type Explanation,
  type Milestone,
  type ScheduledStep,
} from '../milestones/milestone';
import type { PolicyRef } from '../policy/policy';
import { municipalityOrganisation } from '../reference/organisations';
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
import { MILESTONE_EVENT_TYPES, type CaseEvent, type HandoffKind } from './case.events';
import { cprRecordedIn } from './legacy-cpr-envelope';

export const STAGES = ['detected', 'clinic', 'municipality', 'residential', 'post_birth', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export interface Handoff {
  id: string;
  kind: HandoffKind;
  to: string;
  sentAt: string;
  acknowledgedAt: string | null;
}

export interface Notification {
  id: string;
  municipality: string;
  byProfessional: boolean;
  notifiedAt: string;
  receiptConfirmedAt: string | null;
  assessedAt: string | null;
  outcome: AssessmentOutcome | null;
}

export type ConsentStatus = 'given' | 'withdrawn' | null;

export interface OpenCase {
  status: 'open' | 'closed';
  id: string;
  reference: string;
  /** The stream version: every event, facts and milestone events alike (the optimistic lock). */
  version: number;
  /**
   * The version people see (ETag, If-Match): facts only. Timers firing do not change it, so a
   * client's If-Match is not made stale by a warning going off.
   */
  factVersion: number;
  detectedAt: string;
  registeredBy: string;
  referrer: Referrer;
  estimatedDueDate: string;
  /** Code of the responsible municipality (handlekommune). */
  municipality: string;
  formerMunicipalities: string[];
  /**
   * Municipalities the case moved away from whose part in the case is still running out: until when
   * (the disclosure policy's formerMunicipalityAccess from the move). Its timer ends the part.
   */
  formerMunicipalityAccess: { municipality: string; until: string }[];
  substances: Substance[];
  /** A CPR number was given (its envelope is kept outside the events and the state). */
  cprRecorded: boolean;
  coordinator: Coordinator | null;
  /** The responsible municipality's caseworker on the case (assign-caseworker, claim-case); absent while nobody is. */
  caseworker: Person | null;
  clinic: string | null;
  clinicVisits: number;
  handoffs: Handoff[];
  notifications: Notification[];
  investigation: { openedAt: string; concludedAt: string | null } | null;
  treatment: { kind: TreatmentKind; requestedAt: string; startedAt: string | null } | null;
  placement: {
    status: 'requested' | 'granted' | 'refused' | 'used';
    requestedAt: string;
    facility: string | null;
  } | null;
  admission: { facility: string; admittedAt: string } | null;
  admissions: number;
  consent: Record<ConsentScope, ConsentStatus>;
  retentionContract: { status: 'signed' | 'declined'; offeredAt: string; endedAt: string | null } | null;
  retentionEpisode: { number: number; startedAt: string } | null;
  retentionEpisodes: number;
  networkMeetings: number;
  lastNetworkMeetingAt: string | null;
  birthAt: string | null;
  pregnancyEnded: { reason: PregnancyEndReason; occurredAt: string } | null;
  postBirthPlanAt: string | null;
  healthVisitorVisits: number;
  postpartumCheckAt: string | null;
  contactLostSince: string | null;
  closed: { reason: CloseReason; closedAt: string } | null;
  /** Organisations with a part in the case: the only ones that may see it. */
  parties: string[];
  /** The pathway policy the case runs under. */
  policy: PolicyRef;
  /** Every milestone instance of the case, by id. */
  milestones: Record<string, Milestone>;
  /** How many instances of each rule have opened: the next id is `<rule>-<count + 1>`. */
  milestoneCounts: Record<string, number>;
  /** Bumped by each due-date update: the generation of a legacy case's birth-imminent timer (legacy-birth-imminent.ts). */
  dueDateRevision: number;
  /**
   * When the case's birth-imminent timer recorded that the birth-imminent week was reached (only
   * cases with schedules from before the moment was part of schedules have one: legacy-birth-imminent.ts).
   */
  birthImminentAt: string | null;
  /** Every alert a ladder step raised, by id (`<milestone>.<step>`). */
  alerts: Record<string, Alert>;
}

/** Cases registered before policies were recorded run under version 1 of the default policy. */
export const FIRST_POLICY: PolicyRef = { name: 'pregnancy-substance-use', version: 1 };

export type CaseState = { status: 'none'; version: 0 } | OpenCase;

export const initialState: CaseState = { status: 'none', version: 0 };

/** Folds an event into the state. Pure; the only place state changes. */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'ConcernRegistered') {
    const d = event.data;
    return {
      status: 'open',
      id: d.caseId,
      reference: d.reference,
      version: state.version + 1,
      factVersion: 1,
      detectedAt: d.occurredAt,
      registeredBy: d.registeredBy,
      referrer: d.referrer,
      estimatedDueDate: d.estimatedDueDate,
      municipality: d.municipality,
      formerMunicipalities: [],
      formerMunicipalityAccess: [],
      substances: d.substances,
      cprRecorded: cprRecordedIn(d),
      coordinator: null,
      caseworker: null,
      clinic: d.registeredBy.startsWith('clinic:') ? d.registeredBy : null,
      clinicVisits: 0,
      handoffs: [],
      notifications: [],
      investigation: null,
      treatment: null,
      placement: null,
      admission: null,
      admissions: 0,
      consent: { residential: null, 'information-sharing': null, 'retention-contract': null },
      retentionContract: null,
      retentionEpisode: null,
      retentionEpisodes: 0,
      networkMeetings: 0,
      lastNetworkMeetingAt: null,
      birthAt: null,
      pregnancyEnded: null,
      postBirthPlanAt: null,
      healthVisitorVisits: 0,
      postpartumCheckAt: null,
      contactLostSince: null,
      closed: null,
      parties: unique([d.registeredBy, municipalityOrganisation(d.municipality)]),
      policy: d.policy ?? FIRST_POLICY,
      milestones: {},
      milestoneCounts: {},
      alerts: {},
      dueDateRevision: 0,
      birthImminentAt: null,
    };
  }
  if (state.status === 'none') throw new Error(`${event.type} before ConcernRegistered`);
  const s: OpenCase = {
    ...state,
    version: state.version + 1,
    factVersion: state.factVersion + (MILESTONE_EVENT_TYPES.has(event.type) ? 0 : 1),
  };
  const at = event.data.occurredAt;
  switch (event.type) {
    case 'CoordinatorAssigned':
      s.coordinator = event.data.coordinator;
      s.parties = unique([...s.parties, event.data.coordinator.organisation]);
      break;
    case 'CaseworkerAssigned':
      s.caseworker = event.data.caseworker;
      break;
    case 'MilestoneAssigneeChanged': {
      const { assignee } = event.data;
      s.milestones = withMilestone(s, event.data.milestone, ({ assignee: _previous, ...m }) =>
        assignee ? { ...m, assignee } : m,
      );
      break;
    }
    case 'NameRecorded':
      // Her name lives outside the case's state (case_identities): nothing here changes.
      break;
    case 'ClinicReferralMade':
      s.clinic = event.data.clinic;
      s.handoffs = [...s.handoffs, handoff(event.data.handoffId, 'clinic-referral', at, event.data.clinic)];
      s.parties = unique([...s.parties, event.data.clinic]);
      break;
    case 'HandoffAcknowledged':
      s.handoffs = s.handoffs.map((h) => (h.id === event.data.handoffId ? { ...h, acknowledgedAt: at } : h));
      break;
    case 'ClinicVisitRecorded':
      s.clinicVisits = event.data.visitNumber;
      break;
    case 'MunicipalityNotified': {
      const d = event.data;
      s.notifications = [
        ...s.notifications,
        {
          id: d.notificationId,
          municipality: d.municipality,
          byProfessional: d.byProfessional,
          notifiedAt: at,
          receiptConfirmedAt: null,
          assessedAt: null,
          outcome: null,
        },
      ];
      if (d.handoffId)
        s.handoffs = [
          ...s.handoffs,
          handoff(d.handoffId, 'municipality-notification', at, municipalityOrganisation(d.municipality)),
        ];
      break;
    }
    case 'NotificationReceiptConfirmed':
      s.notifications = s.notifications.map((n) =>
        n.id === event.data.notificationId ? { ...n, receiptConfirmedAt: at } : n,
      );
      break;
    case 'NotificationAssessed':
      s.notifications = s.notifications.map((n) =>
        n.id === event.data.notificationId ? { ...n, assessedAt: at, outcome: event.data.outcome } : n,
      );
      if (event.data.outcome === 'investigate' && !(s.investigation && !s.investigation.concludedAt)) {
        s.investigation = { openedAt: at, concludedAt: null };
      }
      break;
    case 'TreatmentRequested':
      s.treatment = { kind: event.data.kind, requestedAt: at, startedAt: null };
      break;
    case 'TreatmentStarted':
      if (s.treatment) s.treatment = { ...s.treatment, startedAt: at };
      break;
    case 'InvestigationConcluded':
      if (s.investigation) s.investigation = { ...s.investigation, concludedAt: at };
      break;
    case 'ResidentialPlacementRequested':
      s.placement = { status: 'requested', requestedAt: at, facility: null };
      break;
    case 'ResidentialPlacementGranted':
      if (s.placement) s.placement = { ...s.placement, status: 'granted', facility: event.data.facility };
      s.handoffs = [...s.handoffs, handoff(event.data.handoffId, 'residential-placement', at, event.data.facility)];
      s.parties = unique([...s.parties, event.data.facility]);
      break;
    case 'ResidentialPlacementRefused':
      if (s.placement) s.placement = { ...s.placement, status: 'refused' };
      break;
    case 'ConsentGiven':
      s.consent = { ...s.consent, [event.data.scope]: 'given' };
      break;
    case 'ConsentWithdrawn':
      s.consent = { ...s.consent, [event.data.scope]: 'withdrawn' };
      break;
    case 'RetentionContractOffered':
      s.retentionContract = { status: event.data.outcome, offeredAt: at, endedAt: null };
      break;
    case 'RetentionContractEnded':
      if (s.retentionContract) s.retentionContract = { ...s.retentionContract, endedAt: at };
      break;
    case 'AdmittedToResidential':
      s.admission = { facility: event.data.facility, admittedAt: at };
      s.admissions += 1;
      if (s.placement) s.placement = { ...s.placement, status: 'used' };
      s.parties = unique([...s.parties, event.data.facility]);
      break;
    case 'RetentionEpisodeStarted':
      s.retentionEpisode = { number: event.data.episode, startedAt: at };
      s.retentionEpisodes = event.data.episode;
      break;
    case 'RetentionEpisodeEnded':
      s.retentionEpisode = null;
      break;
    case 'DischargedFromResidential':
      s.admission = null;
      break;
    case 'NetworkMeetingRecorded':
      s.networkMeetings = event.data.meetingNumber;
      s.lastNetworkMeetingAt = at;
      break;
    case 'DueDateUpdated':
      s.estimatedDueDate = event.data.estimatedDueDate;
      s.dueDateRevision += 1;
      // The new due date has its own birth-imminent moment (a legacy case's timer fires at once if it has passed).
      s.birthImminentAt = null;
      break;
    case 'MunicipalityTransferred':
      s.formerMunicipalities = unique([...s.formerMunicipalities, event.data.from]);
      s.municipality = event.data.to;
      s.handoffs = [
        ...s.handoffs,
        handoff(event.data.handoffId, 'municipality-transfer', at, municipalityOrganisation(event.data.to)),
      ];
      s.parties = unique([...s.parties, municipalityOrganisation(event.data.to)]);
      // The caseworker is a person of the responsible municipality: the new one assigns its own.
      if (s.caseworker && s.caseworker.organisation !== municipalityOrganisation(event.data.to)) s.caseworker = null;
      s.formerMunicipalityAccess = [
        ...s.formerMunicipalityAccess.filter(
          (a) => a.municipality !== event.data.from && a.municipality !== event.data.to,
        ),
        ...(event.data.formerAccessUntil
          ? [{ municipality: event.data.from, until: event.data.formerAccessUntil }]
          : []),
      ];
      break;
    case 'FormerMunicipalityAccessEnded': {
      const { municipality } = event.data;
      s.formerMunicipalityAccess = s.formerMunicipalityAccess.filter((a) => a.municipality !== municipality);
      if (!keepsAnotherPart(s, municipalityOrganisation(municipality)))
        s.parties = s.parties.filter((p) => p !== municipalityOrganisation(municipality));
      break;
    }
    case 'BirthRecorded':
      s.birthAt = at;
      break;
    case 'PostBirthPlanRecorded':
      s.postBirthPlanAt = at;
      break;
    case 'HealthVisitorVisitRecorded':
      s.healthVisitorVisits = event.data.visitNumber;
      break;
    case 'PostpartumCheckRecorded':
      s.postpartumCheckAt = at;
      break;
    case 'PregnancyEnded':
      s.pregnancyEnded = { reason: event.data.reason, occurredAt: at };
      break;
    case 'ContactLost':
      s.contactLostSince = at;
      s.milestones = mapMilestones(s, (m) => (isActive(m) ? { ...m, contactLostSince: at } : m));
      break;
    case 'ContactRestored':
      s.contactLostSince = null;
      // Only those that say it change: the others stay the same objects, so their rows are not rewritten.
      s.milestones = mapMilestones(s, (m) => {
        if (m.contactLostSince === undefined) return m;
        const { contactLostSince: _, ...restored } = m;
        return restored;
      });
      break;
    case 'CaseClosed':
      s.status = 'closed';
      s.closed = { reason: event.data.reason, closedAt: at };
      break;
    case 'MilestoneOpened': {
      const d = event.data;
      s.milestoneCounts = { ...s.milestoneCounts, [d.rule]: (s.milestoneCounts[d.rule] ?? 0) + 1 };
      s.milestones = {
        ...s.milestones,
        [d.milestone]: {
          id: d.milestone,
          rule: d.rule,
          key: d.key,
          owner: d.owner,
          policy: d.explanation.policy,
          status: 'open',
          openedAt: at,
          anchor: d.anchor,
          dueAt: d.dueAt,
          ladder: d.ladder.map((step) => ({ ...step, firedAt: null })),
          pauses: [],
          generation: 1,
          closedAt: null,
          late: false,
          explanation: d.explanation,
          ...(s.contactLostSince && { contactLostSince: s.contactLostSince }),
        },
      };
      break;
    }
    case 'MilestoneMet':
      s.milestones = withMilestone(s, event.data.milestone, (m) => ({
        ...m,
        status: 'met',
        closedAt: at,
        late: event.data.late,
      }));
      s.alerts = resolveAlerts(s.alerts, event.data.milestone, at);
      break;
    case 'MilestoneWaived':
      s.milestones = withMilestone(s, event.data.milestone, (m) => ({
        ...m,
        status: 'waived',
        closedAt: at,
        pauses: closePauses(m.pauses, at),
      }));
      s.alerts = resolveAlerts(s.alerts, event.data.milestone, at);
      break;
    case 'MilestoneWarned':
    case 'MilestoneEscalated':
    case 'MilestoneBreached': {
      const { step } = event.data;
      const breach = event.type === 'MilestoneBreached';
      s.milestones = withMilestone(s, event.data.milestone, (m) => ({
        ...m,
        status: breach && m.status === 'open' ? 'breached' : m.status,
        ladder: m.ladder.some((l) => l.step === step)
          ? m.ladder.map((l) => (l.step === step ? { ...l, firedAt: at } : l))
          : // Only recorded before the birth-imminent moment was part of schedules: the old engine's
            // birth-imminent escalation of a ladder without escalation-1 (legacy-birth-imminent.ts).
            [...m.ladder, { step, kind: 'escalation', level: 1, at, firedAt: at }],
      }));
      const m = s.milestones[event.data.milestone];
      if (m) {
        const [kind, level] =
          event.type === 'MilestoneEscalated'
            ? (['escalation', event.data.level] as const)
            : ([breach ? 'breach' : 'warning', 0] as const);
        const alert = raiseAlert(m, step, kind, level, at);
        s.alerts = { ...s.alerts, [alert.id]: alert };
      }
      break;
    }
    case 'MilestonePaused':
      s.milestones = withMilestone(s, event.data.milestone, (m) => ({
        ...m,
        status: 'paused',
        pauses: [...m.pauses, { from: at, to: null, reason: event.data.reason, resumeBy: event.data.resumeBy }],
        generation: m.generation + 1,
      }));
      break;
    case 'MilestoneResumed':
    case 'MilestoneRescheduled': {
      const d = event.data;
      s.milestones = withMilestone(s, d.milestone, (m) => ({
        ...m,
        status:
          m.status === 'paused' && event.type === 'MilestoneResumed'
            ? m.ladder.some((l) => l.kind === 'breach' && l.firedAt)
              ? 'breached'
              : 'open'
            : m.status,
        rule: d.explanation.rule,
        policy: d.explanation.policy,
        pauses: event.type === 'MilestoneResumed' ? closePauses(m.pauses, at) : m.pauses,
        dueAt: d.dueAt,
        ladder: rescheduledLadder(s, m, d.ladder, d.explanation),
        generation: m.generation + 1,
        explanation: m.explanation.ownerChanges
          ? { ...d.explanation, ownerChanges: m.explanation.ownerChanges }
          : d.explanation,
      }));
      break;
    }
    case 'MilestoneReassigned': {
      const { milestone, from, to, reason } = event.data;
      // Who did it was a person of the former owner: nobody of the new owner does it yet.
      s.milestones = withMilestone(s, milestone, ({ assignee: _former, ...m }) => ({
        ...m,
        owner: to,
        explanation: {
          ...m.explanation,
          ownerChanges: [...(m.explanation.ownerChanges ?? []), { from, to, at, reason }],
        },
      }));
      s.alerts = readdressAlerts(s.alerts, milestone, to, at);
      break;
    }
    case 'PolicyMigrated':
      s.policy = event.data.to;
      break;
    case 'BirthImminent':
      s.birthImminentAt = at;
      break;
    case 'AlertAcknowledged': {
      const { alert, by, organisation, note } = event.data;
      s.alerts = withAlert(s, alert, (a) => ({
        ...a,
        status: 'acknowledged',
        acknowledged: { by, organisation, at, note: note ?? null },
      }));
      break;
    }
    case 'AlertResent':
      s.alerts = withAlert(s, event.data.alert, (a) => ({
        ...a,
        resends: event.data.round,
        reach: event.data.reach,
        lastSentAt: at,
      }));
      break;
    default:
      return unreachable(event);
  }
  return s;
}

/** Whether an organisation has a part in the case besides having been its municipality. */
function keepsAnotherPart(s: OpenCase, organisation: string): boolean {
  return (
    organisation === municipalityOrganisation(s.municipality) ||
    organisation === s.registeredBy ||
    organisation === s.coordinator?.organisation
  );
}

function handoff(id: string, kind: HandoffKind, sentAt: string, to: string): Handoff {
  return { id, kind, to, sentAt, acknowledgedAt: null };
}

function mapMilestones(s: OpenCase, change: (m: Milestone) => Milestone): Record<string, Milestone> {
  return Object.fromEntries(Object.entries(s.milestones).map(([id, m]) => [id, change(m)]));
}

function withMilestone(s: OpenCase, id: string, change: (m: Milestone) => Milestone): Record<string, Milestone> {
  const m = s.milestones[id];
  return m ? { ...s.milestones, [id]: change(m) } : s.milestones;
}

/**
 * The ladder of a new schedule: each step keeps when it fired (by name), and a step that fired
 * stays, fired, where the new schedule no longer has it (a birth-imminent step after the birth). A
 * step fires once per milestone: one an old reschedule dropped after it fired (the made-up
 * birth-imminent step) is known fired by its alert (`<milestone>.<step>`). A legacy schedule
 * replaces the ladder as it always did, so old streams fold as they did (legacy-birth-imminent.ts).
 */
function rescheduledLadder(
  s: OpenCase,
  m: Milestone,
  ladder: readonly ScheduledStep[],
  explanation: Explanation,
): Milestone['ladder'] {
  const firedAt = (step: string) => m.ladder.find((l) => l.step === step)?.firedAt ?? null;
  if (isLegacySchedule(explanation)) return ladder.map((step) => ({ ...step, firedAt: firedAt(step.step) }));
  const next = ladder.map((step) => ({
    ...step,
    firedAt: firedAt(step.step) ?? s.alerts[`${m.id}.${step.step}`]?.raisedAt ?? null,
  }));
  const kept = m.ladder.filter((l) => l.firedAt && !ladder.some((step) => step.step === l.step));
  return [...next, ...kept];
}

function withAlert(s: OpenCase, id: string, change: (a: Alert) => Alert): Record<string, Alert> {
  const a = s.alerts[id];
  return a ? { ...s.alerts, [id]: change(a) } : s.alerts;
}

/** The milestone moved to another owner: its alerts not yet resolved go to that owner from now on. */
/**
 * The milestone moved to a new owner (the case moved municipality): so do its unresolved alerts. One the
 * old owner acknowledged is open again — nobody at the new owner has seen it — and is sent now: it is
 * delivered to the new owner (alert-outbox.ts) and re-sent from then until someone there acknowledges it.
 */
function readdressAlerts(
  alerts: Record<string, Alert>,
  milestone: string,
  owner: string,
  at: string,
): Record<string, Alert> {
  const moving = Object.values(alerts).filter((a) => a.milestone === milestone && a.status !== 'resolved');
  if (moving.length === 0) return alerts;
  const readdressed = (a: Alert): Alert =>
    a.status === 'acknowledged' ? { ...a, owner, status: 'open', acknowledged: null, lastSentAt: at } : { ...a, owner };
  return { ...alerts, ...Object.fromEntries(moving.map((a) => [a.id, readdressed(a)])) };
}

/** The milestone is met or waived: its alerts that are still open or acknowledged are resolved. */
function resolveAlerts(alerts: Record<string, Alert>, milestone: string, at: string): Record<string, Alert> {
  const settled = Object.values(alerts).filter((a) => a.milestone === milestone && a.status !== 'resolved');
  if (settled.length === 0) return alerts;
  return {
    ...alerts,
    ...Object.fromEntries(settled.map((a) => [a.id, { ...a, status: 'resolved' as const, resolvedAt: at }])),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function unreachable(event: never): never {
  throw new Error(`unknown event ${(event as { type: string }).type}`);
}

export function fold(events: readonly CaseEvent[], state: CaseState = initialState): CaseState {
  return events.reduce(evolve, state);
}

/**
 * Where the case is on the path: the furthest step reached, with residential only while she is
 * admitted, post_birth once the child is born, closed after close-case.
 */
export function stageOf(
  state: Pick<
    OpenCase,
    'status' | 'birthAt' | 'admission' | 'notifications' | 'placement' | 'treatment' | 'admissions' | 'clinic'
  >,
): Stage {
  if (state.status === 'closed') return 'closed';
  if (state.birthAt) return 'post_birth';
  if (state.admission) return 'residential';
  // The municipality is involved once notified or once it has a placement or treatment to decide.
  if (state.notifications.length > 0 || state.placement || state.treatment || state.admissions > 0)
    return 'municipality';
  if (state.clinic) return 'clinic';
  return 'detected';
}

/**
 * The facility whose place she takes: where she is admitted while the case is open (what a
 * facility's occupancy counts), null otherwise.
 */
export function occupiedFacility(state: CaseState): string | null {
  return state.status === 'open' ? (state.admission?.facility ?? null) : null;
}
