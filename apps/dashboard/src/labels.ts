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
  'assign-coordinator': { da: 'Udpeg tovholder', en: 'Assign coordinator' },
  'assign-caseworker': { da: 'Tildel sagsbehandler', en: 'Assign caseworker' },
  'claim-case': { da: 'Tag sagen', en: 'Take the case' },
  'refer-to-clinic': { da: 'Henvis til familieambulatoriet', en: 'Refer to the clinic' },
  'acknowledge-handoff': { da: 'Kvittér for henvisning', en: 'Acknowledge hand-off' },
  'record-clinic-visit': { da: 'Registrér besøg i familieambulatoriet', en: 'Record clinic visit' },
  'notify-municipality': { da: 'Underret kommunen', en: 'Notify the municipality' },
  'confirm-notification-receipt': { da: 'Kvittér for modtaget underretning', en: 'Confirm notification receipt' },
  'assess-notification': { da: 'Vurdér underretning', en: 'Assess notification' },
  'request-treatment': { da: 'Anmod om behandling', en: 'Request treatment' },
  'start-treatment': { da: 'Registrér at behandlingen er påbegyndt', en: 'Start treatment' },
  'conclude-investigation': { da: 'Afslut børnefaglig undersøgelse', en: 'Conclude investigation' },
  'request-residential-placement': { da: 'Anmod om døgnbehandling', en: 'Request residential placement' },
  'decide-residential-placement': { da: 'Træf afgørelse om døgnbehandling', en: 'Decide residential placement' },
  'record-consent': { da: 'Registrér samtykke', en: 'Record consent' },
  'offer-retention-contract': { da: 'Tilbyd tilbageholdelsesaftale', en: 'Offer retention contract' },
  'admit-to-residential': { da: 'Indskriv på døgnbehandling', en: 'Admit to residential' },
  'start-retention-episode': { da: 'Start tilbageholdelse', en: 'Start retention episode' },
  'end-retention-episode': { da: 'Afslut tilbageholdelse', en: 'End retention episode' },
  'end-retention-contract': { da: 'Afslut tilbageholdelsesaftale', en: 'End retention contract' },
  'discharge-from-residential': { da: 'Udskriv fra døgnbehandling', en: 'Discharge from residential' },
  'record-network-meeting': { da: 'Registrér netværksmøde', en: 'Record network meeting' },
  'update-due-date': { da: 'Ret terminsdato', en: 'Update due date' },
  'transfer-municipality': { da: 'Overdrag til anden kommune', en: 'Transfer to another municipality' },
  'record-birth': { da: 'Registrér fødsel', en: 'Record birth' },
  'record-post-birth-plan': { da: 'Registrér plan for tiden efter fødslen', en: 'Record post-birth plan' },
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
  'assign-milestone': { da: 'Tildel fristen', en: 'Assign the deadline' },
  'claim-milestone': { da: 'Tag fristen', en: 'Take the deadline' },
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
  coordinator: { da: 'Tovholder', en: 'Coordinator' },
  id: { da: 'Bruger-id', en: 'User id' },
  organisation: { da: 'Organisation', en: 'Organisation' },
  clinic: { da: 'Familieambulatorium', en: 'Clinic' },
  facility: { da: 'Behandlingssted', en: 'Facility' },
  handoffId: { da: 'Henvisning', en: 'Hand-off' },
  milestone: { da: 'Frist', en: 'Deadline' },
  person: { da: 'Medarbejder', en: 'Person' },
  outcome: { da: 'Resultat', en: 'Outcome' },
  reason: { da: 'Årsag', en: 'Reason' },
  scope: { da: 'Omfang', en: 'Scope' },
  given: { da: 'Givet', en: 'Given' },
  granted: { da: 'Bevilget', en: 'Granted' },
  byProfessional: { da: 'Fra en fagperson', en: 'By a professional' },
  notificationId: { da: 'Underretning', en: 'Notification' },
  decision: { da: 'Afgørelse', en: 'Decision' },
  status: { da: 'Status', en: 'Status' },
  overCapacityReason: { da: 'Begrundelse for indskrivning ud over kapaciteten', en: 'Reason to admit over capacity' },
  participants: { da: 'Deltagere', en: 'Participants' },
  toMunicipality: { da: 'Ny ansvarlig kommune', en: 'New responsible municipality' },
  version: { da: 'Version af forløbet', en: 'Pathway version' },
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
  shelter: { da: 'herberg', en: 'shelter' },
  crisis_centre: { da: 'krisecenter', en: 'crisis centre' },
  substance_treatment: { da: 'rusmiddelbehandling', en: 'substance treatment' },
  health_visitor: { da: 'sundhedsplejerske', en: 'health visitor' },
  hospital: { da: 'hospital', en: 'hospital' },
  self: { da: 'hende selv', en: 'herself' },
  acute: { da: 'akutte foranstaltninger', en: 'acute measures' },
  investigate: { da: 'børnefaglig undersøgelse', en: 'child-welfare investigation' },
  support: { da: 'støtte', en: 'support' },
  'no-action': { da: 'ingen handling', en: 'no action' },
  drugs: { da: 'stoffer', en: 'drugs' },
  'dual-diagnosis': { da: 'dobbeltdiagnose', en: 'dual diagnosis' },
  granted: { da: 'bevilget', en: 'granted' },
  refused: { da: 'afslået', en: 'refused' },
  residential: { da: 'døgnbehandling', en: 'residential treatment' },
  'information-sharing': { da: 'videregivelse af oplysninger', en: 'information sharing' },
  'retention-contract': { da: 'tilbageholdelsesaftale', en: 'retention contract' },
  given: { da: 'givet', en: 'given' },
  withdrawn: { da: 'trukket tilbage', en: 'withdrawn' },
  signed: { da: 'underskrevet', en: 'signed' },
  declined: { da: 'takket nej', en: 'declined' },
  miscarriage: { da: 'spontan abort', en: 'miscarriage' },
  termination: { da: 'provokeret abort', en: 'termination' },
  stillbirth: { da: 'dødfødsel', en: 'stillbirth' },
  completed: { da: 'forløbet er afsluttet', en: 'completed' },
  'pregnancy-ended': { da: 'graviditeten er ophørt', en: 'pregnancy ended' },
  'moved-abroad': { da: 'flyttet til udlandet', en: 'moved abroad' },
  died: { da: 'død', en: 'died' },
  'declined-help': { da: 'har takket nej til hjælp', en: 'declined help' },
  duplicate: { da: 'dobbeltoprettet', en: 'duplicate' },
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

