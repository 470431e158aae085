import { REFERRER_KINDS, type ReferrerKind } from '../case/case.commands';
import { PLACEHOLDER_FACILITIES, SEED_FACILITIES } from './facilities';

/**
 * Reference data: the 5 regions, the 98 municipalities with their official codes, one family
 * outpatient clinic per region, the residential facilities, the national authority, the platform
 * and a handful of example referrer organisations. Organisation ids have the form `<kind>:<id>`
 * and are what tokens carry in their `org` claim; the prefix is the organisation's kind (see
 * role-organisations.ts for which roles each kind may hold).
 */
export type RegionCode = '1081' | '1082' | '1083' | '1084' | '1085';

export interface Region {
  code: RegionCode;
  name: string;
}

export interface Municipality {
  code: string;
  name: string;
  region: RegionCode;
}

export interface Clinic {
  id: string;
  name: string;
  region: RegionCode;
}

export const REGIONS: readonly Region[] = [
  { code: '1081', name: 'Region Nordjylland' },
  { code: '1082', name: 'Region Midtjylland' },
  { code: '1083', name: 'Region Syddanmark' },
  { code: '1084', name: 'Region Hovedstaden' },
  { code: '1085', name: 'Region Sjælland' },
];

const byRegion: Record<RegionCode, string> = {
  '1084':
    '101 København,147 Frederiksberg,151 Ballerup,153 Brøndby,155 Dragør,157 Gentofte,159 Gladsaxe,161 Glostrup,' +
    '163 Herlev,165 Albertslund,167 Hvidovre,169 Høje-Taastrup,173 Lyngby-Taarbæk,175 Rødovre,183 Ishøj,185 Tårnby,' +
    '187 Vallensbæk,190 Furesø,201 Allerød,210 Fredensborg,217 Helsingør,219 Hillerød,223 Hørsholm,230 Rudersdal,' +
    '240 Egedal,250 Frederikssund,260 Halsnæs,270 Gribskov,400 Bornholm',
  '1085':
    '253 Greve,259 Køge,265 Roskilde,269 Solrød,306 Odsherred,316 Holbæk,320 Faxe,326 Kalundborg,329 Ringsted,' +
    '330 Slagelse,336 Stevns,340 Sorø,350 Lejre,360 Lolland,370 Næstved,376 Guldborgsund,390 Vordingborg',
  '1083':
    '410 Middelfart,420 Assens,430 Faaborg-Midtfyn,440 Kerteminde,450 Nyborg,461 Odense,479 Svendborg,480 Nordfyns,' +
    '482 Langeland,492 Ærø,510 Haderslev,530 Billund,540 Sønderborg,550 Tønder,561 Esbjerg,563 Fanø,573 Varde,' +
    '575 Vejen,580 Aabenraa,607 Fredericia,621 Kolding,630 Vejle',
  '1082':
    '615 Horsens,657 Herning,661 Holstebro,665 Lemvig,671 Struer,706 Syddjurs,707 Norddjurs,710 Favrskov,727 Odder,' +
    '730 Randers,740 Silkeborg,741 Samsø,746 Skanderborg,751 Aarhus,756 Ikast-Brande,760 Ringkøbing-Skjern,' +
    '766 Hedensted,779 Skive,791 Viborg',
  '1081':
    '773 Morsø,787 Thisted,810 Brønderslev,813 Frederikshavn,820 Vesthimmerlands,825 Læsø,840 Rebild,' +
    '846 Mariagerfjord,849 Jammerbugt,851 Aalborg,860 Hjørring',
};

export const MUNICIPALITIES: readonly Municipality[] = (Object.keys(byRegion) as RegionCode[])
  .flatMap((region) =>
    byRegion[region].split(',').map((entry) => {
      const space = entry.indexOf(' ');
      return { code: entry.slice(0, space), name: entry.slice(space + 1), region };
    }),
  )
  .sort((a, b) => a.code.localeCompare(b.code));
const municipalityByCode = new Map(MUNICIPALITIES.map((m) => [m.code, m]));

/** One family outpatient clinic (Familieambulatorium) per region; its id is the region code. */
const CLINICS: readonly Clinic[] = REGIONS.map((r) => ({
  id: `clinic:${r.code}`,
  name: `Familieambulatoriet, ${r.name}`,
  region: r.code,
}));

