import type { Language } from './texts';

type Text = { da: string; en: string };

/**
 * What the page says for each stable error code of the API (its `code`), in both languages. Every
 * code thrown in apps/ and libs/ has a text here (test/dashboard-texts.spec.ts fails otherwise); an
 * unknown code shows the API's English message, said to be the service's own words.
 */
export const ERROR_TEXTS: Record<string, Text> = {
  // The request itself
  VALIDATION_FAILED: { da: 'Nogle felter er ikke udfyldt rigtigt.', en: 'Some fields are not filled in correctly.' },
  MALFORMED_JSON: { da: 'Tjenesten kunne ikke læse det sendte.', en: 'The service could not read what was sent.' },
  BAD_REQUEST: { da: 'Tjenesten kunne ikke læse forespørgslen.', en: 'The service could not read the request.' },
  UNSUPPORTED_MEDIA_TYPE: {
    da: 'Tjenesten kan ikke læse det sendte format.',
    en: 'The service cannot read the format sent.',
  },
  PAYLOAD_TOO_LARGE: { da: 'Det sendte er for stort (over 64 KiB).', en: 'What was sent is too large (over 64 KiB).' },
  URI_TOO_LONG: { da: 'Adressen er for lang.', en: 'The address is too long.' },
  HEADERS_TOO_LARGE: { da: 'Forespørgslen er for stor.', en: 'The request is too large.' },
  REQUEST_TIMEOUT: { da: 'Forespørgslen tog for lang tid. Prøv igen.', en: 'The request took too long. Try again.' },
  METHOD_NOT_ALLOWED: { da: 'Det kan man ikke her.', en: 'That cannot be done here.' },
  NOT_ACCEPTABLE: {
    da: 'Tjenesten kan ikke svare i det ønskede format.',
    en: 'The service cannot answer in that format.',
  },
  NOT_FOUND: { da: 'Siden findes ikke.', en: 'The page does not exist.' },
  UNKNOWN_COMMAND: { da: 'Handlingen findes ikke.', en: 'There is no such action.' },
  INVALID_CURSOR: {
    da: 'Listen er ændret undervejs. Start forfra fra første side.',
    en: 'The list has changed. Start again from the first page.',
  },
  FILTER_NOT_SHOWN: {
    da: 'Din rolle kan ikke søge eller sortere på det felt.',
    en: 'Your role cannot filter or sort by that field.',
  },
  CPR_IN_URL: {
    da: 'Et CPR-nummer må aldrig stå i en adresse. Søg i søgefeltet i stedet.',
    en: 'A CPR number is never put in an address. Use the search box instead.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    da: 'Samme afsendelse blev brugt til noget andet. Genindlæs siden og prøv igen.',
    en: 'The same submission was used for something else. Reload the page and try again.',
  },
  VERSION_CONFLICT: {
    da: 'En anden har ændret sagen imens. Genindlæs sagen og vurdér igen.',
    en: 'Someone else changed the case meanwhile. Reload the case and decide again.',
  },
  RATE_LIMITED: {
    da: 'For mange forespørgsler på kort tid. Vent lidt, og prøv igen.',
    en: 'Too many requests in a short time. Wait a little and try again.',
  },
  TOO_MANY_REQUESTS: {
    da: 'For mange forespørgsler på kort tid. Vent lidt, og prøv igen.',
    en: 'Too many requests in a short time. Wait a little and try again.',
  },
  TOO_MANY_STREAMS: {
    da: 'Du har for mange vinduer åbne med alarmer. Luk et af dem.',
    en: 'You have too many windows open with alerts. Close one of them.',
  },
  SERVICE_UNAVAILABLE: {
    da: 'Tjenesten kan ikke nå sin database lige nu. Prøv igen om lidt.',
    en: 'The service cannot reach its database right now. Try again shortly.',
  },
  INTERNAL: {
    da: 'Der opstod en fejl hos tjenesten. Den er logget.',
    en: 'Something went wrong in the service. It has been logged.',
  },
  DASHBOARD_NOT_BUILT: {
    da: 'Siden er ikke bygget på serveren (npm run build).',
    en: 'The page is not built on the server (npm run build).',
  },
  QUEUE_VIEW_READ_ONLY: {
    da: 'Køoversigten kan kun læses.',
    en: 'The queue view is read-only.',
  },

  // Login and access
  UNAUTHENTICATED: {
    da: 'Du er ikke logget ind, eller dit login er udløbet.',
    en: 'You are not signed in, or your sign-in has expired.',
  },
  ROLE_ORGANISATION_MISMATCH: {
    da: 'Rollen passer ikke til organisationen. Vælg en anden kombination.',
    en: 'The role does not fit the organisation. Choose another pair.',
  },
  TOKEN_LIFETIME_TOO_LONG: {
    da: 'Dit login gælder for længe. Log ind igen.',
    en: 'Your sign-in lasts too long. Sign in again.',
  },
  TOKEN_ISSUED_IN_FUTURE: {
    da: 'Dit login er udstedt ud i fremtiden. Tjek urets indstilling, og log ind igen.',
    en: 'Your sign-in is issued in the future. Check the clock and sign in again.',
  },
  SUBJECT_IS_CPR: {
    da: 'Bruger-id må ikke være et CPR-nummer.',
    en: 'The user id must not be a CPR number.',
  },
  DEV_SIGN_IN_DISABLED: { da: 'Udviklingslogin er slået fra.', en: 'Development sign-in is turned off.' },
  DEV_SIGN_IN_LOOPBACK_ONLY: {
    da: 'Udviklingslogin kan kun bruges fra den samme maskine.',
    en: 'Development sign-in works only from the same machine.',
  },
  FORBIDDEN: { da: 'Du har ikke adgang til det.', en: 'You do not have access to that.' },
  ROLE_NOT_PERMITTED: { da: 'Din rolle må ikke gøre dette.', en: 'Your role may not do this.' },
  NOT_YOUR_ORGANISATION: {
    da: 'Du er ikke logget ind for den organisation.',
    en: 'You are not signed in for that organisation.',
  },
  NOT_ORGANISATION_ADMIN: {
    da: 'Kun organisationens administrator må gøre dette.',
    en: 'Only the organisation’s administrator may do this.',
  },
  NOT_PLATFORM_ADMIN: {
    da: 'Kun platformens administrator må gøre dette.',
    en: 'Only the platform administrator may do this.',
  },
  NOT_RESPONSIBLE_MUNICIPALITY: {
    da: 'Kun den ansvarlige kommune (handlekommunen) må gøre dette.',
    en: 'Only the responsible municipality may do this.',
  },
  NOT_CASE_CLINIC: {
    da: 'Kun det familieambulatorium, sagen er henvist til, må gøre dette.',
    en: 'Only the clinic the case is referred to may do this.',
  },
  NOT_CASE_FACILITY: {
    da: 'Kun det døgnbehandlingstilbud, der er bevilget, må gøre dette.',
    en: 'Only the granted residential facility may do this.',
  },
  NOT_HANDOFF_RECIPIENT: {
    da: 'Henvisningen er ikke sendt til din organisation.',
    en: 'The hand-off was not sent to your organisation.',
  },
  PERSON_EXISTS: {
    da: 'Medarbejderen står allerede på organisationens liste.',
    en: 'The person is already on the organisation’s list.',
  },
  PERSON_NOT_FOUND: {
    da: 'Medarbejderen står ikke på organisationens liste.',
    en: 'The person is not on the organisation’s list.',
  },
  PERSON_NOT_IN_ORGANISATION: {
    da: 'Medarbejderen hører ikke til den organisation, der har ansvaret. Vælg en fra listen.',
    en: 'The person does not belong to the responsible organisation. Choose one from the list.',
  },
  NOT_MILESTONE_OWNER: {
    da: 'Fristen er ikke din organisations.',
    en: 'The deadline is not your organisation’s.',
  },
  NOT_ALERT_RECIPIENT: {
    da: 'Kun den ansvarlige organisation eller sagens tovholder kan kvittere for alarmen.',
    en: 'Only the responsible organisation or the case’s coordinator may acknowledge the alert.',
  },

  // The case
  CASE_NOT_FOUND: {
    da: 'Sagen findes ikke, eller du har ikke adgang til den.',
    en: 'The case does not exist, or you have no access to it.',
  },
  CASE_ALREADY_EXISTS: { da: 'Sagen findes allerede.', en: 'The case exists already.' },
  CASE_ALREADY_OPEN: {
    da: 'Hun har allerede en åben sag. Registrér bekymringen i den sag i stedet.',
    en: 'She already has an open case. Record the concern in that case instead.',
  },
  CASE_CLOSED: { da: 'Sagen er lukket og kan kun læses.', en: 'The case is closed and can only be read.' },
  INVALID_CPR: {
    da: 'CPR-nummeret er ikke gyldigt (DDMMÅÅ-XXXX med en rigtig dato).',
    en: 'The CPR number is not valid (DDMMYY-XXXX with a real date).',
  },
  NAME_INVALID: {
    da: 'Navnet er ikke gyldigt: 1–200 tegn uden kontroltegn.',
    en: 'The name is not valid: 1–200 characters without control characters.',
  },
  NAME_CONTAINS_CPR: {
    da: 'Navnet indeholder et CPR-nummer. Skriv CPR-nummeret i sit eget felt.',
    en: 'The name contains a CPR number. Put the CPR number in its own field.',
  },
  NOTE_CONTAINS_NAME: {
    da: 'Notatet indeholder et ord fra hendes navn. Skriv navnet i navnefeltet og lad det ude af notatet.',
    en: 'The note contains a word of her name. Put the name in the name field and leave it out of the note.',
  },
  IDENTITY_NOT_SHOWN: {
    da: 'Kun den, der må se hendes navn i sagen (hendes fulde CPR-nummer), kan registrere det.',
    en: 'Only someone who may see her name in the case (her full CPR number) can record it.',
  },
  INVALID_OCCURRED_AT: { da: 'Tidspunktet er ikke gyldigt.', en: 'The time is not valid.' },
  OCCURRED_IN_FUTURE: { da: 'Tidspunktet ligger ude i fremtiden.', en: 'The time lies in the future.' },
  OCCURRED_BEFORE_CASE: {
    da: 'Tidspunktet ligger før sagen blev oprettet.',
    en: 'The time lies before the case began.',
  },
  OCCURRED_BEFORE_PREGNANCY: {
    da: 'Tidspunktet ligger før graviditeten begyndte.',
    en: 'The time lies before the pregnancy began.',
  },
  DUE_DATE_OUT_OF_RANGE: {
    da: 'Terminsdatoen passer ikke til en graviditet (for tidligt eller for sent).',
    en: 'The due date does not fit a pregnancy (too early or too late).',
  },
  DUE_DATE_UNCHANGED: { da: 'Terminsdatoen er den samme som før.', en: 'The due date is the same as before.' },
  UNKNOWN_MUNICIPALITY: { da: 'Kommunekoden findes ikke.', en: 'No municipality has that code.' },
  SAME_MUNICIPALITY: {
    da: 'Sagen hører allerede til den kommune.',
    en: 'The case belongs to that municipality already.',
  },
  UNKNOWN_ORGANISATION: {
    da: 'Organisationen er ikke en kommune eller et familieambulatorium, der kan have en tovholder ansat.',
    en: 'The organisation is not a municipality or clinic that can employ a coordinator.',
  },
  ORGANISATION_NOT_FOUND: { da: 'Organisationen findes ikke.', en: 'The organisation does not exist.' },
  UNKNOWN_CLINIC: { da: 'Familieambulatoriet findes ikke.', en: 'The clinic does not exist.' },
  COORDINATOR_ALREADY_ASSIGNED: {
    da: 'Den tovholder er allerede udpeget.',
    en: 'That coordinator is assigned already.',
  },
  ALREADY_REFERRED_TO_CLINIC: {
    da: 'Sagen er allerede henvist til familieambulatoriet.',
    en: 'The case is referred to the clinic already.',
  },
  NOT_REFERRED_TO_CLINIC: {
    da: 'Sagen er ikke henvist til familieambulatoriet endnu.',
    en: 'The case is not referred to the clinic yet.',
  },
  HANDOFF_NOT_FOUND: { da: 'Henvisningen findes ikke.', en: 'The hand-off does not exist.' },
  HANDOFF_ALREADY_ACKNOWLEDGED: {
    da: 'Der er allerede kvitteret for henvisningen.',
    en: 'The hand-off is acknowledged already.',
  },
  NOTIFICATION_NOT_FOUND: { da: 'Underretningen findes ikke.', en: 'The notification does not exist.' },
  NO_PENDING_NOTIFICATION: {
    da: 'Der er ingen underretning, der venter.',
    en: 'No notification is waiting.',
  },
  RECEIPT_ALREADY_CONFIRMED: {
    da: 'Der er allerede kvitteret for modtagelsen af underretningen.',
    en: 'Receipt of the notification is confirmed already.',
  },
  NOTIFICATION_ALREADY_ASSESSED: {
    da: 'Underretningen er allerede vurderet.',
    en: 'The notification is assessed already.',
  },
  NO_OPEN_INVESTIGATION: {
    da: 'Der er ingen åben børnefaglig undersøgelse.',
    en: 'There is no open child-welfare investigation.',
  },
  TREATMENT_ALREADY_REQUESTED: {
    da: 'Der er allerede anmodet om behandling, og den er ikke startet endnu.',
    en: 'Treatment is requested already and has not started yet.',
  },
  NO_TREATMENT_REQUESTED: {
    da: 'Der er ikke anmodet om behandling endnu.',
    en: 'No treatment has been requested yet.',
  },
  PLACEMENT_ALREADY_REQUESTED: {
    da: 'Der er allerede anmodet om døgnbehandling.',
    en: 'Residential placement is requested already.',
  },
  NO_PLACEMENT_REQUESTED: {
    da: 'Der er ikke anmodet om døgnbehandling endnu.',
    en: 'No residential placement has been requested yet.',
  },
  PLACEMENT_ALREADY_GRANTED: {
    da: 'Døgnbehandlingen er allerede bevilget.',
    en: 'The residential placement is granted already.',
  },
  PLACEMENT_NOT_GRANTED: {
    da: 'Døgnbehandlingen er ikke bevilget.',
    en: 'The residential placement is not granted.',
  },
  FACILITY_REQUIRED: {
    da: 'Vælg et behandlingssted, når døgnbehandling bevilges.',
    en: 'Choose a facility when the placement is granted.',
  },
  UNKNOWN_FACILITY: { da: 'Behandlingsstedet findes ikke.', en: 'The facility does not exist.' },
  FACILITY_NOT_FOUND: { da: 'Behandlingsstedet findes ikke.', en: 'The facility does not exist.' },
  FACILITY_RETIRED: {
    da: 'Behandlingsstedet tager ikke imod flere.',
    en: 'The facility no longer admits anyone.',
  },
  FACILITY_FULL: {
    da: 'Behandlingsstedet er fuldt. Stedets personale kan indskrive ud over kapaciteten med en begrundelse.',
    en: 'The facility is full. Its staff may admit over capacity with a reason.',
  },
  FACILITY_EXISTS: {
    da: 'Der findes allerede en organisation med det id.',
    en: 'An organisation with that id exists already.',
  },
  RETENTION_PLACES_EXCEED_PLACES: {
    da: 'Der kan ikke være flere tilbageholdelsespladser end pladser.',
    en: 'There cannot be more retention places than places.',
  },
  ALREADY_ADMITTED: { da: 'Hun er allerede indskrevet.', en: 'She is admitted already.' },
  NOT_ADMITTED: {
    da: 'Hun er ikke indskrevet på døgnbehandling.',
    en: 'She is not admitted to residential treatment.',
  },
  ADMISSION_ACTIVE: {
    da: 'Hun er indskrevet på døgnbehandling. Udskriv hende først.',
    en: 'She is admitted to residential treatment. Discharge her first.',
  },
  CONSENT_REQUIRED: {
    da: 'Det kræver hendes samtykke. Registrér samtykket først.',
    en: 'This needs her consent. Record the consent first.',
  },
  CONSENT_ALREADY_GIVEN: { da: 'Samtykket er allerede givet.', en: 'The consent is given already.' },
  CONSENT_NOT_GIVEN: { da: 'Samtykket er ikke givet.', en: 'The consent is not given.' },
  RETENTION_CONTRACT_REQUIRED: {
    da: 'Det kræver en underskrevet tilbageholdelsesaftale.',
    en: 'This needs a signed retention contract.',
  },
  RETENTION_CONTRACT_ACTIVE: {
    da: 'Der er allerede en tilbageholdelsesaftale.',
    en: 'A retention contract is in force already.',
  },
  NO_RETENTION_CONTRACT: {
    da: 'Der er ingen tilbageholdelsesaftale.',
    en: 'There is no retention contract.',
  },
  RETENTION_EPISODE_ACTIVE: {
    da: 'Hun er tilbageholdt lige nu. Afslut tilbageholdelsen først.',
    en: 'A retention episode is running. End it first.',
  },
  NO_RETENTION_EPISODE: { da: 'Hun er ikke tilbageholdt.', en: 'No retention episode is running.' },
  BIRTH_ALREADY_RECORDED: { da: 'Fødslen er allerede registreret.', en: 'The birth is recorded already.' },
  BIRTH_NOT_RECORDED: { da: 'Fødslen er ikke registreret endnu.', en: 'The birth is not recorded yet.' },
  BIRTH_TOO_EARLY: {
    da: 'Så tidligt i graviditeten kan en fødsel ikke registreres. Registrér i stedet, at graviditeten er ophørt.',
    en: 'A birth cannot be recorded this early in the pregnancy. Record that the pregnancy ended instead.',
  },
  PREGNANCY_ENDED: { da: 'Graviditeten er ophørt.', en: 'The pregnancy has ended.' },
  PREGNANCY_ALREADY_ENDED: {
    da: 'Det er allerede registreret, at graviditeten er ophørt.',
    en: 'The pregnancy is recorded as ended already.',
  },
  POSTPARTUM_CHECK_ALREADY_RECORDED: {
    da: 'Efterundersøgelsen er allerede registreret.',
    en: 'The postpartum check is recorded already.',
  },
  CONTACT_ALREADY_LOST: { da: 'Mistet kontakt er allerede registreret.', en: 'Lost contact is recorded already.' },
  CONTACT_NOT_LOST: { da: 'Kontakten med hende er ikke mistet.', en: 'Contact with her is not lost.' },
  LEGAL_DUTY_OPEN: {
    da: 'Lovpligtige frister er stadig åbne. Opfyld dem først, eller luk sagen med en årsag, der gør dem overflødige.',
    en: 'Legal deadlines are still open. Meet them first, or close the case for a reason that makes them moot.',
  },

  // Deadlines and alerts
  MILESTONE_NOT_FOUND: { da: 'Fristen findes ikke i sagen.', en: 'The deadline does not exist in the case.' },
  MILESTONE_NOT_OPEN: { da: 'Fristen er ikke åben.', en: 'The deadline is not open.' },
  MILESTONE_ALREADY_PAUSED: { da: 'Fristen er allerede sat på pause.', en: 'The deadline is paused already.' },
  MILESTONE_NOT_PAUSED: { da: 'Fristen er ikke sat på pause.', en: 'The deadline is not paused.' },
  MILESTONE_NOT_PAUSABLE: { da: 'Fristen kan ikke sættes på pause.', en: 'The deadline cannot be paused.' },
  MILESTONE_RULE_UNKNOWN: {
    da: 'Fristen findes ikke i forløbsbeskrivelsen.',
    en: 'The deadline is not in the pathway policy.',
  },
  LEGAL_DEADLINE_NOT_PAUSABLE: {
    da: 'En lovbestemt frist kan ikke sættes på pause.',
    en: 'A legal deadline cannot be paused.',
  },
  LEGAL_DEADLINE_NOT_WAIVABLE: {
    da: 'En lovbestemt frist kan ikke frafaldes.',
    en: 'A legal deadline cannot be waived.',
  },
  PAUSE_LIMIT_REACHED: {
    da: 'Fristen har brugt al den pause, forløbet tillader.',
    en: 'The deadline has used all the pause the pathway allows.',
  },
  POLICY_NOT_NEWER: {
    da: 'Sagen følger allerede den version af forløbet eller en nyere.',
    en: 'The case already follows that version of the pathway or a newer one.',
  },
  POLICY_VERSION_UNKNOWN: {
    da: 'Den version af forløbet findes ikke.',
    en: 'That version of the pathway does not exist.',
  },
  ALERT_NOT_FOUND: {
    da: 'Alarmen findes ikke, eller du har ikke adgang til den.',
    en: 'The alert does not exist, or you have no access to it.',
  },
  ALERT_ALREADY_ACKNOWLEDGED: {
    da: 'Der er allerede kvitteret for alarmen.',
    en: 'The alert is acknowledged already.',
  },
  ALERT_RESOLVED: {
    da: 'Alarmen er afsluttet, fordi fristen er opfyldt eller frafaldet.',
    en: 'The alert is resolved: its deadline is met or waived.',
  },

  // Webhooks (the administrator's)
  WEBHOOK_NOT_FOUND: { da: 'Webhooket findes ikke.', en: 'The webhook does not exist.' },
  WEBHOOK_URL_FORBIDDEN: {
    da: 'Webhooket må ikke pege på den adresse.',
    en: 'The webhook may not point at that address.',
  },
  WEBHOOK_URL_WITH_CREDENTIALS: {
    da: 'Webhookets adresse må ikke indeholde brugernavn eller adgangskode.',
    en: 'The webhook address must not contain a user name or password.',
  },
};