/**
 * Every case event, as the history and the audit name it (complete: labels.spec.ts reads the event
 * types of libs/pathway). A milestone event names its deadline after the label: see eventTitle.
 */
export const EVENT_LABELS: Labels = {
  ConcernRegistered: { da: 'Bekymring registreret', en: 'Concern registered' },
  CoordinatorAssigned: { da: 'Tovholder udpeget', en: 'Coordinator assigned' },
  CaseworkerAssigned: { da: 'Sagsbehandler tildelt', en: 'Caseworker assigned' },
  MilestoneAssigneeChanged: { da: 'Frist tildelt', en: 'Deadline assigned' },
  NameRecorded: { da: 'Navn registreret', en: 'Name recorded' },
  ClinicReferralMade: { da: 'Henvist til familieambulatoriet', en: 'Referred to the clinic' },
  HandoffAcknowledged: { da: 'Henvisning kvitteret', en: 'Hand-off acknowledged' },
  ClinicVisitRecorded: { da: 'Besøg i familieambulatoriet', en: 'Clinic visit recorded' },
  MunicipalityNotified: { da: 'Kommunen underrettet', en: 'Municipality notified' },
  NotificationReceiptConfirmed: { da: 'Modtagelse af underretning bekræftet', en: 'Notification receipt confirmed' },
  NotificationAssessed: { da: 'Underretning vurderet', en: 'Notification assessed' },
  TreatmentRequested: { da: 'Behandling anmodet', en: 'Treatment requested' },
  TreatmentStarted: { da: 'Behandling påbegyndt', en: 'Treatment started' },
  InvestigationConcluded: { da: 'Børnefaglig undersøgelse afsluttet', en: 'Investigation concluded' },
  ResidentialPlacementRequested: { da: 'Døgnbehandling anmodet', en: 'Residential placement requested' },
  ResidentialPlacementGranted: { da: 'Døgnbehandling bevilget', en: 'Residential placement granted' },
  ResidentialPlacementRefused: { da: 'Døgnbehandling afslået', en: 'Residential placement refused' },
  ConsentGiven: { da: 'Samtykke givet', en: 'Consent given' },
  ConsentWithdrawn: { da: 'Samtykke trukket tilbage', en: 'Consent withdrawn' },
  RetentionContractOffered: { da: 'Tilbageholdelsesaftale tilbudt', en: 'Retention contract offered' },
  RetentionContractEnded: { da: 'Tilbageholdelsesaftale afsluttet', en: 'Retention contract ended' },
  AdmittedToResidential: { da: 'Indskrevet på døgnbehandling', en: 'Admitted to residential treatment' },
  RetentionEpisodeStarted: { da: 'Tilbageholdelse påbegyndt', en: 'Retention episode started' },
  RetentionEpisodeEnded: { da: 'Tilbageholdelse afsluttet', en: 'Retention episode ended' },
  DischargedFromResidential: { da: 'Udskrevet fra døgnbehandling', en: 'Discharged from residential treatment' },
  NetworkMeetingRecorded: { da: 'Netværksmøde holdt', en: 'Network meeting recorded' },
  DueDateUpdated: { da: 'Terminsdato rettet', en: 'Due date updated' },
  MunicipalityTransferred: { da: 'Sagen overdraget til anden kommune', en: 'Case transferred to another municipality' },
  BirthRecorded: { da: 'Fødsel registreret', en: 'Birth recorded' },
  PostBirthPlanRecorded: { da: 'Plan efter fødslen registreret', en: 'Post-birth plan recorded' },
  HealthVisitorVisitRecorded: { da: 'Sundhedsplejerskebesøg', en: 'Health visitor visit recorded' },
  PostpartumCheckRecorded: { da: 'Efterundersøgelse registreret', en: 'Postpartum check recorded' },
  PregnancyEnded: { da: 'Graviditeten er ophørt', en: 'Pregnancy ended' },
  ContactLost: { da: 'Kontakt mistet', en: 'Contact lost' },
  ContactRestored: { da: 'Kontakt genoprettet', en: 'Contact restored' },
  CaseClosed: { da: 'Sagen lukket', en: 'Case closed' },
  MilestoneOpened: { da: 'Frist startet', en: 'Deadline started' },
  MilestoneMet: { da: 'Frist overholdt', en: 'Deadline met' },
  MilestoneWaived: { da: 'Frist frafaldet', en: 'Deadline waived' },
  MilestoneWarned: { da: 'Advarsel om frist', en: 'Deadline warning' },
  MilestoneBreached: { da: 'Frist overskredet', en: 'Deadline breached' },
  MilestoneEscalated: { da: 'Frist eskaleret', en: 'Deadline escalated' },
  MilestonePaused: { da: 'Frist sat på pause', en: 'Deadline paused' },
  MilestoneResumed: { da: 'Frist genoptaget', en: 'Deadline resumed' },
  MilestoneRescheduled: { da: 'Frist genberegnet', en: 'Deadline recalculated' },
  MilestoneReassigned: { da: 'Frist flyttet til ny ansvarlig', en: 'Deadline reassigned' },
  PolicyMigrated: { da: 'Skiftet til ny forløbsversion', en: 'Policy migrated' },
  FormerMunicipalityAccessEnded: { da: 'Tidligere kommunes adgang ophørt', en: 'Former municipality’s access ended' },
  BirthImminent: { da: 'Fødslen nærmer sig (uge 37)', en: 'Birth imminent (week 37)' },
  AlertAcknowledged: { da: 'Alarm kvitteret', en: 'Alert acknowledged' },
  AlertResent: { da: 'Alarm sendt igen', en: 'Alert resent' },
};