/** The kinds of referrer that are organisations: domain.md's referrer kinds but `self`. */
export const REFERRER_ORGANISATION_KINDS = REFERRER_KINDS.filter(
  (k): k is Exclude<ReferrerKind, 'self'> => k !== 'self',
);
type ReferrerOrganisationKind = (typeof REFERRER_ORGANISATION_KINDS)[number];

export type OrganisationKind =
  'region' | 'municipality' | 'clinic' | 'facility' | 'authority' | 'platform' | ReferrerKind;

/** The national authority: its auditors see every municipality's figures. */
export const NATIONAL_AUTHORITY = 'authority:national';

/** The platform's own administration: an admin token for it administers every organisation. */
export const PLATFORM_ORGANISATION = 'pathway:platform';

/**
 * Example referrer organisations, for the development sign-in and the demo. Referrers are many and
 * unlisted in real life: a token may name any organisation of a referrer kind (`gp:…`, `shelter:…`).
 */
const REFERRERS: readonly { id: string; kind: ReferrerOrganisationKind; name: string; region: RegionCode }[] = [
  { id: 'gp:hansen', kind: 'gp', name: 'Lægerne Hansen', region: '1081' },
  { id: 'midwife:aalborg', kind: 'midwife', name: 'Jordemoderkonsultationen Aalborg', region: '1081' },
  {
    id: 'shelter:kirkens-korshaer-aalborg',
    kind: 'shelter',
    name: 'Kirkens Korshær, herberget i Aalborg',
    region: '1081',
  },
  { id: 'crisis_centre:aalborg', kind: 'crisis_centre', name: 'Kvindekrisecentret Aalborg', region: '1081' },
  { id: 'substance_treatment:aalborg', kind: 'substance_treatment', name: 'Rusmiddelcenter Aalborg', region: '1081' },
  { id: 'health_visitor:aalborg', kind: 'health_visitor', name: 'Sundhedsplejen Aalborg Kommune', region: '1081' },
  { id: 'hospital:aalborg', kind: 'hospital', name: 'Aalborg Universitetshospital, Fødeafdelingen', region: '1081' },
];

export interface Organisation {
  id: string;
  kind: OrganisationKind;
  name: string;
  region: RegionCode | null;
  municipalityCode: string | null;
  places: number | null;
  retentionPlaces: number | null;
}

export const ORGANISATIONS: readonly Organisation[] = [
  ...REGIONS.map((r) => org(`region:${r.code}`, 'region', r.name, r.code)),
  ...MUNICIPALITIES.map((m) => ({
    ...org(municipalityOrganisation(m.code), 'municipality', m.name, m.region),
    municipalityCode: m.code,
  })),
  ...CLINICS.map((c) => org(c.id, 'clinic', c.name, c.region)),
  // The facilities a fresh installation knows (the seed and the retired placeholders); the
  // administrator manages the facilities themselves in the database (reference/facilities.ts).
  ...[...SEED_FACILITIES, ...PLACEHOLDER_FACILITIES].map((f) => ({
    ...org(f.id, 'facility', f.name, municipalityByCode.get(f.municipalityCode)?.region ?? null),
    municipalityCode: f.municipalityCode,
    places: f.places,
    retentionPlaces: f.retentionPlaces,
  })),
  ...REFERRERS.map((r) => org(r.id, r.kind, r.name, r.region)),
  org(NATIONAL_AUTHORITY, 'authority', 'Sundhedsstyrelsen', null),
  org(PLATFORM_ORGANISATION, 'platform', 'Pathway, platformens administration', null),
];

function org(id: string, kind: OrganisationKind, name: string, region: RegionCode | null): Organisation {
  return { id, kind, name, region, municipalityCode: null, places: null, retentionPlaces: null };
}

const organisationById = new Map(ORGANISATIONS.map((o) => [o.id, o]));

export const MUNICIPALITY_CODES: readonly string[] = MUNICIPALITIES.map((m) => m.code);
export const CLINIC_IDS: readonly string[] = CLINICS.map((c) => c.id);

export function findMunicipality(code: string): Municipality | undefined {
  return municipalityByCode.get(code);
}

export function findOrganisation(id: string): Organisation | undefined {
  return organisationById.get(id);
}

export function municipalityOrganisation(code: string): string {
  return `municipality:${code}`;
}

/** The family outpatient clinic serving a municipality's region. */
export function clinicForMunicipality(code: string): string | undefined {
  const m = municipalityByCode.get(code);
  return m && `clinic:${m.region}`;
}
