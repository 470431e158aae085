import {
  addDays,
  ASSESSMENT_OUTCOMES,
  BACKDATABLE_COMMANDS,
  CASE_COMMAND_TYPES,
  CLINIC_IDS,
  CLOSE_REASONS,
  COMMAND_PERMISSIONS,
  CONSENT_SCOPES,
  MUNICIPALITY_CODES,
  PREGNANCY_END_REASONS,
  REFERRER_KINDS,
  SUBSTANCES,
  TREATMENT_KINDS,
} from '@app/pathway';

/** A JSON Schema (draft 2020-12 subset shared by ajv and OpenAPI 3.1). */
export type Schema = Record<string, unknown>;

/** A command people send over HTTP (the engine's own commands are not here). */
export type PublicCommandType = (typeof CASE_COMMAND_TYPES)[number];

export interface CommandEntry {
  type: PublicCommandType;
  summary: string;
  body: Schema;
  /** A body that works; one with due dates is made for a day (the service's today: see {@link exampleOf}). */
  example: Record<string, unknown> | ((today: string) => Record<string, unknown>);
}

/** The documented example of a command, with its due dates counted from `today` (YYYY-MM-DD), so that it stays valid. */
export function exampleOf(type: PublicCommandType, today: string): Record<string, unknown> {
  const { example } = COMMANDS[type];
  return typeof example === 'function' ? example(today) : example;
}

const ORGANISATION_ID = '^[a-z][a-z_-]*:[A-Za-z0-9._-]+$';
const milestone = {
  type: 'string',
  pattern: '^[a-z][a-z0-9-]*-[1-9][0-9]*$',
  description: 'The milestone instance, e.g. clinic-first-visit-1 (GET /v1/cases/{id}/milestones).',
};

/**
 * Free text: bounded, never a CPR number in plain text (keyword `x-no-cpr`), and nothing the
 * database cannot store: no NUL character, no unpaired surrogate (keyword `x-plain-text`).
 */
const text = (maxLength: number, description: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength,
  'x-no-cpr': true,
  'x-plain-text': true,
  description,
});
export const note = text(2000, 'Free text for the case history. Must not contain a CPR number.');
const occurredAt = {
  type: 'string',
  format: 'date-time',
  description: 'When it happened, if earlier than now (ISO 8601 with offset). Defaults to now.',
};
/** A person of the organisation's directory (GET /v1/organisations/{id}/people), or null for nobody. */
const person = (description: string): Schema => ({
  ...text(200, `${description} Null unassigns.`),
  type: ['string', 'null'],
});
const date = (description: string): Schema => ({ type: 'string', format: 'date', description });
const oneOf = (values: readonly string[], description: string): Schema => ({
  type: 'string',
  enum: [...values],
  description,
});

function object(type: PublicCommandType, properties: Record<string, Schema>, required: string[] = []): Schema {
  const all: Record<string, Schema> = { ...properties, note };
  if (BACKDATABLE_COMMANDS.has(type)) all.occurredAt = occurredAt;
  return { type: 'object', additionalProperties: false, required, properties: all };
}

/**
 * Her full name: its rules are the domain's (parsePersonName, on the trimmed name); the schema only
 * bounds the text and keeps it storable.
 */
const herName = (description: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: 400,
  'x-plain-text': true,
  description,
});

const registerConcern: Schema = {
  ...object(
    'register-concern',
    {
      estimatedDueDate: date('Estimated due date (YYYY-MM-DD).'),
      municipality: oneOf(MUNICIPALITY_CODES, 'Official code of the responsible municipality, e.g. "851" (Aalborg).'),
      referrer: {
        type: 'object',
        additionalProperties: false,
        required: ['kind'],
        properties: {
          kind: oneOf(REFERRER_KINDS, 'Who raised the concern.'),
          name: text(200, 'Name of the referring practice or service.'),
        },
      },
      substances: { type: 'array', minItems: 1, uniqueItems: true, items: oneOf(SUBSTANCES, 'A substance used.') },
      cpr: {
        type: 'string',
        format: 'cpr',
        description: 'CPR number, DDMMYYSSSS or DDMMYY-SSSS with a real date. Encrypted at rest, never logged.',
      },
      name: herName(
        'Her full name: 1–200 characters, no control characters, no CPR number (NAME_INVALID, NAME_CONTAINS_CPR). ' +
          'Encrypted at rest like the CPR number, never in the events or the logs; found by POST /v1/cases/search.',
      ),
    },
    ['estimatedDueDate', 'municipality', 'referrer', 'substances'],
  ),
};

