import type { Language } from './texts';

type Labels = Record<string, { da: string; en: string }>;

export const STAGE_LABELS: Labels = {
  detected: { da: 'Opsporet', en: 'Detected' },
  clinic: { da: 'Familieambulatorium', en: 'Family outpatient clinic' },
  municipality: { da: 'Kommune', en: 'Municipality' },
  residential: { da: 'Døgnbehandling', en: 'Residential treatment' },
  post_birth: { da: 'Efter fødslen', en: 'After birth' },
  closed: { da: 'Afsluttet', en: 'Closed' },
};

/** The commands people send, as buttons. English follows the API's command summaries. */
export const COMMAND_LABELS: Labels = {
  'register-concern': { da: 'Registrér bekymring', en: 'Register a concern' },
  'assign-coordinator': { da: 'Tildel koordinator', en: 'Assign coordinator' },
  'refer-to-clinic': { da: 'Henvis til familieambulatorium', en: 'Refer to the clinic' },
  'acknowledge-handoff': { da: 'Kvittér for henvisning', en: 'Acknowledge hand-off' },
  'record-clinic-visit': { da: 'Registrér besøg i ambulatoriet', en: 'Record clinic visit' },
  'notify-municipality': { da: 'Underret kommunen', en: 'Notify the municipality' },
  'confirm-notification-receipt': { da: 'Bekræft modtagelse af underretning', en: 'Confirm notification receipt' },
  'assess-notification': { da: 'Vurdér underretning', en: 'Assess notification' },
  'request-treatment': { da: 'Anmod om behandling', en: 'Request treatment' },
  'start-treatment': { da: 'Start behandling', en: 'Start treatment' },
  'conclude-investigation': { da: 'Afslut børnefaglig undersøgelse', en: 'Conclude investigation' },
  'request-residential-placement': { da: 'Anmod om døgnbehandling', en: 'Request residential placement' },
  'decide-residential-placement': { da: 'Træf afgørelse om døgnbehandling', en: 'Decide residential placement' },
  'record-consent': { da: 'Registrér samtykke', en: 'Record consent' },
  'offer-retention-contract': { da: 'Tilbyd tilbageholdelseskontrakt', en: 'Offer retention contract' },
  'admit-to-residential': { da: 'Indskriv på døgnbehandling', en: 'Admit to residential' },
  'start-retention-episode': { da: 'Start tilbageholdelse', en: 'Start retention episode' },
  'end-retention-episode': { da: 'Afslut tilbageholdelse', en: 'End retention episode' },
  'end-retention-contract': { da: 'Afslut tilbageholdelsesaftale', en: 'End retention contract' },
  'discharge-from-residential': { da: 'Udskriv fra døgnbehandling', en: 'Discharge from residential' },
  'record-network-meeting': { da: 'Registrér netværksmøde', en: 'Record network meeting' },
  'update-due-date': { da: 'Ret terminsdato', en: 'Update due date' },
  'transfer-municipality': { da: 'Overdrag til anden kommune', en: 'Transfer to another municipality' },
  'record-birth': { da: 'Registrér fødsel', en: 'Record birth' },
  'record-post-birth-plan': { da: 'Registrér plan efter fødslen', en: 'Record post-birth plan' },
  'record-health-visitor-visit': { da: 'Registrér sundhedsplejerskebesøg', en: 'Record health visitor visit' },
  'record-postpartum-check': { da: 'Registrér efterundersøgelse', en: 'Record postpartum check' },
  'record-pregnancy-ended': { da: 'Registrér at graviditeten er ophørt', en: 'Record pregnancy ended' },
  'record-lost-contact': { da: 'Registrér mistet kontakt', en: 'Record lost contact' },
  'record-contact-restored': { da: 'Registrér genoprettet kontakt', en: 'Record contact restored' },
  'record-name': { da: 'Registrér eller ret navn', en: 'Record or correct name' },
  'close-case': { da: 'Luk sagen', en: 'Close the case' },
  'pause-milestone': { da: 'Sæt frist på pause', en: 'Pause deadline' },
  'resume-milestone': { da: 'Genoptag frist', en: 'Resume deadline' },
  'waive-milestone': { da: 'Frafald frist', en: 'Waive deadline' },
  'migrate-policy': { da: 'Skift til ny forløbsversion', en: 'Migrate policy' },
};

