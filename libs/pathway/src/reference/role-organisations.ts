import { ROLES, type Role } from '../case/actor';
import {
  NATIONAL_AUTHORITY,
  PLATFORM_ORGANISATION,
  REFERRER_ORGANISATION_KINDS,
  type OrganisationKind,
} from './organisations';

const ORGANISATION_ID = /^([a-z][a-z_-]*):[A-Za-z0-9._-]+$/;

/** True for a well-formed organisation id, `<kind>:<id>` (`municipality:851`, `gp:hansen`). */
export function isOrganisationId(text: string): boolean {
  return ORGANISATION_ID.test(text);
}

/** The kinds any one organisation may be of (the platform's own administration apart). */
const OWN_KINDS: readonly OrganisationKind[] = [
  'municipality',
  'clinic',
  'facility',
  'region',
  'authority',
  ...REFERRER_ORGANISATION_KINDS,
];

/**
 * Which organisation kinds each role may hold. A referrer works for a referrer organisation (a GP,
 * midwife, shelter, …), the clinic roles for a clinic, and so on; an auditor for a municipality, a
 * region or the national authority; an admin for any one organisation, which it administers, or
 * for the platform (PLATFORM_ORGANISATION), which administers them all.
 */
export const ROLE_ORGANISATION_KINDS: { readonly [R in Role]: readonly OrganisationKind[] } = {
  referrer: REFERRER_ORGANISATION_KINDS,
  clinic: ['clinic'],
  municipality: ['municipality'],
  facility: ['facility'],
  coordinator: ['municipality', 'clinic'],
  auditor: ['municipality', 'region', 'authority'],
  admin: [...OWN_KINDS, 'platform'],
};

/**
 * The kind of an organisation id: its prefix (`gp:hansen` is a `gp`; the hyphenated spelling
 * `crisis-centre:…` reads as `crisis_centre`). There is one national authority and one platform:
 * other `authority:` or `pathway:` ids (such as the engine's `pathway:engine`) have no kind, and
 * neither has a malformed id or an unknown prefix.
 */
export function organisationKind(organisationId: string): OrganisationKind | null {
  if (organisationId === PLATFORM_ORGANISATION) return 'platform';
  const m = ORGANISATION_ID.exec(organisationId);
  if (!m) return null;
  const kind = m[1].replace(/-/g, '_') as OrganisationKind;
  if (kind === 'authority') return organisationId === NATIONAL_AUTHORITY ? kind : null;
  return OWN_KINDS.includes(kind) ? kind : null;
}

/** True when a token of this role may name this organisation (ROLE_ORGANISATION_KINDS). */
export function roleFitsOrganisation(role: Role, organisationId: string): boolean {
  const kind = organisationKind(organisationId);
  return kind !== null && ROLE_ORGANISATION_KINDS[role].includes(kind);
}

/** The roles a token naming this organisation may have. */
export function rolesOfOrganisation(organisationId: string): Role[] {
  return ROLES.filter((role) => roleFitsOrganisation(role, organisationId));
}

/**
 * Why a token's role does not fit its organisations, for people; null when it does. Every
 * organisation must fit the role, and an admin names exactly one organisation (the one it
 * administers).
 */
export function roleOrganisationMismatch(role: Role, organisations: readonly string[]): string | null {
  if (role === 'admin' && organisations.length > 1)
    return `an admin administers one organisation; the token names ${organisations.length}`;
  const misfit = organisations.find((o) => !roleFitsOrganisation(role, o));
  if (misfit === undefined) return null;
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} works for ${describeKinds(ROLE_ORGANISATION_KINDS[role])}, not ${misfit}`;
}

function describeKinds(kinds: readonly OrganisationKind[]): string {
  if (kinds.includes('platform')) return 'one organisation of any kind, or the platform';
  const parts = kinds.map((k) => (k === 'authority' ? NATIONAL_AUTHORITY : `${k}:…`));
  return kinds === REFERRER_ORGANISATION_KINDS ? `a referrer organisation (${parts.join(', ')})` : parts.join(' or ');
}
