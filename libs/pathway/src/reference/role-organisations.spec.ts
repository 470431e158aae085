import { ROLES } from '../case/actor';
import { NATIONAL_AUTHORITY, ORGANISATIONS, PLATFORM_ORGANISATION } from './organisations';
import {
  ROLE_ORGANISATION_KINDS,
  organisationKind,
  roleFitsOrganisation,
  roleOrganisationMismatch,
  rolesOfOrganisation,
} from './role-organisations';

describe('which organisations a role may hold', () => {
  it('is the table of the issue, role by role', () => {
    expect(ROLE_ORGANISATION_KINDS).toEqual({
      referrer: [
        'gp',
        'midwife',
        'shelter',
        'crisis_centre',
        'substance_treatment',
        'health_visitor',
        'hospital',
        'other',
      ],
      clinic: ['clinic'],
      municipality: ['municipality'],
      facility: ['facility'],
      coordinator: ['municipality', 'clinic'],
      auditor: ['municipality', 'region', 'authority'],
      admin: expect.arrayContaining(['municipality', 'clinic', 'facility', 'region', 'authority', 'gp', 'platform']),
    });
  });

  it.each([
    ['gp:hansen', 'gp'],
    ['shelter:kirkens-korshaer-aalborg', 'shelter'],
    ['crisis_centre:aalborg', 'crisis_centre'],
    ['crisis-centre:aalborg', 'crisis_centre'],
    ['substance-treatment:aalborg', 'substance_treatment'],
    ['municipality:851', 'municipality'],
    ['region:1081', 'region'],
    [NATIONAL_AUTHORITY, 'authority'],
    [PLATFORM_ORGANISATION, 'platform'],
  ])('reads %s as a %s', (id, kind) => {
    expect(organisationKind(id)).toBe(kind);
  });

  it.each(['authority:bench', 'pathway:engine', 'pathway:other', 'superuser:x', 'Municipality:851', 'gp', ''])(
    'gives %j no kind',
    (id) => {
      expect(organisationKind(id)).toBeNull();
    },
  );

  it.each([
    ['referrer', 'gp:hansen'],
    ['referrer', 'midwife:aalborg'],
    ['referrer', 'hospital:aalborg'],
    ['referrer', 'other:red-cross'],
    ['referrer', 'crisis-centre:aalborg'],
    ['clinic', 'clinic:1081'],
    ['municipality', 'municipality:851'],
    ['facility', 'facility:holmegaardshuset'],
    ['coordinator', 'municipality:851'],
    ['coordinator', 'clinic:1081'],
    ['auditor', 'municipality:851'],
    ['auditor', 'region:1081'],
    ['auditor', NATIONAL_AUTHORITY],
    ['admin', 'municipality:851'],
    ['admin', 'gp:hansen'],
    ['admin', 'facility:holmegaardshuset'],
    ['admin', PLATFORM_ORGANISATION],
  ] as const)('lets a %s hold %s', (role, id) => {
    expect(roleFitsOrganisation(role, id)).toBe(true);
    expect(roleOrganisationMismatch(role, [id])).toBeNull();
  });

  it.each([
    ['referrer', 'municipality:851'],
    ['referrer', 'clinic:1081'],
    ['referrer', PLATFORM_ORGANISATION],
    ['clinic', 'municipality:851'],
    ['facility', 'municipality:851'],
    ['municipality', 'clinic:1081'],
    ['municipality', 'region:1081'],
    ['coordinator', 'facility:holmegaardshuset'],
    ['coordinator', 'gp:hansen'],
    ['auditor', 'facility:holmegaardshuset'],
    ['auditor', 'gp:hansen'],
    ['auditor', 'authority:bench'],
    ['auditor', PLATFORM_ORGANISATION],
    ['admin', 'pathway:engine'],
    ['admin', 'superuser:x'],
  ] as const)('refuses a %s holding %s, and says why', (role, id) => {
    expect(roleFitsOrganisation(role, id)).toBe(false);
    expect(roleOrganisationMismatch(role, [id])).toMatch(new RegExp(`^an? ${role} works for .*, not ${id}$`));
  });

  it('needs every organisation of a token to fit, and an admin to name one only', () => {
    expect(roleOrganisationMismatch('municipality', ['municipality:851', 'municipality:860'])).toBeNull();
    expect(roleOrganisationMismatch('municipality', ['municipality:851', 'clinic:1081'])).toMatch(/not clinic:1081$/);
    expect(roleOrganisationMismatch('admin', ['municipality:851', 'municipality:860'])).toBe(
      'an admin administers one organisation; the token names 2',
    );
    expect(roleOrganisationMismatch('admin', ['municipality:851', PLATFORM_ORGANISATION])).toMatch(/one organisation/);
    expect(roleOrganisationMismatch('referrer', ['clinic:1081'])).toBe(
      'a referrer works for a referrer organisation (gp:…, midwife:…, shelter:…, crisis_centre:…, substance_treatment:…, health_visitor:…, hospital:…, other:…), not clinic:1081',
    );
    expect(roleOrganisationMismatch('auditor', ['facility:holmegaardshuset'])).toBe(
      'an auditor works for municipality:… or region:… or authority:national, not facility:holmegaardshuset',
    );
  });

  it('gives every reference organisation a kind and at least one role, and the admin role to each', () => {
    for (const o of ORGANISATIONS) {
      expect(organisationKind(o.id)).toBe(o.kind);
      expect(rolesOfOrganisation(o.id)).toContain('admin');
    }
    expect(rolesOfOrganisation('municipality:851')).toEqual(['municipality', 'coordinator', 'auditor', 'admin']);
    expect(rolesOfOrganisation('gp:hansen')).toEqual(['referrer', 'admin']);
    expect(rolesOfOrganisation(PLATFORM_ORGANISATION)).toEqual(['admin']);
    expect(ROLES.every((r) => ORGANISATIONS.some((o) => roleFitsOrganisation(r, o.id)))).toBe(true);
  });
});
