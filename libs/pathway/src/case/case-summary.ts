import { isActive } from '../milestones/milestone';
import type { PolicyRef, PolicyRegistry } from '../policy/policy';
import { findMunicipality, type RegionCode } from '../reference/organisations';
import { gestationalAge, type GestationalAge } from '../time/gestation';
import { FIRST_POLICY, stageOf, type OpenCase, type Stage } from './case.state';

/**
 * What a case looks like from outside: its state (hasCpr for cprRecorded), plus derived facts.
 * Milestones are read through their own read model (GET /v1/cases/{id}/milestones).
 */
export type CaseSummary = Omit<
  OpenCase,
  'cprRecorded' | 'municipality' | 'milestones' | 'milestoneCounts' | 'factVersion' | 'alerts'
> & {
  stage: Stage;
  municipality: { code: string; name: string; region: RegionCode };
  hasCpr: boolean;
  openMilestones: number;
  /** Alerts nobody has acknowledged yet (the alerts themselves: GET /v1/alerts). */
  openAlerts: number;
};

/** The summary at a moment: adds what changes with time alone (the gestational age). */
export type CaseView = CaseSummary & {
  gestationalAge: { weeks: number; days: number } | null;
  birthImminent: boolean;
};

/** States are never changed in place (evolve copies), so a state's summary can be remembered. */
const summaries = new WeakMap<OpenCase, CaseSummary>();

export function summarise(state: OpenCase): CaseSummary {
  const known = summaries.get(state);
  if (known) return known;
  const summary = summaryOf(state);
  summaries.set(state, summary);
  return summary;
}

/** What a summary does not copy from a state: the stream's version (it shows the facts'), and what it counts or leaves out. */
const NOT_COPIED: ReadonlySet<string> = new Set(['version', 'milestones', 'milestoneCounts', 'alerts']);

/**
 * True when `after`'s summary is `before`'s, its open alerts aside, told without building either:
 * evolve copies only what an event changes, so when every field the summary copies is the very same
 * value and as many milestones are open, the summary is the same. False means only "not told this
 * way" (a field copied anew with the same content): compare the summaries then.
 */
export function sameSummaryFields(before: OpenCase, after: OpenCase): boolean {
  const differs = (a: OpenCase, b: OpenCase) =>
    Object.keys(a).some((key) => !NOT_COPIED.has(key) && a[key as keyof OpenCase] !== b[key as keyof OpenCase]);
  return !differs(after, before) && !differs(before, after) && openMilestones(before) === openMilestones(after);
}

const openMilestones = (state: OpenCase) => Object.values(state.milestones).filter(isActive).length;

/** Of the fields it leaves out (NOT_COPIED), a summary reads only the open milestones and alerts: sameSummaryFields relies on that. */
function summaryOf(state: OpenCase): CaseSummary {
  const {
    cprRecorded,
    municipality,
    milestones: _milestones,
    milestoneCounts: _counts,
    factVersion,
    alerts,
    ...rest
  } = state;
  const m = findMunicipality(municipality);
  return {
    ...rest,
    // People see the facts' version: the ETag and If-Match of the API.
    version: factVersion,
    stage: stageOf(state),
    municipality: { code: municipality, name: m?.name ?? municipality, region: m?.region ?? ('' as RegionCode) },
    hasCpr: cprRecorded,
    openMilestones: openMilestones(state),
    openAlerts: Object.values(alerts).filter((a) => a.status === 'open').length,
  };
}

/** What the gestational age depends on, and the policy that says from which week the birth is imminent. */
export type Pregnancy = Pick<CaseSummary, 'estimatedDueDate' | 'birthAt' | 'pregnancyEnded' | 'status'> & {
  /** Absent in summaries written before cases recorded their policy: version 1 (FIRST_POLICY). */
  policy?: PolicyRef;
};

/**
 * Her gestational age at `now` while she is pregnant (an open case, no birth, not ended), and whether
 * the birth is imminent then: from the birth-imminent week of her case's policy, the week from which
 * the engine escalates. Else null.
 */
export function pregnancyAt(
  p: Pregnancy,
  now: Date,
  policies: PolicyRegistry,
): { age: GestationalAge; birthImminent: boolean } | null {
  if (p.birthAt || p.pregnancyEnded || p.status !== 'open') return null;
  const age = gestationalAge(p.estimatedDueDate, now);
  return { age, birthImminent: age.weeks >= birthImminentWeek(policies, p.policy ?? FIRST_POLICY) };
}

/**
 * The birth-imminent week of a policy version. A read does not fail on a version this process has
 * not loaded yet (another process registered it since): it reads the active policy's week.
 */
function birthImminentWeek(policies: PolicyRegistry, ref: PolicyRef): number {
  return (policies.get(ref) ?? policies.active).scaling.birthImminentWeek;
}

export function viewAt(summary: CaseSummary, now: Date, policies: PolicyRegistry): CaseView {
  const pregnancy = pregnancyAt(summary, now, policies);
  return {
    ...summary,
    gestationalAge: pregnancy && { weeks: pregnancy.age.weeks, days: pregnancy.age.extraDays },
    birthImminent: pregnancy?.birthImminent ?? false,
  };
}
