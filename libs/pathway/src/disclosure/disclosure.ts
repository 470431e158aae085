import type { Role } from '../case/actor';
import type { CaseEventData, CaseEventType, HandoffKind } from '../case/case.events';
import type { CaseSummary, CaseView } from '../case/case-summary';
import type { EarlierCase } from '../case/earlier-cases';
import { formatCpr, maskCpr, type Cpr } from '../cpr';
import type { Explanation, Pause } from '../milestones/milestone';
import { municipalityOrganisation } from '../reference/organisations';
import type { DisclosureClass, DisclosurePolicy, IdentityForm, PartyKind } from './disclosure-policy';

/** Who asks: a role and the organisations it works for (a Principal). */
export interface Viewer {
  role: Role;
  organisations: readonly string[];
}

/** What of a case the disclosure depends on: its parties and her consent. */
export type DisclosureCase = Pick<CaseSummary, 'registeredBy' | 'municipality' | 'clinic' | 'parties' | 'consent'>;

/** What one caller is shown of one case, decided by `disclosureFor`. */
export interface Disclosure {
  /** The parts the caller holds in the case (empty: none; she is shown nothing). */
  parties: PartyKind[];
  identity: IdentityForm;
  classes: ReadonlySet<DisclosureClass>;
}

const IDENTITY_ORDER: readonly IdentityForm[] = ['none', 'masked', 'full'];

/** The part a role plays in the case for one of the viewer's organisations, if it has one. */
function partOf(role: Role, organisation: string, c: DisclosureCase): PartyKind | null {
  if (!c.parties.includes(organisation)) return null;
  switch (role) {
    case 'referrer':
      return organisation === c.registeredBy ? 'referrer' : 'other';
    case 'clinic':
      return organisation === c.clinic ? 'clinic' : 'other';
    case 'municipality':
      return organisation === municipalityOrganisation(c.municipality.code) ? 'municipality' : 'other';
    case 'facility':
      return organisation.startsWith('facility:') ? 'facility' : 'other';
    case 'coordinator':
    case 'auditor':
    case 'admin':
      return role;
  }
}

/**
 * The one decision of who sees what: the parts the viewer holds in the case (by role AND
 * organisation), and what the policy grants them given her consent as recorded now. Every read
 * path applies its answer (libs/cases/src/shared/disclosure.ts); none decides on its own.
 */
export function disclosureFor(policy: DisclosurePolicy, viewer: Viewer, c: DisclosureCase): Disclosure {
  const parties = [...new Set(viewer.organisations.map((o) => partOf(viewer.role, o, c)).filter((p) => p !== null))];
  let identity: IdentityForm = 'none';
  const classes = new Set<DisclosureClass>();
  for (const kind of parties) {
    const party = policy.parties[kind];
    if (IDENTITY_ORDER.indexOf(party.identity) > IDENTITY_ORDER.indexOf(identity)) identity = party.identity;
    for (const cls of party.sees) classes.add(cls);
    for (const grant of party.withConsent)
      if (grant.anyOf.some((scope) => c.consent[scope] === 'given')) for (const cls of grant.sees) classes.add(cls);
  }
  if (classes.has('logistics')) classes.add('referral');
  return { parties, identity, classes };
}

/** The parts a role can hold in a case (partOf): its own, or `other` where its organisation has another part. */
const PARTS_OF_ROLE: Readonly<Record<Role, readonly PartyKind[]>> = {
  referrer: ['referrer', 'other'],
  clinic: ['clinic', 'other'],
  municipality: ['municipality', 'other'],
  facility: ['facility', 'other'],
  coordinator: ['coordinator'],
  auditor: ['auditor'],
  admin: ['admin'],
};

/**
 * Whether a role is shown the class in every case it has a part in, whatever her consent. A list
 * filter on a field of the class tells such a caller nothing the list does not show; to any other
 * role it would tell what a case's answer hides (a referrer filtering by stage), so it is refused.
 */
export function roleAlwaysSees(policy: DisclosurePolicy, role: Role, cls: DisclosureClass): boolean {
  return PARTS_OF_ROLE[role].every((kind) => {
    const sees = policy.parties[kind].sees;
    return sees.includes(cls) || (cls === 'referral' && sees.includes('logistics'));
  });
}

/** Her CPR number in the form the disclosure allows (null: not shown). */
export function disclosedCpr(d: Disclosure, cpr: Cpr | null): string | null {
  if (!cpr || d.identity === 'none') return null;
  return d.identity === 'full' ? formatCpr(cpr) : maskCpr(cpr);
}

