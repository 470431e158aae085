import { DomainError, PLATFORM_ORGANISATION, ROLES, containsCpr, isOrganisationId, type Role } from '@app/pathway';

/** The authenticated caller: a subject, one role and the organisations it works for. */
export interface Principal {
  sub: string;
  role: Role;
  organisations: string[];
  /** The token's `name` claim (OIDC; the development sign-in's display name), when it has a usable one. */
  name?: string;
}

/** A display name that can be stored and shown: not empty, bounded, no control characters, no CPR number. */
export function usableName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200 || [...trimmed].some((c) => c < ' ' || c === '\u007f'))
    return undefined;
  return containsCpr(trimmed) ? undefined : trimmed;
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
  const name = usableName(claims.name);
  return { sub, role: role as Role, organisations: [...new Set(organisations)], ...(name ? { name } : {}) };
}

/** True when the principal works for one of the given organisations. */
export function sharesOrganisation(principal: Principal, organisations: readonly string[]): boolean {
  return principal.organisations.some((o) => organisations.includes(o));
}

/**
 * True when the principal administers the organisation: an admin its own organisation (the one its
 * token names), the platform administrator (an admin of PLATFORM_ORGANISATION) every organisation.
 * Administering is keeping the organisation's alert contacts and webhooks.
 */
export function administers(principal: Principal, organisationId: string): boolean {
  if (principal.role !== 'admin') return false;
  return isPlatformAdmin(principal) || principal.organisations.includes(organisationId);
}

/** True for the platform administrator: an admin of PLATFORM_ORGANISATION. */
export function isPlatformAdmin(principal: Principal): boolean {
  return principal.role === 'admin' && principal.organisations.includes(PLATFORM_ORGANISATION);
}

/** Refuses (403 NOT_PLATFORM_ADMIN) anyone but the platform administrator, naming what was asked for. */
export function requirePlatformAdmin(principal: Principal, what: string): void {
  if (!isPlatformAdmin(principal))
    throw new DomainError(
      'NOT_PLATFORM_ADMIN',
      `only the platform administrator (an admin of ${PLATFORM_ORGANISATION}) may ${what}`,
      'forbidden',
    );
}

/**
 * Refuses (403) a principal who neither works for the organisation nor administers it: an admin of
 * another organisation with NOT_ORGANISATION_ADMIN, anyone else with NOT_YOUR_ORGANISATION.
 */
export function requireOwnOrAdministered(principal: Principal, organisationId: string): void {
  if (principal.role === 'admin') requireAdministers(principal, organisationId);
  else if (!principal.organisations.includes(organisationId))
    throw new DomainError('NOT_YOUR_ORGANISATION', `your token does not name ${organisationId}`, 'forbidden');
}

/** Refuses (403 NOT_ORGANISATION_ADMIN) a principal who does not administer the organisation. */
export function requireAdministers(principal: Principal, organisationId: string): void {
  if (!administers(principal, organisationId))
    throw new DomainError(
      'NOT_ORGANISATION_ADMIN',
      `you do not administer ${organisationId}: an admin keeps its own organisation's contacts and webhooks`,
      'forbidden',
    );
}
