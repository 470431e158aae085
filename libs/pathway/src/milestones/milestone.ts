import type { Person } from '../case/case.commands';
import type { Basis, CalendarKind, LadderKind, PolicyRef } from '../policy/policy';

export type MilestoneStatus = 'open' | 'paused' | 'met' | 'breached' | 'waived';

/**
 * The status people see at a moment: an open milestone whose clock has not started yet (its anchor
 * lies ahead, e.g. the post-birth plan before 28 days ahead of the due date) is `scheduled`, and is
 * in no work queue until it opens. Derived from the recorded status and the anchor, never stored.
 */
export type ShownMilestoneStatus = MilestoneStatus | 'scheduled';
export const SHOWN_MILESTONE_STATUSES: readonly ShownMilestoneStatus[] = [
  'scheduled',
  'open',
  'paused',
  'met',
  'breached',
  'waived',
];

export function shownStatus(m: Pick<Milestone, 'status' | 'anchor'>, now: Date): ShownMilestoneStatus {
  return m.status === 'open' && Date.parse(m.anchor.at) > now.getTime() ? 'scheduled' : m.status;
}

/** A step of a milestone's escalation ladder, at a computed instant. */
export interface ScheduledStep {
  step: string;
  kind: LadderKind;
  level?: 1 | 2;
  at: string;
}

export interface Pause {
  from: string;
  to: string | null;
  reason: string;
  /** When the pause allowance runs out and the clock runs again by itself. */
  resumeBy?: string;
}

/**
 * The time spent paused up to `until`: each pause from its start to its end, or to `until` while it
 * goes on (a pause counts nothing before it began).
 */
export function pausedMsUntil(pauses: readonly Pause[], until: Date | string): number {
  const end = typeof until === 'string' ? Date.parse(until) : until.getTime();
  return pauses.reduce((sum, p) => sum + Math.max(0, (p.to ? Date.parse(p.to) : end) - Date.parse(p.from)), 0);
}

/** The pauses with the one still going ended at `at`. */
export function closePauses(pauses: readonly Pause[], at: string): Pause[] {
  return pauses.map((p) => (p.to ? p : { ...p, to: at }));
}

/** Why a milestone is due when it is: everything that went into the computed due time. */
export interface Explanation {
  policy: PolicyRef;
  rule: string;
  basis: Basis;
  anchor: { signal: string; at: string };
  calendar: CalendarKind;
  duration: string;
  /** The due time before scaling, caps and pauses. */
  unscaledDueAt: string;
  endOfDay: boolean;
  scaling: { week: number; factor: number } | null;
  legalCap: { duration: string; at: string; applied: boolean } | null;
  notLaterThan: { beforeDueDate: string; at: string; applied: boolean } | null;
  pauses: Pause[];
  /** Pause time counted into the due time (at most maxPause). */
  pausedMs: number;
  maxPause: string | null;
  /**
   * The birth-imminent moment (domain.md: from week 37 every open milestone escalates at once): the
   * policy's birth-imminent week, the instant it begins, the level-1 escalation step it brings
   * forward (`escalation-1`, or the `birth-imminent` step added to a ladder without one) and whether
   * it did (it came before the step's own time). That step falls at the earlier of its own time and
   * this instant, never before the anchor. Null once she has given birth or the pregnancy has ended.
   * Absent from schedules recorded before the moment was part of the schedule: see
   * legacy-birth-imminent.ts.
   */
  birthImminent?: BirthImminentMoment | null;
  dueAt: string;
  /**
   * Who owned the obligation before, and when and why it moved (the responsible municipality
   * changed): the due time is kept. Absent while it never moved. Kept across reschedules.
   */
  ownerChanges?: OwnerChange[];
}

export interface OwnerChange {
  from: string;
  to: string;
  at: string;
  reason: 'municipality-transferred';
}

export interface BirthImminentMoment {
  week: number;
  at: string;
  step: string;
  applied: boolean;
}

/** The schedule of a milestone: due time, ladder and explanation. */
export interface Schedule {
  dueAt: string;
  ladder: ScheduledStep[];
  explanation: Explanation;
}

export interface Milestone {
  /** Instance id, unique in the case: `<rule>-<n>`. */
  id: string;
  rule: string;
  /** What the instance is about (a hand-off id, a notification id) or '' for one-per-case rules. */
  key: string;
  /** The organisation whose obligation it is. */
  owner: string;
  policy: PolicyRef;
  status: MilestoneStatus;
  openedAt: string;
  anchor: { signal: string; at: string };
  dueAt: string;
  ladder: (ScheduledStep & { firedAt: string | null })[];
  pauses: Pause[];
  /** Bumped whenever the schedule changes: timer ids carry it, so a superseded job does nothing. */
  generation: number;
  closedAt: string | null;
  /** Met after its due time. */
  late: boolean;
  explanation: Explanation;
  /** Since when contact with her has been lost, while it is and the milestone is active (see lostContactEffect). */
  contactLostSince?: string;
  /** Who of the owner organisation does it (assign-milestone, claim-milestone); absent while nobody is. */
  assignee?: Person;
}

/**
 * Whether a schedule was recorded before the birth-imminent moment was part of it: its explanation
 * has no `birthImminent` (null is a new schedule without the moment). See legacy-birth-imminent.ts.
 */
export function isLegacySchedule(explanation: Explanation): boolean {
  return explanation.birthImminent === undefined;
}

/**
 * The highest ladder step fired so far: the level shown to people (warning < breach < escalation-1 <
 * escalation-2), whatever the order of the steps in the ladder (a birth-imminent step comes last).
 */
export function ladderLevel(m: Milestone): string | null {
  const rank = (s: ScheduledStep) => (s.kind === 'warning' ? 1 : s.kind === 'breach' ? 2 : 2 + (s.level ?? 1));
  let highest: ScheduledStep | null = null;
  for (const s of m.ladder) if (s.firedAt && (!highest || rank(s) > rank(highest))) highest = s;
  if (!highest) return null;
  return highest.kind === 'escalation' ? `escalation-${highest.level ?? 1}` : highest.kind;
}

export function isActive(m: Milestone): boolean {
  return m.status === 'open' || m.status === 'paused' || m.status === 'breached';
}
