import { isActive } from '../milestones/milestone';
import { findMunicipality, type RegionCode } from '../reference/organisations';
import { BIRTH_IMMINENT_WEEK, gestationalAge, type GestationalAge } from '../time/gestation';
import { stageOf, type OpenCase, type Stage } from './case.state';

/**
 * What a case looks like from outside: its state without the CPR envelope, plus derived facts.
 * Milestones are read through their own read model (GET /v1/cases/{id}/milestones).
 */
export type CaseSummary = Omit<
  OpenCase,
  'encryptedCpr' | 'municipality' | 'milestones' | 'milestoneCounts' | 'factVersion' | 'alerts'
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

function summaryOf(state: OpenCase): CaseSummary {
  const { encryptedCpr, municipality, milestones, milestoneCounts: _counts, factVersion, alerts, ...rest } = state;
  const m = findMunicipality(municipality);
  return {
    ...rest,
    // People see the facts' version: the ETag and If-Match of the API.
    version: factVersion,
    stage: stageOf(state),
    municipality: { code: municipality, name: m?.name ?? municipality, region: m?.region ?? ('' as RegionCode) },
    hasCpr: encryptedCpr !== null,
    openMilestones: Object.values(milestones).filter(isActive).length,
    openAlerts: Object.values(alerts).filter((a) => a.status === 'open').length,
  };
}

/** What the gestational age depends on. */
export type Pregnancy = Pick<CaseSummary, 'estimatedDueDate' | 'birthAt' | 'pregnancyEnded' | 'status'>;

/** Her gestational age at `now` while she is pregnant (an open case, no birth, not ended); else null. */
export function pregnancyAt(p: Pregnancy, now: Date): { age: GestationalAge; birthImminent: boolean } | null {
  if (p.birthAt || p.pregnancyEnded || p.status !== 'open') return null;
  const age = gestationalAge(p.estimatedDueDate, now);
  return { age, birthImminent: age.weeks >= BIRTH_IMMINENT_WEEK };
}

export function viewAt(summary: CaseSummary, now: Date): CaseView {
  const pregnancy = pregnancyAt(summary, now);
  return {
    ...summary,
    gestationalAge: pregnancy && { weeks: pregnancy.age.weeks, days: pregnancy.age.extraDays },
    birthImminent: pregnancy?.birthImminent ?? false,
  };
}
