import { PLACEHOLDER_FACILITIES, SEED_FACILITIES, type FacilityFacts } from '../../reference/facilities';
import type { Actor } from '../actor';
import type { CaseCommand } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import { fold } from '../case.state';
import { decide } from '../decide';
import { summarise } from '../case-summary';
import { AT, NOW, POLICIES, actors, after, registered } from '../testing/given-when-then';

/** Holmegaardshuset as the platform knows it: 2 places (domain.md), `occupied` of them taken now. */
const holmegaard = (occupied: number, changes: Partial<FacilityFacts> = {}): FacilityFacts => ({
  ...SEED_FACILITIES.find((f) => f.id === 'facility:holmegaardshuset')!,
  occupied,
  ...changes,
});

const readyToAdmit = [registered(), ...after.placementGranted, ...after.residentialConsent];

function decideWith(history: CaseEvent[], command: CaseCommand, actor: Actor, facilities?: FacilityFacts[]) {
  return decide(fold(history), command, { now: NOW, actor, policies: POLICIES, ...(facilities && { facilities }) });
}
const facts = (decision: ReturnType<typeof decide>) => {
  if (!decision.ok) throw new Error(`refused ${decision.error.code}: ${decision.error.message}`);
  return decision.events.filter((e) => e.type === 'AdmittedToResidential' || e.type === 'ResidentialPlacementGranted');
};
const refusal = (decision: ReturnType<typeof decide>) =>
  decision.ok ? decision.events.map((e) => e.type) : { code: decision.error.code, kind: decision.error.kind };

describe('admission and the facility’s places', () => {
  const admit = (data: { overCapacityReason?: string } = {}) => ({ type: 'admit-to-residential' as const, data });

  it('admits her while a place is free (1 of 2 taken), without an override', () => {
    expect(facts(decideWith(readyToAdmit, admit(), actors.facilityA, [holmegaard(1)]))).toEqual([
      event('AdmittedToResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' }),
    ]);
  });

  it('refuses admission into a full facility (2 of 2 taken) with FACILITY_FULL', () => {
    expect(refusal(decideWith(readyToAdmit, admit(), actors.facilityA, [holmegaard(2)]))).toEqual({
      code: 'FACILITY_FULL',
      kind: 'rule',
    });
    // Overbooked already: still full.
    expect(refusal(decideWith(readyToAdmit, admit(), actors.facilityA, [holmegaard(3)]))).toMatchObject({
      code: 'FACILITY_FULL',
    });
    // A blank reason is no reason.
    expect(
      refusal(decideWith(readyToAdmit, admit({ overCapacityReason: '  ' }), actors.facilityA, [holmegaard(2)])),
    ).toMatchObject({ code: 'FACILITY_FULL' });
  });

  it('admits her into a full facility when its own staff overrides with a reason, and records the override', () => {
    const reason = 'Week 34, no other place in the region; an extra bed in the family room.';
    expect(
      facts(decideWith(readyToAdmit, admit({ overCapacityReason: reason }), actors.facilityA, [holmegaard(2)])),
    ).toEqual([
      event('AdmittedToResidential', {
        occurredAt: AT,
        facility: 'facility:holmegaardshuset',
        overCapacity: { reason, occupied: 2, places: 2 },
      }),
    ]);
  });

  it('lets no one but the facility’s own staff admit (and so override): another facility is refused first', () => {
    expect(
      refusal(decideWith(readyToAdmit, admit({ overCapacityReason: 'x' }), actors.facilityB, [holmegaard(2)])),
    ).toEqual({ code: 'NOT_CASE_FACILITY', kind: 'forbidden' });
  });

  it('counts the places, not the retention places: a facility with 1 place and 0 retention places admits one woman', () => {
    const vibygaard = { ...SEED_FACILITIES.find((f) => f.id === 'facility:familiecentret-vibygaard')!, occupied: 0 };
    const granted = [
      registered(),
      ...after.placementRequested,
      event('ResidentialPlacementGranted', { occurredAt: AT, facility: vibygaard.id, handoffId: 'handoff-1' }),
      ...after.residentialConsent,
    ];
    const staff: Actor = { id: 'vera', role: 'facility', organisation: vibygaard.id };
    expect(facts(decideWith(granted, admit(), staff, [vibygaard]))).toHaveLength(1);
    expect(refusal(decideWith(granted, admit(), staff, [{ ...vibygaard, occupied: 1 }]))).toMatchObject({
      code: 'FACILITY_FULL',
    });
  });
});

describe('a placement names a known facility that is not retired', () => {
  const grant = (facility: string) => ({
    type: 'decide-residential-placement' as const,
    data: { decision: 'granted' as const, facility },
  });
  const requested = [registered(), ...after.placementRequested];

  it('grants a facility the administrator added (not in the seed) when the context knows it', () => {
    const added: FacilityFacts = { ...holmegaard(0), id: 'facility:moedrehjemmet', name: 'Mødrehjemmet' };
    expect(facts(decideWith(requested, grant(added.id), actors.aalborg, [added]))).toEqual([
      event('ResidentialPlacementGranted', { occurredAt: AT, facility: added.id, handoffId: 'handoff-1' }),
    ]);
    // Unknown to the platform: refused, even though the seed has it.
    expect(refusal(decideWith(requested, grant('facility:holmegaardshuset'), actors.aalborg, [added]))).toEqual({
      code: 'UNKNOWN_FACILITY',
      kind: 'rule',
    });
  });

  it('refuses a retired facility with FACILITY_RETIRED: the placeholders are retired by the seed', () => {
    for (const placeholder of PLACEHOLDER_FACILITIES)
      expect(refusal(decideWith(requested, grant(placeholder.id), actors.aalborg))).toMatchObject({
        code: 'FACILITY_RETIRED',
      });
    const retired = holmegaard(0, { retiredAt: '2026-11-01T00:00:00.000Z' });
    expect(refusal(decideWith(requested, grant(retired.id), actors.aalborg, [retired]))).toMatchObject({
      code: 'FACILITY_RETIRED',
    });
  });

  it('still folds and shows a case recorded with a placeholder facility, admitted and discharged', () => {
    const old = 'facility:residential-a';
    const history = [
      registered(),
      ...after.placementRequested,
      event('ResidentialPlacementGranted', { occurredAt: AT, facility: old, handoffId: 'handoff-1' }),
      ...after.residentialConsent,
      event('AdmittedToResidential', { occurredAt: AT, facility: old }),
    ];
    const state = fold(history);
    expect(state.status === 'open' && state.admission).toEqual({ facility: old, admittedAt: AT });
    expect(summarise(state as never)).toMatchObject({ admission: { facility: old } });
    // Her facility's staff can still discharge her.
    const staff: Actor = { id: 'karen', role: 'facility', organisation: old };
    expect(
      decideWith(history, { type: 'discharge-from-residential', data: {} }, staff).ok &&
        refusal(decideWith(history, { type: 'discharge-from-residential', data: {} }, staff)),
    ).toEqual(['DischargedFromResidential']);
  });
});
