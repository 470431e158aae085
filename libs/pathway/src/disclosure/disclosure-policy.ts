import document from '../../policies/disclosure.v1.json';
import { CONSENT_SCOPES, type ConsentScope } from '../case/case.commands';
import { parseDuration } from '../time/duration';

/**
 * The classes of a case a caller may be shown. `referral` is the status of the referral itself
 * (what GET /v1/referrals shows); `logistics` includes it.
 */
export const DISCLOSURE_CLASSES = ['referral', 'logistics', 'decisions', 'clinical'] as const;
export type DisclosureClass = (typeof DISCLOSURE_CLASSES)[number];

/** How her identity is shown: the CPR number in full, masked (DDMMYY-xxxx), or not at all. */
export const IDENTITY_FORMS = ['full', 'masked', 'none'] as const;
export type IdentityForm = (typeof IDENTITY_FORMS)[number];

/** The parts a caller may hold in a case; `other`: a party organisation, but none of the parts before. */
export const PARTY_KINDS = [
  'referrer',
  'clinic',
  'municipality',
  'facility',
  'coordinator',
  'auditor',
  'admin',
  'other',
] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** More classes, once she has given one of the consents named (and not withdrawn it). */
export interface ConsentGrant {
  anyOf: ConsentScope[];
  sees: DisclosureClass[];
}

export interface PartyDisclosure {
  description: string;
  identity: IdentityForm;
  /** What this party sees whatever her consent. */
  sees: DisclosureClass[];
  withConsent: ConsentGrant[];
}

/** Who sees what of a case: data beside the pathway policy (libs/pathway/policies/disclosure.v1.json). */
export interface DisclosurePolicy {
  name: string;
  version: number;
  description: string;
  parties: Record<PartyKind, PartyDisclosure>;
  /**
   * How long a municipality the case moved away from keeps its part in the case (an ISO 8601
   * duration from the move): it hands the case over meanwhile. Then its access ends, unless it has
   * another part (it registered the concern, the coordinator works for it, the case moved back).
   */
  formerMunicipalityAccess: string;
}

export type DisclosurePolicyParse = { ok: true; policy: DisclosurePolicy } | { ok: false; problems: string[] };

/** Checks a disclosure policy document (parsed JSON): every problem is named by its field. */
export function parseDisclosurePolicy(input: unknown): DisclosurePolicyParse {
  const problems: string[] = [];
  const doc = object(
    input,
    '',
    ['name', 'version', 'description', 'parties', 'formerMunicipalityAccess', '$schema'],
    problems,
  );
  if (!doc) return { ok: false, problems };
  if (typeof doc.name !== 'string' || !/^[a-z][a-z0-9-]{0,62}$/.test(doc.name))
    problems.push('name: must be lower-case letters, digits and hyphens');
  if (!Number.isInteger(doc.version) || (doc.version as number) < 1)
    problems.push('version: must be a whole number from 1');
  if (typeof doc.description !== 'string' || !doc.description) problems.push('description: must be a non-empty string');
  if (typeof doc.formerMunicipalityAccess !== 'string' || !parseDuration(doc.formerMunicipalityAccess))
    problems.push(
      'formerMunicipalityAccess: must be an ISO 8601 duration (how long a municipality the case moved away from keeps access, e.g. P30D)',
    );
  const parties = object(doc.parties, 'parties', [...PARTY_KINDS], problems);
  if (parties) {
    for (const kind of PARTY_KINDS) {
      const at = `parties.${kind}`;
      if (parties[kind] === undefined) {
        problems.push(`${at}: is missing (every party kind must be decided: ${PARTY_KINDS.join(', ')})`);
        continue;
      }
      const party = object(parties[kind], at, ['description', 'identity', 'sees', 'withConsent'], problems);
      if (!party) continue;
      if (typeof party.description !== 'string' || !party.description)
        problems.push(`${at}.description: must be a non-empty string (why this party sees what it sees)`);
      if (!IDENTITY_FORMS.includes(party.identity as IdentityForm))
        problems.push(`${at}.identity: must be one of ${IDENTITY_FORMS.join(', ')}`);
      else if (party.identity === 'full' && kind !== 'municipality' && kind !== 'clinic')
        problems.push(
          `${at}.identity: the full CPR number is shown only to the responsible municipality and the case's clinic`,
        );
      classes(party.sees, `${at}.sees`, problems);
      if (!Array.isArray(party.withConsent)) problems.push(`${at}.withConsent: must be a list`);
      else
        party.withConsent.forEach((grant, i) => {
          const g = object(grant, `${at}.withConsent[${i}]`, ['anyOf', 'sees'], problems);
          if (!g) return;
          if (!Array.isArray(g.anyOf) || g.anyOf.length === 0)
            problems.push(`${at}.withConsent[${i}].anyOf: must list at least one consent scope`);
          else
            g.anyOf.forEach((scope, j) => {
              if (!CONSENT_SCOPES.includes(scope as ConsentScope))
                problems.push(`${at}.withConsent[${i}].anyOf[${j}]: must be one of ${CONSENT_SCOPES.join(', ')}`);
            });
          classes(g.sees, `${at}.withConsent[${i}].sees`, problems);
        });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, policy: input as DisclosurePolicy };
}

/** The disclosure policy shipped with Pathway (libs/pathway/policies/disclosure.v1.json). */
export function defaultDisclosurePolicy(): DisclosurePolicy {
  const parsed = parseDisclosurePolicy(document);
  if (!parsed.ok) throw new Error(`the default disclosure policy is invalid:\n  ${parsed.problems.join('\n  ')}`);
  return parsed.policy;
}

function object(
  value: unknown,
  at: string,
  allowed: readonly string[],
  problems: string[],
): Record<string, unknown> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${at || '(document)'}: must be an object`);
    return null;
  }
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) problems.push(`${at ? `${at}.` : ''}${key}: is not a known field`);
  return value as Record<string, unknown>;
}

function classes(value: unknown, at: string, problems: string[]): void {
  if (!Array.isArray(value)) return void problems.push(`${at}: must be a list`);
  value.forEach((c, i) => {
    if (!DISCLOSURE_CLASSES.includes(c as DisclosureClass))
      problems.push(`${at}[${i}]: must be one of ${DISCLOSURE_CLASSES.join(', ')}`);
  });
}
