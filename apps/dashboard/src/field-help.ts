import type { Language } from './texts';

type Help = { da: string; en: string };

/**
 * Help under each field of a command form, in both languages, by the field's name. A name that means
 * different things in different commands (`reason`, `kind`, …) has one help per meaning, chosen by
 * the English description the API's schema gives it (apps/api/src/cases/command-catalogue.ts): a
 * changed description finds no help and fails test/dashboard-texts.spec.ts until it is written here.
 */
export const FIELD_HELP: Record<string, Help | { byDescription: Record<string, Help> }> = {
  estimatedDueDate: {
    byDescription: {
      'Estimated due date (YYYY-MM-DD).': {
        da: 'Terminsdatoen, som jordemoder eller læge har fastsat.',
        en: 'The due date set by the midwife or doctor.',
      },
      'The new estimated due date.': {
        da: 'Den nye terminsdato, fx efter en nakkefoldsscanning. Fristerne regnes om.',
        en: 'The new due date, e.g. after a dating scan. The deadlines are recalculated.',
      },
    },
  },
  municipality: {
    da: 'Den kommune, der har ansvaret for hende (handlekommunen).',
    en: 'The municipality responsible for her.',
  },
  referrer: { da: 'Hvem der har opsporet hende og rejst bekymringen.', en: 'Who detected her and raised the concern.' },
  kind: {
    byDescription: {
      'Who raised the concern.': {
        da: 'Hvilken slags fagperson eller sted.',
        en: 'What kind of professional or service.',
      },
      'Kind of treatment.': {
        da: 'Rusmiddelbehandling for stoffer, for alkohol eller for dobbeltdiagnose.',
        en: 'Substance-use treatment for drugs, for alcohol or for a dual diagnosis.',
      },
    },
  },
  name: {
    byDescription: {
      'Name of the referring practice or service.': {
        da: 'Lægehusets, jordemodercentrets eller stedets navn.',
        en: 'The name of the practice or service.',
      },
      'Name shown to colleagues.': {
        da: 'Tovholderens navn, som kolleger ser det.',
        en: 'The coordinator’s name as colleagues see it.',
      },
      'Her full name: 1–200 characters, no control characters, no CPR number (NAME_INVALID, NAME_CONTAINS_CPR). Encrypted at rest like the CPR number, never in the events or the logs; found by POST /v1/cases/search.':
        {
          da: 'Kvindens fulde navn. Gemmes krypteret som CPR-nummeret og skrives aldrig i loggen. Kun de, der må se hendes identitet, ser og søger på det.',
          en: 'Her full name. Stored encrypted like the CPR number and never logged. Only those who may see her identity see it and search by it.',
        },
      'Her full name, replacing any recorded before (as in register-concern). Only a caller shown her identity may send it (IDENTITY_NOT_SHOWN); the history says only that a name was recorded.':
        {
          da: 'Kvindens fulde navn. Erstatter et navn, der er registreret før. Historikken viser kun, at et navn er registreret.',
          en: 'Her full name. Replaces any name recorded before. The history shows only that a name was recorded.',
        },
    },
  },
  substances: {
    da: 'De rusmidler, hun bruger. Vælg mindst ét.',
    en: 'The substances she uses. Choose at least one.',
  },
  cpr: {
    da: 'Hendes CPR-nummer (DDMMÅÅ-XXXX). Gemmes krypteret og skrives aldrig i loggen.',
    en: 'Her CPR number (DDMMYY-XXXX). Stored encrypted and never logged.',
  },
  note: {
    da: 'Fritekst til sagens historik. Skriv ikke CPR-numre her.',
    en: 'Free text for the case history. Do not write CPR numbers here.',
  },
  occurredAt: {
    da: 'Udfyld kun, hvis det skete tidligere end nu.',
    en: 'Fill in only if it happened earlier than now.',
  },
  coordinator: {
    da: 'Den ene navngivne person, der har ansvaret for hele forløbet.',
    en: 'The one named person responsible for the whole course.',
  },
  id: { da: 'Tovholderens bruger-id, som hun logger ind med.', en: 'The coordinator’s user id, as she signs in.' },
  organisation: {
    da: 'Den kommune eller det familieambulatorium, tovholderen er ansat i.',
    en: 'The municipality or clinic employing the coordinator.',
  },
  clinic: {
    da: 'Familieambulatoriet. Står feltet tomt, bruges ambulatoriet i den ansvarlige kommunes region.',
    en: 'The clinic. If left empty, the clinic of the responsible municipality’s region.',
  },
  handoffId: {
    da: 'Den henvisning eller underretning, der kvitteres for.',
    en: 'The referral or notification being acknowledged.',
  },
  byProfessional: {
    da: 'Sendt af en fagperson. Så skal kommunen kvittere for modtagelsen.',
    en: 'Sent by a professional. The municipality must then confirm receipt.',
  },
  notificationId: {
    byDescription: {
      'Defaults to the oldest unconfirmed.': {
        da: 'Står feltet tomt, bruges den ældste underretning, der ikke er bekræftet.',
        en: 'If left empty, the oldest unconfirmed notification.',
      },
      'Defaults to the oldest unassessed.': {
        da: 'Står feltet tomt, bruges den ældste underretning, der ikke er vurderet.',
        en: 'If left empty, the oldest notification not yet assessed.',
      },
    },
  },
  outcome: {
    byDescription: {
      'acute measures, a child-welfare investigation, support, or no action': {
        da: 'Akutte foranstaltninger, en børnefaglig undersøgelse, støtte eller ingen handling.',
        en: 'Acute measures, a child-welfare investigation, support, or no action.',
      },
      'Her answer.': {
        da: 'Om hun har underskrevet eller takket nej til aftalen.',
        en: 'Whether she signed or declined the contract.',
      },
    },
  },
  decision: { da: 'Kommunens afgørelse.', en: 'The municipality’s decision.' },
  facility: {
    da: 'Døgnbehandlingstilbuddet. Skal vælges, når døgnbehandling bevilges.',
    en: 'The residential facility. Required when the placement is granted.',
  },
  scope: { da: 'Hvad samtykket gælder.', en: 'What the consent covers.' },
  status: { da: 'Om samtykket er givet eller trukket tilbage.', en: 'Whether the consent is given or withdrawn.' },
  overCapacityReason: {
    da: 'Hvorfor stedet indskriver hende, selv om alle pladser er optaget. Gemmes med indskrivningen. Skriv ikke CPR-numre her.',
    en: 'Why the facility admits her although every place is taken. Recorded with the admission. Do not write CPR numbers here.',
  },
  participants: { da: 'De organisationer, der deltog i mødet.', en: 'The organisations present.' },
  toMunicipality: { da: 'Den nye ansvarlige kommune.', en: 'The new responsible municipality.' },
  reason: {
    byDescription: {
      'How it ended.': { da: 'Hvordan graviditeten ophørte.', en: 'How the pregnancy ended.' },
      'Why the case closes.': { da: 'Hvorfor sagen lukkes.', en: 'Why the case closes.' },
      'Why the clock stops: she is in hospital, unreachable, awaiting consent.': {
        da: 'Hvorfor fristen holder pause, fx fordi hun er indlagt, ikke kan træffes eller samtykket afventes.',
        en: 'Why the clock stops, e.g. she is in hospital, unreachable, or consent is awaited.',
      },
      'Why the obligation no longer applies, e.g. she declines treatment.': {
        da: 'Hvorfor fristen ikke længere gælder, fx fordi hun takker nej til behandling.',
        en: 'Why the obligation no longer applies, e.g. she declines treatment.',
      },
    },
  },
  milestone: { da: 'Fristen, det drejer sig om.', en: 'The deadline concerned.' },
  person: {
    byDescription: {
      'The caseworker’s person id in the responsible municipality’s people. Null unassigns.': {
        da: 'Sagsbehandleren i den ansvarlige kommune, valgt blandt kommunens medarbejdere. Tom fjerner sagsbehandleren.',
        en: 'The caseworker in the responsible municipality, chosen from its people. Empty unassigns.',
      },
      'The person id in the owner organisation’s people. Null unassigns.': {
        da: 'Den medarbejder i fristens organisation, der skal tage sig af den. Tom fjerner tildelingen.',
        en: 'The person of the deadline’s organisation who is to see to it. Empty unassigns.',
      },
    },
  },
  version: {
    da: 'Den nyere version af forløbsbeskrivelsen, sagen skal følge.',
    en: 'The newer version of the pathway policy the case is to follow.',
  },
};

/** The help of a form field in the page's language: by its name, and where the name means several things, by the API's description. */
export function fieldHelp(name: string, description: string | undefined, language: Language): string | undefined {
  const entry = FIELD_HELP[name];
  if (!entry) return undefined;
  const help = 'byDescription' in entry ? (description ? entry.byDescription[description] : undefined) : entry;
  return help?.[language];
}
