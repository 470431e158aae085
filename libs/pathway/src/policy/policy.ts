import { refuse } from '../case/domain-error';

/**
 * The pathway policy: milestones, deadlines, gestational scaling and the escalation ladder, as data.
 * A case pins the policy (name and version) it started under.
 */
export type Basis = 'LAW' | 'REC' | 'PROP';
export const BASES: readonly Basis[] = ['LAW', 'REC', 'PROP'];

/** How a deadline's duration is counted: elapsed calendar time, Danish working days, or Monday–Friday. */
export type CalendarKind = 'calendar' | 'working-days' | 'weekdays';
export const CALENDAR_KINDS: readonly CalendarKind[] = ['calendar', 'working-days', 'weekdays'];

/** Whose obligation a milestone is, resolved to an organisation when it opens. */
export type OwnerKind =
  'referrer' | 'clinic' | 'municipality' | 'facility' | 'coordinator' | 'recipient' | 'former-municipality';
export const OWNER_KINDS: readonly OwnerKind[] = [
  'referrer',
  'clinic',
  'municipality',
  'facility',
  'coordinator',
  'recipient',
  'former-municipality',
];

export type LadderKind = 'warning' | 'breach' | 'escalation';

/**
 * The level-1 escalation step a milestone's schedule gets at the birth-imminent week when its ladder
 * has no level-1 escalation: a name no policy ladder may use.
 */
export const BIRTH_IMMINENT_STEP = 'birth-imminent';

export interface LadderStepSpec {
  /** Unique within the ladder: one fired event per (milestone instance, step). */
  step: string;
  kind: LadderKind;
  /** For escalations: 1 (team lead) or 2 (management). */
  level?: 1 | 2;
  /** When, as a fraction of the allowed time after the anchor (0.75 = 75 %). */
  fraction?: number;
  /** When, as an ISO 8601 duration after the anchor (absolute, not scaled). */
  after?: string;
  /** Never earlier than the due time plus this. */
  atLeastAfterDue?: string;
}

export interface DeadlineSpec {
  /** ISO 8601; whole days (PnD) for working-days and weekdays. */
  duration: string;
  calendar: CalendarKind;
  /** Round the due time up to the end of its local day. */
  endOfDay?: boolean;
  /** Never later than the start of the day this long before the estimated due date. */
  notLaterThanBeforeDueDate?: string;
}

export interface MilestoneRule {
  id: string;
  title: { da: string; en: string };
  basis: Basis;
  note?: string;
  owner: OwnerKind;
  /** Signals that open an instance (keyed, e.g. by hand-off id). */
  opensOn: string[];
  /** Signals that meet an open instance with the same key. */
  metBy: string[];
  /** Signals that close an open instance as waived (besides the policy-wide list). */
  waivedBy?: string[];
  deadline: DeadlineSpec;
  /** Scaled by the gestational week at the anchor; defaults to whether the basis is in scaling.appliesTo. */
  scaled?: boolean;
  /** A scaled or paused deadline never lies beyond anchor + this (the legal limit). */
  legalCap?: string;
  /** LAW clocks are never pausable. */
  pausable: boolean;
  /** Total pause allowed; defaults to pause.maxTotal. */
  maxPause?: string;
  /** Replaces the policy's ladder for this milestone. */
  ladder?: LadderStepSpec[];
  /** The clock starts this long before the estimated due date (unless one of the signals comes earlier). */
  anchor?: { dueDateMinus: string; unlessEarlier: string[] };
  /**
   * After each meeting a new instance opens, due after the cadence of the gestational week; after
   * the birth, only until `stopsAfterBirth` has passed (the post-birth window).
   */
  recurrence?: { cadence: { fromWeek: number; every: string }[]; stopsAfterBirth?: string };
  /** Paused while contact with her is lost (record-lost-contact) and resumed when it is restored. Never a LAW clock. */
  pausedByLostContact?: boolean;
}

export interface Policy {
  name: string;
  version: number;
  description?: string;
  timeZone: 'Europe/Copenhagen';
  scaling: { appliesTo: Basis[]; bands: { fromWeek: number; factor: number }[]; birthImminentWeek: number };
  pause: { maxTotal: string };
  ladder: LadderStepSpec[];
  waivedBy: string[];
  milestones: MilestoneRule[];
  /** How unacknowledged alerts are re-sent and climb; when absent, the default in alerts/alert.ts (DEFAULT_ALERT_POLICY). */
  alerts?: AlertPolicy;
  /** Close reasons that make an open LAW duty moot (close-case is refused otherwise); when absent, DEFAULT_MOOT_CLOSE_REASONS. */
  closure?: { mootReasons: string[] };
  /** The earliest gestational week a birth is plausible (record-birth is refused before); when absent, DEFAULT_BIRTH_PLAUSIBLE_FROM_WEEK. */
  birth?: { plausibleFromWeek: number };
}

/** Pregnancy ended, she moved abroad, she died: no Danish legal duty towards the pregnancy is left. */
export const DEFAULT_MOOT_CLOSE_REASONS: readonly string[] = ['pregnancy-ended', 'moved-abroad', 'died'];
export const DEFAULT_BIRTH_PLAUSIBLE_FROM_WEEK = 22;

export function mootCloseReasons(policy: Policy): readonly string[] {
  return policy.closure?.mootReasons ?? DEFAULT_MOOT_CLOSE_REASONS;
}

export function birthPlausibleFromWeek(policy: Policy): number {
  return policy.birth?.plausibleFromWeek ?? DEFAULT_BIRTH_PLAUSIBLE_FROM_WEEK;
}

/** How unacknowledged alerts are re-sent and climb (domain.md: critical every 30 minutes). */
export interface AlertPolicy {
  /** Per severity (info, high, critical), how often an unacknowledged alert is sent again (ISO 8601). No entry: never. */
  resendEvery: { info?: string; high?: string; critical?: string };
  /** After this many re-sends without acknowledgement the alert climbs to the next contact tier. */
  climbAfterResends: number;
}

export interface PolicyRef {
  name: string;
  version: number;
}

/** Every policy version the engine knows, and the one new cases start under. */
export interface PolicyRegistry {
  active: Policy;
  get(ref: PolicyRef): Policy | undefined;
}

export function policyRegistry(active: Policy, others: readonly Policy[] = []): PolicyRegistry {
  const byKey = new Map([...others, active].map((p) => [`${p.name}@${p.version}`, p]));
  return { active, get: (ref) => byKey.get(`${ref.name}@${ref.version}`) };
}

/** The policy of a version; a version the engine does not know is a configuration error: refused, POLICY_VERSION_UNKNOWN. */
export function policyFor(policies: PolicyRegistry, ref: PolicyRef): Policy {
  return (
    policies.get(ref) ?? refuse('POLICY_VERSION_UNKNOWN', `policy ${ref.name} version ${ref.version} is not loaded`)
  );
}

export function ruleOf(policy: Policy, id: string): MilestoneRule | undefined {
  return policy.milestones.find((m) => m.id === id);
}

export function isScaled(policy: Policy, rule: MilestoneRule): boolean {
  return rule.scaled ?? policy.scaling.appliesTo.includes(rule.basis);
}

/** The factor of the band the gestational week falls in. */
export function scalingFactor(policy: Policy, week: number): number {
  let factor = 1;
  for (const band of policy.scaling.bands) if (week >= band.fromWeek) factor = band.factor;
  return factor;
}