/**
 * Whether her name is shown: exactly where her identity is shown in full (the CPR number whole). A
 * name cannot be masked, so where her identity is only masked (a facility, the coordinator) it is
 * not shown. The one decision for GET /v1/cases/{id}, the name search and record-name.
 */
export function showsName(d: Disclosure): boolean {
  return d.identity === 'full';
}

/**
 * The milestones of the referral itself: its sending on, its receipt and first response. Not
 * handoff-acceptance: it is the acceptance of every hand-off, a residential placement's too, and
 * its owner would tell the referrer where she was placed (her own hand-offs' acknowledgement is in
 * the case's `handoffs`).
 */
export const REFERRAL_RULES: readonly string[] = [
  'municipality-notification',
  'clinic-referral',
  'notification-receipt',
  'notification-assessment',
  'clinic-first-visit',
];

/**
 * The rule of the deadline to acknowledge a hand-off; each instance is keyed by its hand-off's id.
 * Its rule's class is logistics (the rule covers a residential placement's hand-off too), but one
 * instance is shown wherever its hand-off is (handoffDeadlinesShown): the referrer sees whether her
 * own hand-offs were acknowledged in time, and nothing of a placement's.
 */
export const HANDOFF_ACCEPTANCE_RULE = 'handoff-acceptance';

/** A milestone (and its alerts) is the referral's status when its rule is one of REFERRAL_RULES, else logistics. */
export function milestoneClass(rule: string): DisclosureClass {
  return REFERRAL_RULES.includes(rule) ? 'referral' : 'logistics';
}

/** The rule of a milestone instance: its id is `<rule>-<n>`. */
export function ruleOfInstance(milestone: string): string {
  return milestone.replace(/-\d+$/, '');
}

const HANDOFF_CLASSES: Readonly<Record<HandoffKind, DisclosureClass>> = {
  'clinic-referral': 'referral',
  'municipality-notification': 'referral',
  'residential-placement': 'decisions',
  'municipality-transfer': 'logistics',
};

/**
 * The class of every field of a case view (and of what GET /v1/cases/{id} adds: her CPR number, her
 * name and her earlier cases): a new field does not compile without one.
 */
export const CASE_FIELD_CLASSES: Readonly<
  Record<keyof CaseView | 'cpr' | 'name' | 'earlierCases', DisclosureClass | 'identity'>
> = {
  id: 'referral',
  reference: 'referral',
  status: 'referral',
  version: 'referral',
  detectedAt: 'referral',
  registeredBy: 'referral',
  referrer: 'referral',
  municipality: 'referral',
  clinic: 'referral',
  // Item by item: the referrer sees the hand-offs and notifications of her referral (HANDOFF_CLASSES, no outcome).
  handoffs: 'referral',
  notifications: 'referral',
  closed: 'referral',
  stage: 'logistics',
  estimatedDueDate: 'logistics',
  formerMunicipalities: 'logistics',
  formerMunicipalityAccess: 'logistics',
  coordinator: 'logistics',
  caseworker: 'logistics',
  clinicVisits: 'logistics',
  networkMeetings: 'logistics',
  lastNetworkMeetingAt: 'logistics',
  birthAt: 'logistics',
  postBirthPlanAt: 'logistics',
  healthVisitorVisits: 'logistics',
  postpartumCheckAt: 'logistics',
  contactLostSince: 'logistics',
  parties: 'logistics',
  policy: 'logistics',
  dueDateRevision: 'logistics',
  birthImminentAt: 'logistics',
  openMilestones: 'logistics',
  openAlerts: 'logistics',
  gestationalAge: 'logistics',
  birthImminent: 'logistics',
  investigation: 'decisions',
  placement: 'decisions',
  admission: 'decisions',
  admissions: 'decisions',
  consent: 'decisions',
  retentionContract: 'decisions',
  retentionEpisode: 'decisions',
  retentionEpisodes: 'decisions',
  substances: 'clinical',
  treatment: 'clinical',
  pregnancyEnded: 'clinical',
  hasCpr: 'identity',
  cpr: 'identity',
  name: 'identity',
  // Her earlier cases link this case to a person: identity, and each one only to a caller with the identity there too.
  earlierCases: 'identity',
};

/**
 * The class of every event type; `milestone`: the class of the milestone it is about
 * (milestoneClass). A new event type does not compile without one.
 */
