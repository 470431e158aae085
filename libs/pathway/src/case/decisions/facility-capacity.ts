import { isFull, PLACEHOLDER_FACILITIES, SEED_FACILITIES, type FacilityFacts } from '../../reference/facilities';
import type { DecisionContext } from '../actor';
import type { CaseEventData } from '../case.events';
import { refuse } from '../domain-error';

/** Without the platform's facilities in the context: the seed, occupancy unknown (see DecisionContext). */
const REFERENCE: readonly FacilityFacts[] = [...SEED_FACILITIES, ...PLACEHOLDER_FACILITIES].map((f) => ({
  ...f,
  occupied: 0,
}));

function findFacility(id: string, ctx: DecisionContext): FacilityFacts | undefined {
  return (ctx.facilities ?? REFERENCE).find((f) => f.id === id);
}

/** A placement goes to a known facility that has not been retired. */
export function placeableFacility(id: string, ctx: DecisionContext): void {
  const facility = findFacility(id, ctx);
  if (!facility) refuse('UNKNOWN_FACILITY', `${id} is not a residential facility`);
  if (facility.retiredAt)
    refuse('FACILITY_RETIRED', `${facility.name} (${id}) was retired at ${facility.retiredAt}: no new placements`);
}

/**
 * Admission into a full facility is refused unless its own staff (the admitting actor, checked by
 * the caller) overrides it with a reason; the override is recorded in the event. Occupancy is only
 * known with the platform's facilities in the context.
 */
export function admissionCapacity(
  id: string,
  overCapacityReason: string | undefined,
  ctx: DecisionContext,
): Pick<CaseEventData['AdmittedToResidential'], 'overCapacity'> {
  const facility = ctx.facilities?.find((f) => f.id === id);
  if (!facility || !isFull(facility)) return {};
  const taken = `${facility.occupied} of ${facility.places} places are taken`;
  if (!overCapacityReason?.trim())
    refuse(
      'FACILITY_FULL',
      `${facility.name} is full (${taken}); its staff may admit over capacity with overCapacityReason`,
    );
  return { overCapacity: { reason: overCapacityReason, occupied: facility.occupied, places: facility.places } };
}