export function label(labels: Labels, key: string, language: Language): string {
  return labels[key]?.[language] ?? humanise(key);
}

/** `ClinicVisitRecorded` → `Clinic visit recorded`; `record-birth` → `Record birth`. */
export function humanise(name: string): string {
  const words = name
    .replace(/[-_]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Command body fields, by property name (or by path, `/name`, where a name alone is ambiguous). */
export const FIELD_LABELS: Labels = {
  '/name': { da: 'Kvindens fulde navn', en: 'Her full name' },
  estimatedDueDate: { da: 'Terminsdato', en: 'Estimated due date' },
  municipality: { da: 'Kommune', en: 'Municipality' },
  referrer: { da: 'Henviser', en: 'Referrer' },
  kind: { da: 'Type', en: 'Kind' },
  name: { da: 'Navn', en: 'Name' },
  substances: { da: 'Rusmidler', en: 'Substances' },
  cpr: { da: 'CPR-nummer', en: 'CPR number' },
  note: { da: 'Note', en: 'Note' },
  occurredAt: { da: 'Tidspunkt (hvis tidligere end nu)', en: 'When (if earlier than now)' },
  coordinator: { da: 'Koordinator', en: 'Coordinator' },
  id: { da: 'Bruger-id', en: 'User id' },
  organisation: { da: 'Organisation', en: 'Organisation' },
  clinic: { da: 'Familieambulatorium', en: 'Clinic' },
  facility: { da: 'Behandlingssted', en: 'Facility' },
  handoffId: { da: 'Henvisning', en: 'Hand-off' },
  milestone: { da: 'Frist', en: 'Deadline' },
  outcome: { da: 'Resultat', en: 'Outcome' },
  reason: { da: 'Årsag', en: 'Reason' },
  scope: { da: 'Omfang', en: 'Scope' },
  given: { da: 'Givet', en: 'Given' },
  granted: { da: 'Bevilget', en: 'Granted' },
  byProfessional: { da: 'Fra en fagperson', en: 'By a professional' },
};

/** Values of the commands' choice fields. */
export const VALUE_LABELS: Labels = {
  alcohol: { da: 'alkohol', en: 'alcohol' },
  opioids: { da: 'opioider', en: 'opioids' },
  cocaine: { da: 'kokain', en: 'cocaine' },
  cannabis: { da: 'cannabis', en: 'cannabis' },
  benzodiazepines: { da: 'benzodiazepiner', en: 'benzodiazepines' },
  amphetamines: { da: 'amfetamin', en: 'amphetamines' },
  other: { da: 'andet', en: 'other' },
  gp: { da: 'praktiserende læge', en: 'GP' },
  midwife: { da: 'jordemoder', en: 'midwife' },
  shelter: { da: 'herberg/krisecenter', en: 'shelter' },
  crisis_centre: { da: 'krisecenter', en: 'crisis centre' },
  substance_treatment: { da: 'misbrugsbehandling', en: 'substance treatment' },
  health_visitor: { da: 'sundhedsplejerske', en: 'health visitor' },
  hospital: { da: 'hospital', en: 'hospital' },
  self: { da: 'hende selv', en: 'herself' },
  acute: { da: 'akut', en: 'acute' },
  investigate: { da: 'undersøges', en: 'investigate' },
  support: { da: 'støtte', en: 'support' },
  'no-action': { da: 'ingen handling', en: 'no action' },
};

/** The case intervals of the handling-times report (the milestones bring their own titles). */
export const INTERVAL_LABELS: Labels = {
  'detection-to-first-clinic-visit': {
    da: 'Opsporing → første besøg i ambulatoriet',
    en: 'Detection → first clinic visit',
  },
  'detection-to-municipality-assessment': {
    da: 'Opsporing → kommunens vurdering',
    en: 'Detection → municipality assessment',
  },
  'detection-to-treatment-start': { da: 'Opsporing → behandlingsstart', en: 'Detection → treatment start' },
  'residential-request-to-admission': {
    da: 'Anmodning om døgnbehandling → indskrivning',
    en: 'Residential request → admission',
  },
  'birth-to-post-birth-plan': { da: 'Fødsel → plan efter fødslen', en: 'Birth → post-birth plan' },
};