export const EVENT_CLASSES: Readonly<Record<CaseEventType, DisclosureClass | 'milestone'>> = {
  ConcernRegistered: 'referral',
  ClinicReferralMade: 'referral',
  MunicipalityNotified: 'referral',
  NotificationReceiptConfirmed: 'referral',
  NotificationAssessed: 'referral',
  CoordinatorAssigned: 'logistics',
  CaseworkerAssigned: 'logistics',
  NameRecorded: 'logistics',
  HandoffAcknowledged: 'logistics',
  ClinicVisitRecorded: 'logistics',
  NetworkMeetingRecorded: 'logistics',
  DueDateUpdated: 'logistics',
  MunicipalityTransferred: 'logistics',
  BirthRecorded: 'logistics',
  PostBirthPlanRecorded: 'logistics',
  HealthVisitorVisitRecorded: 'logistics',
  PostpartumCheckRecorded: 'logistics',
  ContactLost: 'logistics',
  ContactRestored: 'logistics',
  CaseClosed: 'logistics',
  PolicyMigrated: 'logistics',
  FormerMunicipalityAccessEnded: 'logistics',
  BirthImminent: 'logistics',
  AlertAcknowledged: 'milestone',
  AlertResent: 'milestone',
  MilestoneOpened: 'milestone',
  MilestoneMet: 'milestone',
  MilestoneWaived: 'milestone',
  MilestoneWarned: 'milestone',
  MilestoneBreached: 'milestone',
  MilestoneEscalated: 'milestone',
  MilestonePaused: 'milestone',
  MilestoneResumed: 'milestone',
  MilestoneRescheduled: 'milestone',
  MilestoneReassigned: 'milestone',
  // Who does a milestone is logistics, like the coordinator, whatever the milestone's class.
  MilestoneAssigneeChanged: 'logistics',
  InvestigationConcluded: 'decisions',
  ResidentialPlacementRequested: 'decisions',
  ResidentialPlacementGranted: 'decisions',
  ResidentialPlacementRefused: 'decisions',
  ConsentGiven: 'decisions',
  ConsentWithdrawn: 'decisions',
  RetentionContractOffered: 'decisions',
  RetentionContractEnded: 'decisions',
  AdmittedToResidential: 'decisions',
  DischargedFromResidential: 'decisions',
  RetentionEpisodeStarted: 'decisions',
  RetentionEpisodeEnded: 'decisions',
  TreatmentRequested: 'clinical',
  TreatmentStarted: 'clinical',
  PregnancyEnded: 'clinical',
};

/** Fields of an event that belong to another class than the event: shown only with that class too. */
const EVENT_FIELD_CLASSES: {
  readonly [K in CaseEventType]?: Partial<Record<keyof CaseEventData[K], DisclosureClass>>;
} = {
  ConcernRegistered: { substances: 'clinical' },
  NotificationAssessed: { outcome: 'decisions' },
  // Who took an alert is logistics, like who does a milestone (ALERT_FIELD_CLASSES: acknowledged).
  AlertAcknowledged: { by: 'logistics', organisation: 'logistics' },
  // Free text, like a note; with the counts it overrode.
  AdmittedToResidential: { overCapacity: 'clinical' },
  // Free text, like a note ("Admitted to hospital for observation."): clinical wherever it is written.
  MilestonePaused: { reason: 'clinical' },
  MilestoneWaived: { reason: 'clinical' },
};

/** The class of an event, given its data (milestone events and alerts: their milestone's). */
export function eventClass(type: CaseEventType, data: Record<string, unknown>): DisclosureClass {
  const cls = EVENT_CLASSES[type];
  if (cls !== 'milestone') return cls;
  const rule =
    typeof data.rule === 'string'
      ? data.rule
      : ruleOfInstance(String(data.milestone ?? String(data.alert ?? '').split('.')[0]));
  return milestoneClass(rule);
}

/**
 * An event's data as the disclosure allows, or null when the event is not shown at all. A note
 * (free text) is clinical wherever it is written: who writes it cannot be trusted to leave
 * clinical detail out.
 */
export function discloseEvent(
  d: Disclosure,
  type: CaseEventType,
  data: Record<string, unknown>,
): Record<string, unknown> | null {
  if (!d.classes.has(eventClass(type, data))) return null;
  const fields: Partial<Record<string, DisclosureClass>> = { note: 'clinical', ...EVENT_FIELD_CLASSES[type] };
  const shown = Object.fromEntries(
    Object.entries(data).filter(([key]) =>
      // Whether a CPR number or her name was recorded (the history's stand-in for the envelope) is identity.
      key === 'cprRecorded' || key === 'nameRecorded'
        ? d.identity !== 'none'
        : !fields[key] || d.classes.has(fields[key]),
    ),
  );
  return discloseMilestoneClock(d, shown as { explanation?: Explanation });
}

