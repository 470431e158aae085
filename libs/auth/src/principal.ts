import { ROLES, isOrganisationId, type Role } from '@app/pathway';

/** The authenticated caller: a subject, one role and the organisations it works for. */
export interface Principal {
  sub: string;
  role: Role;
  organisations: string[];
}

/** Reads a principal from verified JWT claims; null when a claim is missing or malformed. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  const { sub, role, org } = claims;
  // No control characters: the subject is stored with every event it causes.
  if (
    typeof sub !== 'string' ||
    sub.length === 0 ||
    sub.length > 200 ||
    [...sub].some((c) => c < ' ' || c === '\u007f')
  )
    return null;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return null;
  const organisations = typeof org === 'string' ? [org] : org;
  if (!Array.isArray(organisations) || organisations.length === 0 || organisations.length > 50) return null;
  if (!organisations.every((o): o is string => typeof o === 'string' && isOrganisationId(o))) return null;
  return { sub, role: role as Role, organisations: [...new Set(organisations)] };
}

/** True when the principal works for one of the given organisations. */
export function sharesOrganisation(principal: Principal, organisations: readonly string[]): boolean {
  return principal.organisations.some((o) => organisations.includes(o));
}
