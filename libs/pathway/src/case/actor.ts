/** Who acts: the token's subject, its role and the organisation it acts for. */
export const ROLES = ['referrer', 'clinic', 'municipality', 'facility', 'coordinator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  role: Role;
  /** The organisation the actor acts for on this case, e.g. `municipality:851`. */
  organisation: string;
}

/** What a decision may depend on besides the case: the time and the actor. */
export interface DecisionContext {
  now: Date;
  actor: Actor;
}