/** What starts a deadline's clock, as "… after {signal}" says it (the milestone's explanation.anchor.signal). */
export const SIGNAL_LABELS: Labels = {
  'concern-registered': { da: 'registreret bekymring', en: 'the concern was registered' },
  'concern-registered-not-by-municipality': { da: 'registreret bekymring', en: 'the concern was registered' },
  'concern-registered-not-by-clinic': { da: 'registreret bekymring', en: 'the concern was registered' },
  'municipality-notified': { da: 'modtaget underretning', en: 'the notification was received' },
  'municipality-notified-by-professional': {
    da: 'modtaget underretning fra en fagperson',
    en: 'a professional’s notification was received',
  },
  'clinic-referral-made': { da: 'henvisning til familieambulatoriet', en: 'the referral to the clinic' },
  'coordinator-first-assigned': { da: 'udpegning af tovholder', en: 'the coordinator was assigned' },
  'treatment-requested': { da: 'anmodning om behandling', en: 'treatment was requested' },
  'investigation-opened': { da: 'åbnet børnefaglig undersøgelse', en: 'the investigation was opened' },
  'placement-requested': { da: 'anmodning om døgnbehandling', en: 'the placement was requested' },
  'placement-granted': { da: 'bevilget døgnbehandling', en: 'the placement was granted' },
  'admission-possible': {
    da: 'bevilling og samtykke til døgnbehandling',
    en: 'the placement was granted and she consented',
  },
  'retention-episode-started': { da: 'start på tilbageholdelse', en: 'the retention episode started' },
  'retention-contract-signed': { da: 'underskrevet tilbageholdelsesaftale', en: 'the retention contract was signed' },
  'network-meeting-recorded': { da: 'sidste netværksmøde', en: 'the last network meeting' },
  'handoff-sent': { da: 'sendt henvisning', en: 'the hand-off was sent' },
  'birth-recorded': { da: 'fødslen', en: 'the birth' },
  'transfer-sent': { da: 'overdragelse til ny kommune', en: 'the transfer was sent' },
};