/** Every command: its body schema, a body that works, and what it does. */
export const COMMANDS: Record<PublicCommandType, CommandEntry> = {
  'register-concern': {
    type: 'register-concern',
    summary: 'Register a concern (opens a case)',
    body: registerConcern,
    example: (today) => ({
      estimatedDueDate: addDays(today, 150),
      municipality: '851',
      referrer: { kind: 'gp', name: 'Lægehuset Hansen' },
      substances: ['cocaine'],
      note: 'Seen at the 12-week consultation.',
    }),
  },
  'assign-coordinator': {
    type: 'assign-coordinator',
    summary: 'Assign (or re-assign) the case coordinator',
    body: object(
      'assign-coordinator',
      {
        coordinator: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'organisation'],
          properties: {
            id: text(200, 'The coordinator’s user id (token subject).'),
            name: text(200, 'Name shown to colleagues.'),
            organisation: {
              type: 'string',
              pattern: ORGANISATION_ID,
              description: 'The municipality or clinic employing the coordinator.',
            },
          },
        },
      },
      ['coordinator'],
    ),
    example: { coordinator: { id: 'alice', name: 'Alice Jensen', organisation: 'municipality:851' } },
  },
  'assign-caseworker': {
    type: 'assign-caseworker',
    summary: 'Assign (re-assign or unassign) the case’s caseworker, a person of the responsible municipality',
    body: object(
      'assign-caseworker',
      { person: person('The caseworker’s person id in the responsible municipality’s people.') },
      ['person'],
    ),
    example: { person: 'mia', note: 'Mia takes over from Bo.' },
  },
  'claim-case': {
    type: 'claim-case',
    summary: 'Take the case: the caller becomes its caseworker (a person of the responsible municipality)',
    body: object('claim-case', {}),
    example: {},
  },
  'refer-to-clinic': {
    type: 'refer-to-clinic',
    summary: 'Refer to the family outpatient clinic (a hand-off the clinic must acknowledge)',
    body: object('refer-to-clinic', {
      clinic: oneOf(CLINIC_IDS, 'The clinic; defaults to the clinic of the responsible municipality’s region.'),
    }),
    example: {},
  },
  'acknowledge-handoff': {
    type: 'acknowledge-handoff',
    summary: 'Acknowledge a referral or notification sent to your organisation',
    body: object(
      'acknowledge-handoff',
      { handoffId: { type: 'string', pattern: '^handoff-[1-9][0-9]*$', description: 'From the case’s handoffs.' } },
      ['handoffId'],
    ),
    example: { handoffId: 'handoff-1' },
  },
  'record-clinic-visit': {
    type: 'record-clinic-visit',
    summary: 'Record a visit at the clinic',
    body: object('record-clinic-visit', {}),
    example: {},
  },
  'notify-municipality': {
    type: 'notify-municipality',
    summary: 'Notify the responsible municipality (underretning)',
    body: object('notify-municipality', {
      byProfessional: {
        type: 'boolean',
        description: 'Sent by a professional (the municipality must confirm receipt). Default true.',
      },
    }),
    example: { note: 'Concern for the unborn child: daily cocaine use.' },
  },
  'confirm-notification-receipt': {
    type: 'confirm-notification-receipt',
    summary: 'Confirm receipt of a notification to the notifier',
    body: object('confirm-notification-receipt', {
      notificationId: {
        type: 'string',
        pattern: '^notification-[1-9][0-9]*$',
        description: 'Defaults to the oldest unconfirmed.',
      },
    }),
    example: {},
  },
  'assess-notification': {
    type: 'assess-notification',
    summary: 'Assess a notification (within 24 hours)',
    body: object(
      'assess-notification',
      {
        notificationId: {
          type: 'string',
          pattern: '^notification-[1-9][0-9]*$',
          description: 'Defaults to the oldest unassessed.',
        },
        outcome: oneOf(ASSESSMENT_OUTCOMES, 'acute measures, a child-welfare investigation, support, or no action'),
      },
      ['outcome'],
    ),
    example: { outcome: 'investigate' },
  },
  'request-treatment': {
    type: 'request-treatment',
    summary: 'Request substance-use treatment',
    body: object('request-treatment', { kind: oneOf(TREATMENT_KINDS, 'Kind of treatment.') }, ['kind']),
    example: { kind: 'drugs' },
  },
  'start-treatment': {
    type: 'start-treatment',
    summary: 'Record that treatment started',
    body: object('start-treatment', {}),
    example: {},
  },
  'conclude-investigation': {
    type: 'conclude-investigation',
    summary: 'Conclude the child-welfare investigation',
    body: object('conclude-investigation', {}),
    example: { note: 'Support measures agreed.' },
  },
  'request-residential-placement': {
    type: 'request-residential-placement',
    summary: 'Request residential treatment',
    body: object('request-residential-placement', {}),
    example: {},
  },
  'decide-residential-placement': {
    type: 'decide-residential-placement',
    summary: 'Grant (with a facility) or refuse residential placement',
    body: {
      ...object(
        'decide-residential-placement',
        {
          decision: oneOf(['granted', 'refused'], 'The decision.'),
          facility: {
            type: 'string',
            pattern: '^facility:[a-z0-9][a-z0-9-]{0,62}$',
            description: 'The residential facility (required when granted): one of GET /v1/facilities, not retired.',
          },
        },
        ['decision'],
      ),
      if: { properties: { decision: { const: 'granted' } } },
      then: { required: ['facility'] },
    },
    example: { decision: 'granted', facility: 'facility:holmegaardshuset' },
  },
  'record-consent': {
    type: 'record-consent',
    summary: 'Record consent given or withdrawn',
    body: object(
      'record-consent',
      {
        scope: oneOf(CONSENT_SCOPES, 'What the consent covers.'),
        status: oneOf(['given', 'withdrawn'], 'Given or withdrawn.'),
      },
      ['scope', 'status'],
    ),
    example: { scope: 'residential', status: 'given' },
  },
  'offer-retention-contract': {
    type: 'offer-retention-contract',
    summary: 'Offer a retention contract (signed or declined)',
    body: object('offer-retention-contract', { outcome: oneOf(['signed', 'declined'], 'Her answer.') }, ['outcome']),
    example: { outcome: 'declined' },
  },
  'admit-to-residential': {
    type: 'admit-to-residential',
    summary:
      'Admit to the granted residential facility; into a full facility (`FACILITY_FULL`) only with its staff’s overCapacityReason',
    body: object('admit-to-residential', {
      overCapacityReason: text(
        2000,
        'Why the facility admits her although every place is taken (recorded with the admission). Must not contain a CPR number.',
      ),
    }),
    example: {},
  },
  'start-retention-episode': {
    type: 'start-retention-episode',
    summary: 'Start a retention episode (needs a signed contract)',
    body: object('start-retention-episode', {}),
    example: {},
  },
  'end-retention-episode': {
    type: 'end-retention-episode',
    summary: 'End the running retention episode',
    body: object('end-retention-episode', {}),
    example: {},
  },
  'end-retention-contract': {
    type: 'end-retention-contract',
    summary: 'End the signed retention contract before the birth (its total time is met)',
    body: object('end-retention-contract', {}),
    example: {},
  },
  'discharge-from-residential': {
    type: 'discharge-from-residential',
    summary: 'Discharge from residential treatment',
    body: object('discharge-from-residential', {}),
    example: {},
  },
  'record-network-meeting': {
    type: 'record-network-meeting',
    summary: 'Record a network meeting',
    body: object('record-network-meeting', {
      participants: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
        items: { type: 'string', pattern: ORGANISATION_ID },
        description: 'Organisations present.',
      },
    }),
    example: { participants: ['municipality:851', 'clinic:1081'] },
  },
  'update-due-date': {
    type: 'update-due-date',
    summary: 'Correct the estimated due date',
    body: object('update-due-date', { estimatedDueDate: date('The new estimated due date.') }, ['estimatedDueDate']),
    example: (today) => ({ estimatedDueDate: addDays(today, 144), note: 'Dating scan.' }),
  },
  'transfer-municipality': {
    type: 'transfer-municipality',
    summary: 'Move the case to another responsible municipality',
    body: object(
      'transfer-municipality',
      { toMunicipality: oneOf(MUNICIPALITY_CODES, 'Official code of the new municipality.') },
      ['toMunicipality'],
    ),
    example: { toMunicipality: '751' },
  },
  'record-birth': { type: 'record-birth', summary: 'Record the birth', body: object('record-birth', {}), example: {} },
  'record-post-birth-plan': {
    type: 'record-post-birth-plan',
    summary: 'Record the post-birth plan',
    body: object('record-post-birth-plan', {}),
    example: { note: 'Family support at home; weekly visits.' },
  },
  'record-health-visitor-visit': {
    type: 'record-health-visitor-visit',
    summary: 'Record a health-visitor visit',
    body: object('record-health-visitor-visit', {}),
    example: {},
  },
  'record-postpartum-check': {
    type: 'record-postpartum-check',
    summary: 'Record the postpartum check',
    body: object('record-postpartum-check', {}),
    example: {},
  },
  'record-pregnancy-ended': {
    type: 'record-pregnancy-ended',
    summary: 'Record that the pregnancy ended without a birth',
    body: object('record-pregnancy-ended', { reason: oneOf(PREGNANCY_END_REASONS, 'How it ended.') }, ['reason']),
    example: { reason: 'miscarriage' },
  },
  'record-lost-contact': {
    type: 'record-lost-contact',
    summary: 'Record that contact with her is lost',
    body: object('record-lost-contact', {}),
    example: { note: 'Not at home; phone off for three days.' },
  },
  'record-contact-restored': {
    type: 'record-contact-restored',
    summary: 'Record that contact is restored',
    body: object('record-contact-restored', {}),
    example: {},
  },
  'record-name': {
    type: 'record-name',
    summary: 'Record or correct her name',
    body: object(
      'record-name',
      {
        name: herName(
          'Her full name, replacing any recorded before (as in register-concern). Only a caller shown her identity ' +
            'may send it (IDENTITY_NOT_SHOWN); the history says only that a name was recorded.',
        ),
      },
      ['name'],
    ),
    example: { name: 'Anna Marie Jensen' },
  },
  'close-case': {
    type: 'close-case',
    summary: 'Close the case (then it can only be read)',
    body: object('close-case', { reason: oneOf(CLOSE_REASONS, 'Why the case closes.') }, ['reason']),
    example: { reason: 'completed' },
  },
  'pause-milestone': {
    type: 'pause-milestone',
    summary: 'Pause a milestone’s clock (not a legal deadline; total pause capped by the policy)',
    body: object(
      'pause-milestone',
      { milestone, reason: text(500, 'Why the clock stops: she is in hospital, unreachable, awaiting consent.') },
      ['milestone', 'reason'],
    ),
    example: { milestone: 'clinic-first-visit-1', reason: 'Admitted to hospital for observation.' },
  },
  'assign-milestone': {
    type: 'assign-milestone',
    summary: 'Assign (re-assign or unassign) who does a milestone, a person of its owner organisation',
    body: object(
      'assign-milestone',
      { milestone, person: person('The person id in the owner organisation’s people.') },
      ['milestone', 'person'],
    ),
    example: { milestone: 'coordinator-assignment-1', person: 'mia' },
  },
  'claim-milestone': {
    type: 'claim-milestone',
    summary: 'Take a milestone: the caller does it (a person of its owner organisation)',
    body: object('claim-milestone', { milestone }, ['milestone']),
    example: { milestone: 'coordinator-assignment-1' },
  },
  'resume-milestone': {
    type: 'resume-milestone',
    summary: 'Resume a paused milestone’s clock',
    body: object('resume-milestone', { milestone }, ['milestone']),
    example: { milestone: 'clinic-first-visit-1' },
  },
  'waive-milestone': {
    type: 'waive-milestone',
    summary: 'Close a milestone as waived, with a reason (not a legal deadline)',
    body: object(
      'waive-milestone',
      { milestone, reason: text(500, 'Why the obligation no longer applies, e.g. she declines treatment.') },
      ['milestone', 'reason'],
    ),
    example: { milestone: 'treatment-start-1', reason: 'She declines treatment.' },
  },
  'migrate-policy': {
    type: 'migrate-policy',
    summary: 'Move the case to a newer version of its pathway policy (recomputes open milestones)',
    body: object(
      'migrate-policy',
      { version: { type: 'integer', minimum: 1, description: 'The newer policy version (see GET /v1/pathway).' } },
      ['version'],
    ),
    example: { version: 2 },
  },
};

/** Commands sent as POST /v1/cases/{id}/{command}: all but register-concern. */
export const CASE_COMMANDS = CASE_COMMAND_TYPES.filter((t) => t !== 'register-concern');

export function rolesFor(type: PublicCommandType): readonly string[] {
  return COMMAND_PERMISSIONS[type];
}