/** What the API said of a field, and the rule it breaks (see FieldProblem in the API). */
export interface FieldProblemDetail {
  field: string;
  problem: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

type Phrase = (params: Record<string, unknown>) => Text;

const list = (values: unknown) => (Array.isArray(values) ? values.map(String).join(', ') : '');
const limit = (params: Record<string, unknown>) => Number(params.limit);
const chars = (n: number): Text => ({
  da: n === 1 ? '1 tegn' : `${n} tegn`,
  en: n === 1 ? '1 character' : `${n} characters`,
});
const FORMATS: Record<string, Text> = {
  date: { da: 'en dato', en: 'a date' },
  'date-time': { da: 'et tidspunkt (dato og klokkeslæt)', en: 'a time (date and time of day)' },
  cpr: { da: 'et CPR-nummer (DDMMÅÅ-XXXX med en rigtig dato)', en: 'a CPR number (DDMMYY-XXXX with a real date)' },
  uri: { da: 'en webadresse', en: 'a web address' },
  email: { da: 'en e-mailadresse', en: 'an e-mail address' },
};
const TYPES: Record<string, Text> = {
  string: { da: 'tekst', en: 'text' },
  integer: { da: 'et helt tal', en: 'a whole number' },
  number: { da: 'et tal', en: 'a number' },
  boolean: { da: 'ja eller nej', en: 'yes or no' },
  object: { da: 'en gruppe af felter', en: 'a group of fields' },
  array: { da: 'en liste', en: 'a list' },
};

/**
 * The phrase of each rule the API's validator names (FieldProblem `keyword`), said after the field's
 * name: "Terminsdato skal udfyldes". A keyword not here shows the API's English problem, marked so.
 */
export const PROBLEM_PHRASES: Record<string, Phrase> = {
  required: () => ({ da: 'skal udfyldes', en: 'is required' }),
  additionalProperties: () => ({ da: 'er ikke et felt, tjenesten kender', en: 'is not a known field' }),
  type: (p) => {
    const type = TYPES[String(p.type)] ?? { da: String(p.type), en: String(p.type) };
    return { da: `skal være ${type.da}`, en: `must be ${type.en}` };
  },
  format: (p) => {
    const format = FORMATS[String(p.format)] ?? { da: String(p.format), en: String(p.format) };
    return { da: `skal være ${format.da}`, en: `must be ${format.en}` };
  },
  enum: (p) => {
    const allowed = Array.isArray(p.allowedValues) ? p.allowedValues : [];
    return allowed.length > 0 && allowed.length <= 12
      ? { da: `skal være en af: ${list(allowed)}`, en: `must be one of: ${list(allowed)}` }
      : { da: 'skal vælges på listen', en: 'must be chosen from the list' };
  },
  const: () => ({ da: 'har en værdi, der ikke passer her', en: 'has a value that does not fit here' }),
  minLength: (p) =>
    limit(p) <= 1
      ? { da: 'skal udfyldes', en: 'must not be empty' }
      : { da: `skal være mindst ${chars(limit(p)).da}`, en: `must be at least ${chars(limit(p)).en}` },
  maxLength: (p) => ({ da: `må højst være ${chars(limit(p)).da}`, en: `must be at most ${chars(limit(p)).en}` }),
  pattern: () => ({ da: 'har ikke den rigtige form', en: 'does not have the right form' }),
  minimum: (p) => ({ da: `skal være mindst ${limit(p)}`, en: `must be at least ${limit(p)}` }),
  maximum: (p) => ({ da: `må højst være ${limit(p)}`, en: `must be at most ${limit(p)}` }),
  exclusiveMinimum: (p) => ({ da: `skal være over ${limit(p)}`, en: `must be more than ${limit(p)}` }),
  exclusiveMaximum: (p) => ({ da: `skal være under ${limit(p)}`, en: `must be less than ${limit(p)}` }),
  minItems: (p) =>
    limit(p) === 1
      ? { da: 'skal have mindst ét valg', en: 'needs at least one choice' }
      : { da: `skal have mindst ${limit(p)} valg`, en: `needs at least ${limit(p)} choices` },
  maxItems: (p) => ({ da: `må højst have ${limit(p)} valg`, en: `may have at most ${limit(p)} choices` }),
  uniqueItems: () => ({ da: 'må ikke have det samme valg to gange', en: 'must not have the same choice twice' }),
  'x-no-cpr': () => ({ da: 'må ikke indeholde et CPR-nummer', en: 'must not contain a CPR number' }),
  'x-plain-text': () => ({
    da: 'indeholder tegn, der ikke kan gemmes',
    en: 'contains characters that cannot be stored',
  }),
};

const UNKNOWN: Record<Language, (english: string) => string> = {
  da: (english) => `er ikke gyldigt (tjenesten skriver: ${english})`,
  en: (english) => english,
};

/** What is wrong with a field, in the page's language: by the rule the API names, else its English marked as such. */
export function problemText(detail: FieldProblemDetail, language: Language): string {
  const phrase = detail.keyword ? PROBLEM_PHRASES[detail.keyword] : undefined;
  return phrase ? phrase(detail.params ?? {})[language] : UNKNOWN[language](detail.problem);
}

/** An API refusal in the page's language, with its code; an unknown code shows the API's message, said to be its own. */
export function errorText(
  error: { code: string; message: string; facts?: Record<string, unknown> },
  language: Language,
): string {
  const known = ERROR_TEXTS[error.code];
  if (!known)
    return language === 'da'
      ? `Tjenesten afviste (${error.code}) og skriver: ${error.message}`
      : `${error.message} (${error.code})`;
  const reference = error.facts?.reference;
  const which =
    typeof reference === 'string'
      ? language === 'da'
        ? ` Den åbne sag: ${reference}.`
        : ` The open case: ${reference}.`
      : '';
  return `${known[language]}${which} (${error.code})`;
}