/** Where a deadline comes from (the policy's basis). */
export const BASIS_LABELS: Labels = {
  LAW: { da: 'lov', en: 'law' },
  REC: { da: 'anbefaling', en: 'recommendation' },
  PROP: { da: 'lokal praksis', en: 'local practice' },
};

/** The reasons events record from a fixed list (a pause's or waiver's reason is free text, shown as written). */
export const REASON_LABELS: Labels = {
  'birth-imminent': { da: 'fødslen nærmer sig (uge 37)', en: 'the birth is imminent (week 37)' },
  command: { da: 'genoptaget af en bruger', en: 'resumed by a user' },
  'pause-limit': { da: 'pausen er brugt op', en: 'the pause allowance ran out' },
  'contact-restored': { da: 'kontakten er genoprettet', en: 'contact was restored' },
  'lost contact with her (record-lost-contact)': {
    da: 'kontakten med hende er mistet',
    en: 'contact with her was lost',
  },
  'due-date-updated': { da: 'terminsdatoen er rettet', en: 'the due date was updated' },
  'policy-migrated': { da: 'ny forløbsversion', en: 'the policy was migrated' },
  'anchor-moved': { da: 'starttidspunktet er flyttet', en: 'the start moved' },
  'birth-recorded': { da: 'fødslen er registreret', en: 'the birth was recorded' },
  'pregnancy-ended': { da: 'graviditeten er ophørt', en: 'the pregnancy ended' },
  'municipality-transferred': { da: 'sagen er overdraget til anden kommune', en: 'the case moved municipality' },
  'case-closed': { da: 'sagen er lukket', en: 'the case was closed' },
  ended: { da: 'afsluttet af behandlingsstedet', en: 'ended by the facility' },
  birth: { da: 'fødslen', en: 'the birth' },
  completed: { da: 'forløbet er gennemført', en: 'completed' },
  'moved-abroad': { da: 'flyttet til udlandet', en: 'moved abroad' },
  died: { da: 'død', en: 'died' },
  'declined-help': { da: 'har takket nej til hjælp', en: 'declined help' },
  duplicate: { da: 'dobbeltoprettet', en: 'duplicate' },
  other: { da: 'andet', en: 'other' },
  miscarriage: { da: 'spontan abort', en: 'miscarriage' },
  termination: { da: 'provokeret abort', en: 'termination' },
  stillbirth: { da: 'dødfødsel', en: 'stillbirth' },
};

/** What a read in the case's audit looked at (libs/persistence CaseReadView). */
export const READ_VIEW_LABELS: Labels = {
  case: { da: 'sagen', en: 'the case' },
  events: { da: 'historikken', en: 'the history' },
  milestones: { da: 'fristerne', en: 'the deadlines' },
  audit: { da: 'adgangsloggen', en: 'the access log' },
  cpr: { da: 'CPR-nummeret', en: 'the CPR number' },
  name: { da: 'navnet', en: 'the name' },
  'cpr-search': { da: 'fundet ved søgning på CPR-nummer', en: 'found by a CPR search' },
  'name-search': { da: 'fundet ved søgning på navn', en: 'found by a name search' },
};
