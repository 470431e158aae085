/**
 * Residential facilities (døgnbehandlingstilbud) are reference data the platform administrator
 * manages: added, changed and retired through the API and stored in PostgreSQL. The domain knows
 * only their shape, the seed that ships with a fresh installation (domain.md) and the placeholders
 * it replaced; the decider receives the facts it needs (`FacilityFacts`) in its context.
 */
export interface ResidentialFacility {
  /** `facility:<slug>`. */
  id: string;
  name: string;
  /** Who runs it: `private`, a municipality or a region, in words. */
  owner: string;
  /** The municipality it lies in (official code); its region follows. */
  municipalityCode: string;
  /** Places for pregnant women. */
  places: number;
  /** Of those, places where a retention contract can be kept. */
  retentionPlaces: number;
  /** Retired: kept for the cases that name it, no new placements. */
  retiredAt: string | null;
}

/** What a decision needs to know of a facility: its reference data and the women admitted there now. */
export interface FacilityFacts extends ResidentialFacility {
  /** Women admitted and not discharged, in open cases (the capacity report's occupancy). */
  occupied: number;
}

export const FACILITY_ID_PATTERN = /^facility:[a-z0-9][a-z0-9-]{0,62}$/;

/** The facilities named in domain.md (the regional reports): the seed of a fresh installation. */
export const SEED_FACILITIES: readonly ResidentialFacility[] = [
  {
    id: 'facility:holmegaardshuset',
    name: 'Holmegaardshuset',
    owner: 'private',
    municipalityCode: '370',
    places: 2,
    retentionPlaces: 2,
    retiredAt: null,
  },
  {
    id: 'facility:familiecentret-vibygaard',
    name: 'Familiecentret Vibygård',
    owner: 'private',
    municipalityCode: '265',
    places: 1,
    retentionPlaces: 0,
    retiredAt: null,
  },
  {
    id: 'facility:kastaniegaarden',
    name: 'Kastaniegården (Plan A)',
    owner: 'private; admits from the whole country',
    municipalityCode: '390',
    places: 5,
    retentionPlaces: 5,
    retiredAt: null,
  },
];

/** When the placeholders were retired by the seed (migration Facilities1763900000017). */
export const PLACEHOLDERS_RETIRED_AT = '2026-12-04T00:00:00.000Z';

/**
 * The neutral placeholders shipped before the real facilities were known. Retired: recorded cases
 * that name them still fold and display, no new placement goes to them.
 */
export const PLACEHOLDER_FACILITIES: readonly ResidentialFacility[] = [
  {
    id: 'facility:residential-a',
    name: 'Døgnbehandlingstilbud A',
    owner: 'unknown (placeholder)',
    municipalityCode: '101',
    places: 2,
    retentionPlaces: 2,
    retiredAt: PLACEHOLDERS_RETIRED_AT,
  },
  {
    id: 'facility:residential-b',
    name: 'Døgnbehandlingstilbud B',
    owner: 'unknown (placeholder)',
    municipalityCode: '101',
    places: 5,
    retentionPlaces: 5,
    retiredAt: PLACEHOLDERS_RETIRED_AT,
  },
];

/** A facility is full when every place for pregnant women is taken. */
export function isFull(facility: FacilityFacts): boolean {
  return facility.occupied >= facility.places;
}