/**
 * A milestone's clock (a milestone view, or a milestone event's data) as the disclosure allows: its
 * pauses (`pauses`, and those of its `explanation`) without their reasons unless the clinical class
 * is shown. A pause's reason is free text, like a note ("Admitted to hospital for observation.").
 */
export function discloseMilestoneClock<M extends { pauses?: readonly Pause[]; explanation?: Explanation }>(
  d: Disclosure,
  m: M,
): M {
  if (d.classes.has('clinical')) return m;
  const shown: M = { ...m };
  if (Array.isArray(m.pauses)) shown.pauses = pausesWithoutReasons(m.pauses);
  if (m.explanation && Array.isArray(m.explanation.pauses))
    shown.explanation = { ...m.explanation, pauses: pausesWithoutReasons(m.explanation.pauses) };
  return shown;
}

/** Pauses without their (free-text) reasons: `reason` is left out. */
function pausesWithoutReasons<P extends Pause>(pauses: readonly P[]): P[] {
  return pauses.map(({ reason: _reason, ...p }) => p as P);
}

/** Who recorded an event (the events, the audit's writes). */
export interface EventActor {
  id?: string;
  role: string;
  organisation: string | null;
}

/**
 * Who recorded an event as the disclosure allows: the person only with the logistics (who does the
 * work is logistics, like the coordinator: a claim's actor is its assignee); else her role and
 * organisation.
 */
export function discloseActor<A extends EventActor>(d: Disclosure, actor: A): A | Omit<A, 'id'> {
  if (d.classes.has('logistics')) return actor;
  const { id: _id, ...shown } = actor;
  return shown;
}

/**
 * A case view with only what the disclosure allows, the CPR number in its allowed form (`cpr`, only
 * when given), her name (`name`, only when given and `showsName`) and her earlier cases (only when
 * given: the caller's disclosure of each is the caller's to check, `earlierCasesShown`).
 */
export function discloseCase<V extends CaseView>(
  d: Disclosure,
  view: V,
  cpr?: string | null,
  earlierCases?: readonly EarlierCase[],
  name?: string | null,
): Partial<V> & { cpr?: string | null; name?: string | null; earlierCases?: EarlierCase[] } {
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(view)) {
    const cls = CASE_FIELD_CLASSES[key as keyof CaseView];
    // A field without a class (written by an older process, say) is not shown.
    if (cls === undefined) continue;
    if (cls === 'identity' ? d.identity === 'none' : !d.classes.has(cls)) continue;
    shown[key] = value;
  }
  if ('handoffs' in shown) shown.handoffs = view.handoffs.filter((h) => d.classes.has(HANDOFF_CLASSES[h.kind]));
  if ('notifications' in shown && !d.classes.has('decisions'))
    shown.notifications = view.notifications.map(({ outcome: _outcome, ...n }) => n);
  if (cpr !== undefined && d.identity !== 'none') shown.cpr = cpr;
  if (name !== undefined && showsName(d)) shown.name = name;
  if (earlierCases !== undefined && d.identity !== 'none') shown.earlierCases = [...earlierCases];
  return shown as Partial<V> & { cpr?: string | null; name?: string | null; earlierCases?: EarlierCase[] };
}

/**
 * Her earlier cases this caller may see: those where the disclosure (`of`, each case's own) shows
 * her identity too. Seeing both cases' identity is what allows linking them.
 */
export function earlierCasesShown<C>(earlier: readonly C[], of: (c: C) => Disclosure): C[] {
  return earlier.filter((c) => of(c).identity !== 'none');
}

/**
 * For each hand-off of the case whose class the disclosure shows (HANDOFF_CLASSES), the deadline to
 * acknowledge it (its HANDOFF_ACCEPTANCE_RULE milestone), by the hand-off's id.
 */
export function handoffDeadlinesShown<M extends { rule: string; key: string }>(
  d: Disclosure,
  handoffs: readonly { id: string; kind: HandoffKind }[],
  milestones: readonly M[],
): Map<string, M> {
  const shown = new Map<string, M>();
  for (const h of handoffs) {
    if (!d.classes.has(HANDOFF_CLASSES[h.kind])) continue;
    const deadline = milestones.find((m) => m.rule === HANDOFF_ACCEPTANCE_RULE && m.key === h.id);
    if (deadline) shown.set(h.id, deadline);
  }
  return shown;
}

/** Whether a milestone (or an alert of it) is shown. */
export function discloseMilestone(d: Disclosure, rule: string): boolean {
  return d.classes.has(milestoneClass(rule));
}
