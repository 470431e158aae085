import type { DisclosurePolicy } from '../disclosure/disclosure-policy';
import type { PolicyRegistry } from '../policy/policy';
import type { FacilityFacts } from '../reference/facilities';
import type { Person } from './case.commands';

/** Who acts: the token's subject, its role and the organisation it acts for. */
export const ROLES = ['referrer', 'clinic', 'municipality', 'facility', 'coordinator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The engine itself (timers firing): never a token's role. */
export type ActorRole = Role | 'system';

export interface Actor {
  id: string;
  role: ActorRole;
  /** The organisation the actor acts for on this case, e.g. `municipality:851`. */
  organisation: string;
}

/**
 * What a decision may depend on besides the case: the time, the actor, the pathway policies and the
 * disclosure policy (how long a municipality the case leaves keeps access; the default one if absent).
 */
export interface DecisionContext {
  now: Date;
  actor: Actor;
  policies: PolicyRegistry;
  disclosure?: DisclosurePolicy;
  /**
   * The residential facilities as the platform manages them, with their occupancy now. Given by the
   * case writer for the commands that name or fill a facility; without it (replays, synthetic
   * courses) the seed is the reference and occupancy is not known, so capacity is not checked.
   */
  facilities?: readonly FacilityFacts[];
  /**
   * The directory's entries (one per organisation she belongs to) of the person a command assigns,
   * or of the caller for a claim, as the case writer looked them up. Without them nobody can be
   * assigned (PERSON_NOT_IN_ORGANISATION).
   */
  people?: readonly Person[];
}
