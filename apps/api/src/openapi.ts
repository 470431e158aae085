import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Clock } from '@app/config';
import { CONTACT_TIERS, localDate, LOST_CONTACT_EFFECT_TEXT, SHOWN_MILESTONE_STATUSES, STAGES } from '@app/pathway';
import { CASE_LIST_SORTS, MAX_CASE_PAGE } from '@app/cases';
import { CASE_COMMANDS, COMMANDS, exampleOf, rolesFor, type Schema } from './cases/command-catalogue';
import { BULK_ACKNOWLEDGE_BODY } from './alerts/alerts.controller';
import { LOCAL_SIGN_IN_BODY } from './sign-in/sign-in.controller';
import { NEW_PERSON_BODY, RENAMED_PERSON_BODY } from './organisations/people.controller';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, example?: unknown) => ({
  content: { 'application/json': { schema, ...(example !== undefined && { example }) } },
});
const error = (description: string) => ({ description, ...json(ref('Error')) });

const ERRORS = {
  400: error('Invalid body, unknown field or malformed JSON (`VALIDATION_FAILED`, `MALFORMED_JSON`)'),
  401: error(
    'Missing or invalid token (`UNAUTHENTICATED`), or one that breaks a token rule (`ROLE_ORGANISATION_MISMATCH`, `TOKEN_LIFETIME_TOO_LONG`, `TOKEN_ISSUED_IN_FUTURE`, `SUBJECT_IS_CPR`)',
  ),
  403: error('Your role or organisation may not do this (`ROLE_NOT_PERMITTED`, `NOT_RESPONSIBLE_MUNICIPALITY`, …)'),
  404: error('No such case, or not one of your organisations’ cases (`CASE_NOT_FOUND`)'),
  409: error('If-Match names an older version (`VERSION_CONFLICT`); re-read and decide again'),
  413: error('Body over 64 KiB (`PAYLOAD_TOO_LARGE`)'),
  422: error('Not allowed now, with a stable code (`CONSENT_REQUIRED`, `CASE_CLOSED`, …)'),
  429: {
    ...error(
      'Too many requests for your account or from your address in the window (`RATE_LIMITED`); the message and `Retry-After` say in how many seconds to try again',
    ),
    headers: { 'Retry-After': { description: 'Seconds until the window ends', schema: { type: 'integer' } } },
  },
  503: {
    ...error(
      'The database cannot be reached right now (`SERVICE_UNAVAILABLE`); try again after `Retry-After` seconds (a command with the same `Idempotency-Key`: it is applied once)',
    ),
    headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } },
  },
};

/** A page of cases (GET /v1/cases, POST /v1/cases/search). */
const CASE_PAGE = {
  type: 'object',
  properties: {
    items: { type: 'array', items: ref('Case') },
    total: { type: 'integer', description: 'Every case matching, over all pages' },
    nextCursor: { type: ['string', 'null'] },
  },
};

const ORGANISATION_QUERY = {
  name: 'organisation',
  in: 'query',
  required: false,
  description:
    'One organisation to look at: one of yours, or any for the platform administrator (an admin of `pathway:platform`); all of yours when absent. 403 `NOT_ORGANISATION_ADMIN` for an admin of another organisation',
  schema: { type: 'string' },
};

const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
  example,
});
const COMMAND_HEADERS = [
  header(
    'If-Match',
    'The case version you decided on, as returned in ETag. A stale version gets 409 VERSION_CONFLICT.',
    '"3"',
  ),
  header(
    'Idempotency-Key',
    'Sending the same key again, as the same subject for the same organisation, returns the first response and appends nothing (another body: 422 IDEMPOTENCY_KEY_REUSED). The key is looked up after the access check: a case you may not act on answers as without the key, and your key in another organisation is a new key.',
    '6a1f0c1e-register-1',
  ),
  header('X-Correlation-Id', 'Ties the events to a flow of your own; generated when absent.', 'visit-2026-11-23'),
  header(
    'Prefer',
    'return=representation: answer with the case after the command too (RFC 7240). By default a command answers with its new version and events.',
    'return=representation',
  ),
];
/** What the platform administrator sets on a residential facility. */
const FACILITY_FIELDS = {
  name: { type: 'string', maxLength: 200 },
  owner: { type: 'string', maxLength: 200, description: 'Who runs it: private, a municipality or a region, in words' },
  municipalityCode: { type: 'string', pattern: '^[0-9]{3}$', description: 'Where it lies; its region follows' },
  places: { type: 'integer', minimum: 0, description: 'Places for pregnant women' },
  retentionPlaces: { type: 'integer', minimum: 0, description: 'Of those, places for retention (no more than places)' },
};
const CASE_ID = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ACTOR = {
  type: 'object',
  properties: { id: { type: 'string' }, role: { type: 'string' }, organisation: { type: 'string' } },
};
const REPORT_FORMAT = {
  name: 'format',
  in: 'query',
  schema: { type: 'string', enum: ['json', 'csv'] },
  description:
    'csv: the same as `Accept: text/csv`, for a plain link. The CSV opens in a Danish Excel: UTF-8 with a byte order mark, `;` between cells, a decimal comma, durations in hours and days (`*_hours`, `*_days`), the definitions as `# ` lines above the table',
};

/** A deadline of a referral (GET /v1/referrals), and whether it is kept. */
const REFERRAL_DEADLINE = {
  type: 'object',
  properties: {
    milestone: { type: 'string' },
    title: { type: ['object', 'null'] },
    owner: { type: 'string' },
    status: { type: 'string' },
    dueAt: { type: 'string' },
    metAt: { type: ['string', 'null'], description: 'when it was met (null: not met, or waived)' },
    onTime: {
      type: ['boolean', 'null'],
      description: 'met in time or not yet due; false when late or breached; null when waived',
    },
  },
};

const CASE: Schema = {
  type: 'object',
  description:
    'A case as the caller may see it: only the fields of the classes the disclosure policy grants the caller’s part in the case (GET /v1/disclosure), given her consent. `cpr` is shown in full only to the responsible municipality’s caseworkers and the case’s clinic (each such read is recorded in the case’s audit as a `cpr` read), masked to some parts, and left out for the others; never in lists or command answers.',
  properties: {
    id: { type: 'string', format: 'uuid' },
    reference: { type: 'string', description: 'Short reference for phone calls and alerts, e.g. K7F3QX' },
    version: { type: 'integer' },
    stage: { type: 'string', enum: [...STAGES] },
    status: { type: 'string', enum: ['open', 'closed'] },
    estimatedDueDate: { type: 'string', format: 'date' },
    gestationalAge: { type: ['object', 'null'], properties: { weeks: { type: 'integer' }, days: { type: 'integer' } } },
    birthImminent: { type: 'boolean', description: 'From week 37' },
    municipality: {
      type: 'object',
      properties: { code: { type: 'string' }, name: { type: 'string' }, region: { type: 'string' } },
    },
    coordinator: { type: ['object', 'null'] },
    caseworker: {
      type: ['object', 'null'],
      description: 'The responsible municipality’s caseworker (assign-caseworker, claim-case): id, name, organisation',
    },
    clinic: { type: ['string', 'null'] },
    consent: { type: 'object', description: 'Per scope: given, withdrawn or null (not recorded)' },
    handoffs: { type: 'array', items: { type: 'object' } },
    notifications: { type: 'array', items: { type: 'object' } },
    parties: { type: 'array', items: { type: 'string' }, description: 'Organisations with a part in the case' },
    cpr: { type: ['string', 'null'] },
    name: {
      type: ['string', 'null'],
      description:
        'GET /v1/cases/{id} only, exactly where `cpr` is shown (in full, whatever the form of `cpr`): her name, each read recorded in the case’s audit as a `name` read; null when none was recorded or it cannot be decrypted.',
    },
    earlierCases: {
      type: 'array',
      description:
        'GET /v1/cases/{id} only, to a caller shown her identity: her cases registered before this one (earlier pregnancies, linked by the keyed blind index of her CPR number), each only if the caller is shown her identity there too.',
      items: {
        type: 'object',
        properties: {
          reference: { type: 'string' },
          detectedAt: { type: 'string', format: 'date-time' },
          closedAt: { type: ['string', 'null'], format: 'date-time' },
          closeReason: { type: ['string', 'null'] },
          stage: { type: 'string', enum: [...STAGES], description: 'The furthest stage the path reached' },
        },
      },
    },
  },
  additionalProperties: true,
};

/** The OpenAPI 3.1 document: every route, and every command with its body schema and a working example. */
function buildOpenApiDocument(today: string): OpenAPIObject {
  const paths: Record<string, unknown> = {
    '/health': {
      get: {
        tags: ['operations'],
        summary: 'Readiness, as /health/ready (kept for existing users)',
        security: [],
        responses: { 200: { description: 'PostgreSQL answers' }, 503: { description: 'PostgreSQL does not' } },
      },
    },
    '/health/ready': {
      get: {
        tags: ['operations'],
        summary: 'Readiness: PostgreSQL answers (Redis down or misconfigured is reported as degraded, still 200)',
        security: [],
        responses: { 200: { description: 'PostgreSQL answers' }, 503: { description: 'PostgreSQL does not' } },
      },
    },
    '/health/live': {
      get: {
        tags: ['operations'],
        summary: 'Liveness: the process serves (no dependency is checked)',
        security: [],
        responses: { 200: { description: 'Alive' } },
      },
    },
    '/v1/cases': {
      post: {
        tags: ['commands'],
        operationId: 'register-concern',
        summary: COMMANDS['register-concern'].summary,
        description: `Roles: ${rolesFor('register-concern').join(', ')}. Answers 201 with Location, ETag "1" and the case; 409 CASE_ALREADY_OPEN when she has an open case.`,
        'x-roles': rolesFor('register-concern'),
        parameters: COMMAND_HEADERS.filter((h) => h.name !== 'If-Match' && h.name !== 'Prefer'),
        requestBody: {
          required: true,
          ...json(COMMANDS['register-concern'].body, exampleOf('register-concern', today)),
        },
        responses: {
          201: { description: 'The new case', ...json(ref('Case')) },
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
          409: error(
            'She has an open case (`CASE_ALREADY_OPEN`, found by the keyed blind index of her CPR number): `details.reference` names it when you may see that case; otherwise one neutral answer without details. Record the concern in the open case; a closed earlier case does not block.',
          ),
          413: ERRORS[413],
          422: ERRORS[422],
        },
      },
      get: {
        tags: ['cases'],
        summary: 'Your organisations’ cases: found by reference, filtered, sorted and paged',
        description: `Every filter is scoped to your organisations’ cases and each item shows what your part in it discloses; CPR numbers are never listed. \`total\` counts every match over all pages. Pages hold at most ${MAX_CASE_PAGE} cases: a larger \`limit\` is refused (400), never cut. A CPR number in \`q\` is refused with 400 \`CPR_IN_URL\`: search for it with POST /v1/cases/search.`,
        parameters: [
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string', maxLength: 100 },
            description:
              'A case reference: exact, in any case. Never her name or CPR number: those are searched by POST /v1/cases/search only (a URL ends up in logs)',
          },
          { name: 'stage', in: 'query', schema: { type: 'string', enum: [...STAGES] } },
          { name: 'municipality', in: 'query', schema: { type: 'string' }, example: '851' },
          { name: 'coordinator', in: 'query', schema: { type: 'string' }, description: 'The coordinator’s user id' },
          {
            name: 'caseworker',
            in: 'query',
            schema: { type: 'string' },
            description: 'The caseworker’s user id (GET /v1/organisations/{id}/people)',
          },
          {
            name: 'overdue',
            in: 'query',
            schema: { type: 'string', enum: ['true', 'false'] },
            description: '`true`: only cases with an open milestone past due',
          },
          {
            name: 'birthImminent',
            in: 'query',
            schema: { type: 'string', enum: ['true', 'false'] },
            description: '`true`: only open cases in the birth-imminent weeks (37+ by the active policy)',
          },
          {
            name: 'sort',
            in: 'query',
            schema: { type: 'string', enum: [...CASE_LIST_SORTS], default: 'registered' },
            description:
              '`registered`: newest detection first; `due-date`: soonest estimated due date first; `reference`: by reference',
          },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: MAX_CASE_PAGE, default: 50 },
          },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: '`nextCursor` of the previous page, with the same filters and sort (else `INVALID_CURSOR`)',
          },
        ],
        responses: {
          200: { description: 'A page', ...json(CASE_PAGE) },
          400: error(
            'A bad parameter (`VALIDATION_FAILED`, with each field at fault), a cursor the API did not issue for this sort (`INVALID_CURSOR`), a CPR number in the URL (`CPR_IN_URL`), a filter or order on what your role is not shown in every case it has a part in (`FILTER_NOT_SHOWN`: the referrer by stage, coordinator, caseworker, overdue, birth imminent or due date)',
          ),
          401: ERRORS[401],
        },
      },
    },
    '/v1/cases/search': {
      post: {
        tags: ['cases'],
        operationId: 'search-cases',
        summary: 'Find cases by reference, her CPR number or her name, with the filters of GET /v1/cases in the body',
        description: `The filters, sort and paging of GET /v1/cases as a JSON body (\`overdue\` and \`birthImminent\` as booleans, \`limit\` a number, at most ${MAX_CASE_PAGE}), where \`q\` may also be her CPR number (DDMMYY-SSSS or ten digits): a body is not kept in access logs, proxies and browser histories as a URL is. A CPR number is looked up by its keyed blind index, exactly; every case of hers that you may see her identity in is answered on one page (\`nextCursor\` null), and each is recorded in its audit as a read (\`cpr-search\`). A case whose identity your part does not show is not found by her CPR number: the answer is the same as for a number of no case. A \`q\` that is neither her CPR number nor the reference of one of your cases searches her name: every word of it (two letters or more, in any case; æ, ø and å are letters of their own: Aberg does not find Åberg) must be a word of her name, so "Anna Jensen" finds "Anna Marie Jensen"; looked up by the keyed blind index of the words, answered on one page, each case recorded as a read (\`name-search\`), and only cases whose identity your part shows (else the answer for no match). A name is searched only here, never by the \`q\` of GET /v1/cases: a URL ends up in logs. Not a write: answers 200.`,
        requestBody: {
          required: false,
          ...json(
            {
              type: 'object',
              additionalProperties: false,
              properties: {
                q: { type: 'string', maxLength: 100, description: 'A case reference, or her CPR number' },
                stage: { type: 'string', enum: [...STAGES] },
                municipality: { type: 'string' },
                coordinator: { type: 'string' },
                caseworker: { type: 'string' },
                overdue: { type: 'boolean' },
                birthImminent: { type: 'boolean' },
                sort: { type: 'string', enum: [...CASE_LIST_SORTS] },
                limit: { type: 'integer', minimum: 1, maximum: MAX_CASE_PAGE, default: 50 },
                cursor: { type: 'string' },
              },
            },
            { q: '030487-1234', sort: 'registered', limit: 20 },
          ),
        },
        responses: {
          200: { description: 'A page', ...json(CASE_PAGE) },
          400: error(
            'A bad field (`VALIDATION_FAILED`, with each field at fault) a cursor the API did not issue for this sort (`INVALID_CURSOR`), or a filter or order on what your role is not shown in every case it has a part in (`FILTER_NOT_SHOWN`)',
          ),
          401: ERRORS[401],
          413: ERRORS[413],
        },
      },
    },
    '/v1/cases/{id}': {
      get: {
        tags: ['cases'],
        summary: 'A case: stage, version (also as ETag), gestational age, municipality, coordinator, consent',
        parameters: [CASE_ID],
        responses: { 200: { description: 'The case', ...json(ref('Case')) }, 401: ERRORS[401], 404: ERRORS[404] },
      },
    },
    '/v1/cases/{id}/events': {
      get: {
        tags: ['cases'],
        summary:
          'The history of a case: every event with who recorded it, of the classes the caller’s part is shown (GET /v1/disclosure); notes, substances and outcomes only with their class',
        parameters: [CASE_ID],
        responses: {
          200: {
            description: 'The events, oldest first',
            ...json({ type: 'object', properties: { events: { type: 'array', items: ref('HistoryEntry') } } }),
          },
          401: ERRORS[401],
          404: ERRORS[404],
        },
      },
    },
    '/v1/cases/{id}/milestones': {
      get: {
        tags: ['milestones'],
        summary: 'A case’s milestones: status, due time, time left, ladder level and the explanation of each due time',
        parameters: [CASE_ID],
        responses: {
          200: {
            description: 'The milestones, in the order they opened',
            ...json({ type: 'object', properties: { milestones: { type: 'array', items: ref('Milestone') } } }),
          },
          401: ERRORS[401],
          404: ERRORS[404],
        },
      },
    },
    '/v1/cases/{id}/actions': {
      get: {
        tags: ['cases'],
        summary:
          'The commands you may send on the case now, with what is known of each body and the schema of the rest (to render a form)',
        description:
          'First the commands that meet an open milestone your organisation owns (or, as the case’s coordinator, any open milestone), soonest due first; ' +
          'then those that fit where the case is (pausing, resuming or waiving a milestone among them), in the catalogue’s order. Only what your role may send and ' +
          'what the case’s rules accept now, as far as it can be known before the form is filled in. Send one as `POST /v1/cases/{id}/{command}` with ' +
          '`prefill` plus the fields people fill in. A closed case offers nothing; so does any case to auditors and administrators, who only read. ' +
          'Reading it is not recorded as a read of the case (GET /v1/cases/{id} is).',
        parameters: [CASE_ID],
        responses: {
          200: {
            description: 'The actions, in the order to show them',
            ...json(
              { type: 'object', properties: { actions: { type: 'array', items: ref('CaseAction') } } },
              {
                actions: [
                  {
                    command: 'assess-notification',
                    summary: COMMANDS['assess-notification'].summary,
                    reason: 'meets-milestone',
                    milestone: 'notification-assessment-1',
                    prefill: { notificationId: 'notification-1' },
                    body: COMMANDS['assess-notification'].body,
                  },
                  {
                    command: 'record-lost-contact',
                    summary: COMMANDS['record-lost-contact'].summary,
                    reason: 'stage',
                    body: COMMANDS['record-lost-contact'].body,
                  },
                ],
              },
            ),
          },
          401: ERRORS[401],
          404: ERRORS[404],
        },
      },
    },
    '/v1/cases/{id}/audit': {
      get: {
        tags: ['audit'],
        summary:
          'Who wrote what to the case and who looked at it (reads are recorded, this one too), with the case’s hash chain checked',
        parameters: [CASE_ID],
        responses: {
          200: {
            description:
              'The writes (every event: who, role, organisation, when, what) of the classes the caller’s part is shown (GET /v1/disclosure), the reads (all of them with the logistics, else her own organisations’) and the chain check',
            ...json({
              type: 'object',
              properties: {
                caseId: { type: 'string', format: 'uuid' },
                reference: { type: 'string' },
                writes: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      sequence: { type: 'integer' },
                      type: { type: 'string' },
                      kind: { type: 'string', enum: ['fact', 'milestone'] },
                      actor: ACTOR,
                      recordedAt: { type: 'string', format: 'date-time' },
                      correlationId: { type: 'string' },
                    },
                  },
                },
                reads: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      reader: ACTOR,
                      view: {
                        type: 'string',
                        enum: ['case', 'events', 'milestones', 'audit', 'cpr', 'name', 'cpr-search', 'name-search'],
                        description:
                          '`cpr`: the answer to the read of the case beside it showed her CPR number in full; `name`: it showed her name; `cpr-search`, `name-search`: a search for her CPR number, her name found the case',
                      },
                      readAt: { type: 'string', format: 'date-time' },
                    },
                  },
                },
                chain: {
                  type: 'object',
                  properties: {
                    ok: { type: 'boolean' },
                    events: { type: 'integer' },
                    breaks: { type: 'array', items: ref('ChainBreak') },
                  },
                },
              },
            }),
          },
          401: ERRORS[401],
          404: ERRORS[404],
        },
      },
    },
    '/v1/audit/verify': {
      get: {
        tags: ['audit'],
        summary:
          'Auditors and administrators: recompute the hash chains of their organisations’ cases (every case for the platform administrator and the national authority) or of one case, and name each event where one breaks',
        parameters: [{ name: 'caseId', in: 'query', schema: { type: 'string', format: 'uuid' } }],
        responses: {
          200: {
            description: 'The check',
            ...json({
              type: 'object',
              properties: {
                ok: { type: 'boolean' },
                streams: { type: 'integer' },
                events: { type: 'integer' },
                breakCount: { type: 'integer' },
                breaks: { type: 'array', description: 'The first 100 breaks', items: ref('ChainBreak') },
                checkedAt: { type: 'string', format: 'date-time' },
              },
            }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
        },
      },
    },
    '/v1/reports/handling-times': {
      get: {
        tags: ['reports'],
        summary:
          'Handling times per milestone rule and case interval: count, median, p90, max and breach rate, optionally per municipality, region or organisation. Aggregates only. `Accept: text/csv` or `format=csv` for CSV.',
        parameters: [
          {
            name: 'from',
            in: 'query',
            schema: { type: 'string' },
            example: '2026-01-01',
            description:
              'A date (from its midnight in Copenhagen) or an instant; inclusive. Default: 12 months before the end',
          },
          {
            name: 'to',
            in: 'query',
            schema: { type: 'string' },
            example: '2026-12-31',
            description:
              'A date: inclusive, the whole Copenhagen day (23 or 25 hours when the clocks change), so the period ends at the next midnight (a date was exclusive before; send the last day wanted). An instant: exclusive. Default: now (today so far)',
          },
          {
            name: 'groupBy',
            in: 'query',
            schema: {
              type: 'string',
              enum: ['milestone', 'municipality', 'region', 'organisation'],
              default: 'milestone',
            },
          },
          {
            name: 'measure',
            in: 'query',
            schema: { type: 'string' },
            example: 'notification-assessment',
            description: 'One milestone rule or case interval',
          },
          REPORT_FORMAT,
        ],
        responses: {
          200: {
            description: 'The figures and their definitions',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    from: { type: 'string', format: 'date-time', description: 'The first instant counted' },
                    to: {
                      type: 'string',
                      format: 'date-time',
                      description: 'The end of the period, exclusive: for a date `to`, the next midnight in Copenhagen',
                    },
                    groupBy: { type: 'string' },
                    definitions: { type: 'array', items: { type: 'string' } },
                    rows: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          measure: { type: 'string' },
                          kind: { type: 'string', enum: ['milestone', 'interval'] },
                          group: {
                            type: ['object', 'null'],
                            properties: { id: { type: 'string' }, name: { type: 'string' } },
                          },
                          count: { type: 'integer' },
                          medianMs: { type: 'integer' },
                          p90Ms: { type: 'integer' },
                          maxMs: { type: 'integer' },
                          breached: { type: ['integer', 'null'] },
                          breachRate: { type: ['number', 'null'] },
                        },
                      },
                    },
                  },
                },
              },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          400: ERRORS[400],
          401: ERRORS[401],
        },
      },
    },
    '/v1/reports/annual': {
      get: {
        tags: ['reports'],
        summary:
          'The yearly table for the national authority: women referred to any treatment and to residential treatment, per municipality (all 98), region and nationally, with the definitions',
        parameters: [
          { name: 'year', in: 'query', required: true, schema: { type: 'integer' }, example: 2026 },
          REPORT_FORMAT,
        ],
        responses: { 200: { description: 'The table (JSON or CSV)' }, 400: ERRORS[400], 401: ERRORS[401] },
      },
    },
    '/v1/reports/capacity': {
      get: {
        tags: ['reports'],
        summary:
          'Per residential facility (retired ones too): places, retention places, occupied, the waiting list (placements granted but not yet admitted: request time, wait, municipality; no case references) and the longest current wait; and the requests not yet decided',
        parameters: [REPORT_FORMAT],
        responses: { 200: { description: 'The capacity (JSON or CSV)' }, 401: ERRORS[401] },
      },
    },
    '/v1/milestones': {
      get: {
        tags: ['milestones'],
        summary:
          'The work queue: milestones owned by your organisations, soonest due first (active ones whose clock has started unless status is given; `scheduled`: open, but the clock starts later)',
        parameters: [
          {
            name: 'status',
            in: 'query',
            schema: { type: 'string', enum: [...SHOWN_MILESTONE_STATUSES] },
          },
          {
            name: 'milestone',
            in: 'query',
            schema: { type: 'string' },
            example: 'notification-assessment',
            description: 'A rule id of the policy',
          },
          { name: 'dueBefore', in: 'query', schema: { type: 'string', format: 'date-time' } },
          {
            name: 'breached',
            in: 'query',
            schema: { type: 'boolean' },
            description: 'Only those past their due time and not yet met',
          },
          {
            name: 'assignee',
            in: 'query',
            schema: { type: 'string' },
            description:
              'Who does it: `me`, `none` (nobody) or a person’s user id. Like the coordinator, logistics: a referrer gets 400 `FILTER_NOT_SHOWN`',
          },
          {
            name: 'mine',
            in: 'query',
            schema: { type: 'string', enum: ['true', 'false'] },
            description:
              '`true`: your work: those assigned to you, and those assigned to nobody of the cases you coordinate or are the caseworker of (a referrer: 400 `FILTER_NOT_SHOWN`)',
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
        ],
        responses: {
          200: {
            description: 'The work queue',
            ...json({ type: 'object', properties: { milestones: { type: 'array', items: ref('Milestone') } } }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
        },
      },
    },
    '/v1/pathway': {
      get: {
        tags: ['milestones'],
        summary:
          'The active pathway policy (milestones, deadlines, scaling, ladder) and the versions cases may run under',
        responses: { 200: { description: 'The policy' }, 401: ERRORS[401] },
      },
    },
    '/v1/disclosure': {
      get: {
        tags: ['cases'],
        summary:
          'Who sees what of a case: the disclosure policy (per party kind: identity form, classes seen, classes her consent adds), the class of every case field and every event type, and the milestones that are the referral’s own status',
        description:
          'Every read path (cases, lists, events, milestones, actions, audit, referrals, alerts, the live stream, webhooks and emails) applies this one policy. Any authenticated role may read it.',
        responses: {
          200: {
            description: 'The disclosure policy',
            ...json({
              type: 'object',
              properties: {
                policy: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    version: { type: 'integer' },
                    description: { type: 'string' },
                    parties: {
                      type: 'object',
                      additionalProperties: {
                        type: 'object',
                        properties: {
                          description: { type: 'string' },
                          identity: { type: 'string', enum: ['full', 'masked', 'none'] },
                          sees: { type: 'array', items: { type: 'string' } },
                          withConsent: {
                            type: 'array',
                            items: {
                              type: 'object',
                              properties: {
                                anyOf: { type: 'array', items: { type: 'string' } },
                                sees: { type: 'array', items: { type: 'string' } },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
                caseFields: { type: 'object', additionalProperties: { type: 'string' } },
                events: { type: 'object', additionalProperties: { type: 'string' } },
                referralMilestones: { type: 'array', items: { type: 'string' } },
              },
            }),
          },
          401: ERRORS[401],
        },
      },
    },
    '/v1/referrals': {
      get: {
        tags: ['cases'],
        summary:
          'Your referrals (the cases your organisations registered), newest first: whether the receiving organisations acknowledged them and whether their deadlines are kept. No clinical detail, no CPR number.',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: 'The previous page’s nextCursor',
          },
        ],
        responses: {
          200: {
            description: 'One page of referrals; nextCursor: the next page’s (null on the last)',
            ...json({
              type: 'object',
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      caseId: { type: 'string', format: 'uuid' },
                      reference: { type: 'string' },
                      registeredAt: { type: 'string', format: 'date-time' },
                      status: { type: 'string' },
                      handoffs: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            kind: { type: 'string' },
                            to: { type: 'string' },
                            sentAt: { type: 'string' },
                            acknowledgedAt: { type: ['string', 'null'] },
                            acknowledgement: {
                              oneOf: [REFERRAL_DEADLINE, { type: 'null' }],
                              description:
                                'The deadline to acknowledge the hand-off, and whether it was kept (null: the pathway set none)',
                            },
                          },
                        },
                      },
                      notifications: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            municipality: { type: 'string' },
                            notifiedAt: { type: 'string' },
                            receiptConfirmedAt: { type: ['string', 'null'] },
                            assessed: { type: 'boolean' },
                          },
                        },
                      },
                      deadlines: { type: 'array', items: REFERRAL_DEADLINE },
                    },
                  },
                },
                nextCursor: { type: ['string', 'null'] },
              },
            }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
        },
      },
    },
    '/v1/alerts': {
      get: {
        tags: ['alerts'],
        summary:
          'Your alerts, newest first: those of the cases you coordinate and those owned by your organisations (their duty inboxes)',
        parameters: [
          { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] } },
          {
            name: 'severity',
            in: 'query',
            schema: { type: 'string', enum: ['info', 'high', 'critical'] },
            description: 'warning → info, breach → high, escalation → critical',
          },
          {
            name: 'milestone',
            in: 'query',
            schema: { type: 'string' },
            example: 'notification-assessment',
            description: 'A rule id of the policy',
          },
          { name: 'caseId', in: 'query', schema: { type: 'string', format: 'uuid' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
        ],
        responses: {
          200: {
            description: 'A page of alerts',
            ...json({
              type: 'object',
              properties: {
                items: { type: 'array', items: ref('Alert') },
                nextCursor: { type: ['string', 'null'] },
                now: {
                  type: 'string',
                  format: 'date-time',
                  description: 'The server’s time: count how overdue an alert is from it, not from your own clock',
                },
              },
            }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
        },
      },
    },
    '/v1/alerts/stream': {
      get: {
        tags: ['alerts'],
        summary:
          'Live alerts (Server-Sent Events): `event: alert` with `{ event: raised | resent | acknowledged | resolved, alert }` for every alert of yours as it changes',
        description:
          'Browsers’ EventSource cannot send headers: this route also takes the token as `?access_token=`. A comment line every 15 s keeps the connection open. Missed events are not replayed: read GET /v1/alerts after a reconnect.',
        parameters: [{ name: 'access_token', in: 'query', required: false, schema: { type: 'string' } }],
        responses: {
          200: { description: 'The stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          401: ERRORS[401],
          429: error(
            'All the streams you may have open at once (STREAMS_PER_SUBJECT) are open (`TOO_MANY_STREAMS`): close one first; or too many requests (`RATE_LIMITED`, with `Retry-After`)',
          ),
        },
      },
    },
    '/v1/alerts/acknowledge': {
      post: {
        tags: ['alerts'],
        summary:
          'Take several alerts with one note (the inbox acknowledges a milestone’s card, or the cards selected, with one request)',
        description:
          'Each alert is acknowledged by its own command, so recorded in its case’s history with you as the actor and the note, as by POST /v1/alerts/{id}/acknowledge; all carry the request’s correlation id (`X-Correlation-Id`, else `X-Request-Id`). Every alert is looked up first: if one does not exist or is not yours to see (another organisation’s), the whole request is refused with 404 `ALERT_NOT_FOUND` and none is acknowledged. Alerts already acknowledged or resolved are left as they are, so a repeated request changes nothing (no `Idempotency-Key` needed). Roles: referrer, clinic, municipality, facility, coordinator; you must work for the owning organisation or be the case’s coordinator.',
        requestBody: {
          required: true,
          ...json(BULK_ACKNOWLEDGE_BODY, {
            alerts: [
              '6f1c1f0e-5b8a-4d0e-9a43-2f8f0c1d2e3f.notification-assessment-1.breach',
              '6f1c1f0e-5b8a-4d0e-9a43-2f8f0c1d2e3f.notification-assessment-1.escalation-1',
            ],
            note: 'Vi ringer til hende i dag.',
          }),
        },
        responses: {
          200: {
            description: 'Every alert asked for, as it now stands, in the order asked',
            ...json({ type: 'object', properties: { items: { type: 'array', items: ref('Alert') } } }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
          403: error(
            'Your role does not acknowledge alerts (`ROLE_NOT_PERMITTED`), or not your organisation’s alert (`NOT_ALERT_RECIPIENT`)',
          ),
          404: error('An alert does not exist or is not yours to see (`ALERT_NOT_FOUND`): none was acknowledged'),
        },
      },
    },
    '/v1/alerts/{id}/acknowledge': {
      post: {
        tags: ['alerts'],
        summary:
          'Take an alert: recorded in the case’s history with you as the actor; re-sending stops. It does not meet the milestone, whose ladder goes on.',
        description:
          'Roles: referrer, clinic, municipality, facility, coordinator; you must work for the owning organisation or be the case’s coordinator.',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string' },
            example: '6f1c1f0e-5b8a-4d0e-9a43-2f8f0c1d2e3f.notification-assessment-1.breach',
          },
          COMMAND_HEADERS[1],
        ],
        requestBody: {
          required: false,
          ...json(
            { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 2000 } } },
            { note: 'Vi ringer til hende i dag.' },
          ),
        },
        responses: {
          200: { description: 'The alert, acknowledged', ...json(ref('Alert')) },
          400: ERRORS[400],
          401: ERRORS[401],
          403: error('Not your organisation’s alert (`NOT_ALERT_RECIPIENT`)'),
          404: error('No such alert, or not yours to see (`ALERT_NOT_FOUND`, `CASE_NOT_FOUND`)'),
          422: error('Already acknowledged (`ALERT_ALREADY_ACKNOWLEDGED`) or resolved (`ALERT_RESOLVED`)'),
        },
      },
    },
    '/v1/webhooks': {
      get: {
        tags: ['alerts'],
        summary: 'Your organisations’ webhook endpoints (without their secrets)',
        parameters: [ORGANISATION_QUERY],
        responses: {
          200: {
            description: 'The endpoints',
            ...json({ type: 'object', properties: { items: { type: 'array', items: ref('Webhook') } } }),
          },
          401: ERRORS[401],
        },
      },
      post: {
        tags: ['alerts'],
        summary: 'Register an endpoint: every sending of an alert owned by the organisation is POSTed to it, signed',
        description:
          'The body is `{ type: "alert", sentAt, alert }`. Headers: `X-Pathway-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`, ' +
          '`X-Pathway-Timestamp` (unix seconds, equal to sentAt), `X-Pathway-Delivery` (the same on every retry: de-duplicate on it). A failed delivery is retried ' +
          'with exponential backoff (DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS) and then kept in the dead-letter list. The answer holds the secret, shown this once. ' +
          'Webhooks go to public addresses only: a host that is, or resolves to, a loopback, private, link-local (cloud metadata), unique-local, multicast or other ' +
          'non-public address, or a name such as `localhost`, `*.internal` or a single-label name, is refused unless the operator allows it (WEBHOOK_ALLOWED_HOSTS). ' +
          'A name that does not resolve yet is accepted; every delivery checks again what it resolves to, and a refused host goes to the dead-letter list without retry.',
        requestBody: {
          required: true,
          ...json(
            {
              type: 'object',
              additionalProperties: false,
              required: ['url'],
              properties: { url: { type: 'string' }, organisation: { type: 'string' } },
            },
            { url: 'https://kommune.example/pathway-alerts' },
          ),
        },
        responses: {
          201: {
            description: 'The endpoint, with its secret',
            ...json({ allOf: [ref('Webhook'), { type: 'object', properties: { secret: { type: 'string' } } }] }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
          403: error(
            'Not one of your organisations (`NOT_YOUR_ORGANISATION`), another organisation than the one you administer (`NOT_ORGANISATION_ADMIN`), or an auditor (`ROLE_NOT_PERMITTED`)',
          ),
          422: error(
            'A user name or password in the URL (`WEBHOOK_URL_WITH_CREDENTIALS`), or a host webhooks may not reach, with the address class in the message (`WEBHOOK_URL_FORBIDDEN`)',
          ),
        },
      },
    },
    '/v1/webhooks/{id}': {
      delete: {
        tags: ['alerts'],
        summary: 'Remove an endpoint; deliveries still queued for it are dropped',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          204: { description: 'Removed' },
          401: ERRORS[401],
          403: ERRORS[403],
          404: error('No such endpoint among your organisations’ (`WEBHOOK_NOT_FOUND`)'),
        },
      },
    },
    '/v1/webhooks/dead-letters': {
      get: {
        tags: ['alerts'],
        summary: 'Deliveries given up after their last attempt, or refused for good (e.g. 404), newest first',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ORGANISATION_QUERY,
        ],
        responses: {
          200: {
            description: 'The dead letters',
            ...json({
              type: 'object',
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      deliveryId: { type: 'string' },
                      subscriptionId: { type: 'string' },
                      organisation: { type: 'string' },
                      url: { type: 'string' },
                      caseId: { type: 'string' },
                      alert: { type: 'string' },
                      round: { type: 'integer' },
                      attempts: { type: 'integer' },
                      lastStatus: { type: ['integer', 'null'] },
                      lastError: { type: 'string' },
                      failedAt: { type: 'string', format: 'date-time' },
                    },
                  },
                },
              },
            }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
        },
      },
    },
    '/v1/organisations/{id}/contacts': {
      get: {
        tags: ['alerts'],
        summary:
          'Who the organisation’s alerts reach by email, per tier (duty inbox, team lead, management): for its own people, its administrator and the platform’s',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
        ],
        responses: {
          200: {
            description: 'The contacts',
            ...json({ type: 'object', properties: { contacts: { type: 'array', items: ref('Contact') } } }),
          },
          401: ERRORS[401],
          403: ERRORS[403],
        },
      },
      put: {
        tags: ['alerts'],
        summary:
          'Replace the organisation’s contacts (its administrator or the platform’s only: `NOT_ORGANISATION_ADMIN` otherwise). A breach emails the duty inbox, escalation 1 the team lead, escalation 2 management; a warning stays in the app.',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
        ],
        requestBody: {
          required: true,
          ...json(
            {
              type: 'object',
              required: ['contacts'],
              properties: {
                contacts: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['tier', 'name', 'email'],
                    properties: {
                      tier: { type: 'string', enum: ['duty-inbox', 'team-lead', 'management'] },
                      name: { type: 'string' },
                      email: { type: 'string' },
                    },
                  },
                },
              },
            },
            {
              contacts: [
                { tier: 'duty-inbox', name: 'Børne- og familieafdelingens vagt', email: 'vagt@kommune.example' },
                { tier: 'team-lead', name: 'Afdelingsleder', email: 'leder@kommune.example' },
              ],
            },
          ),
        },
        responses: {
          200: {
            description: 'The contacts now',
            ...json({ type: 'object', properties: { contacts: { type: 'array', items: ref('Contact') } } }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
          404: error('No such organisation (`ORGANISATION_NOT_FOUND`)'),
        },
      },
    },
    '/v1/organisations/{id}/people': {
      get: {
        tags: ['people'],
        summary:
          'The organisation’s directory of people, from which its cases and milestones are assigned: those who signed in for it and those its administrator added (for its own people, its administrator and the platform’s)',
        description:
          'A person is recorded the first time the API sees her signed in for the organisation (her token’s `name` claim, else her user id, as her name). Auditors and administrators are not recorded: they are never assigned work. Anyone else: 403 `NOT_YOUR_ORGANISATION` (`NOT_ORGANISATION_ADMIN` for an admin of another organisation).',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
        ],
        responses: {
          200: {
            description: 'Its people, by name',
            ...json({ type: 'object', properties: { people: { type: 'array', items: ref('Person') } } }),
          },
          401: ERRORS[401],
          403: ERRORS[403],
        },
      },
      post: {
        tags: ['people'],
        summary:
          'Add a person to the organisation’s directory (its administrator or the platform’s only: `NOT_ORGANISATION_ADMIN` otherwise)',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
        ],
        requestBody: { required: true, ...json(NEW_PERSON_BODY, { id: 'mia', name: 'Mia Sørensen' }) },
        responses: {
          201: { description: 'The person', ...json(ref('Person')) },
          400: error('The body is invalid, e.g. a name or id with a CPR number (`VALIDATION_FAILED`)'),
          401: ERRORS[401],
          403: ERRORS[403],
          404: error('No such organisation (`ORGANISATION_NOT_FOUND`)'),
          409: error('The organisation knows her already (`PERSON_EXISTS`)'),
        },
      },
    },
    '/v1/organisations/{id}/people/{personId}': {
      put: {
        tags: ['people'],
        summary: 'Rename a person (the name stays when she signs in again; administrators only)',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
          { name: 'personId', in: 'path', required: true, schema: { type: 'string' }, example: 'mia' },
        ],
        requestBody: { required: true, ...json(RENAMED_PERSON_BODY, { name: 'Mia Sørensen Holm' }) },
        responses: {
          200: { description: 'The person now', ...json(ref('Person')) },
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
          404: error('No such organisation or person (`ORGANISATION_NOT_FOUND`, `PERSON_NOT_FOUND`)'),
        },
      },
      delete: {
        tags: ['people'],
        summary:
          'Remove a person from the directory (administrators only). Cases and milestones assigned to her keep her name in their history; should she sign in again she is recorded again.',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
          { name: 'personId', in: 'path', required: true, schema: { type: 'string' }, example: 'mia' },
        ],
        responses: {
          204: { description: 'Removed' },
          401: ERRORS[401],
          403: ERRORS[403],
          404: error('No such organisation or person (`ORGANISATION_NOT_FOUND`, `PERSON_NOT_FOUND`)'),
        },
      },
    },
    '/v1/organisations/{id}/caseloads': {
      get: {
        tags: ['people'],
        summary:
          'Caseloads per person, for the team lead: open cases as caseworker and as coordinator, active milestones assigned and how many are overdue; and what is assigned to nobody',
        description:
          'Any person of the organisation and its administrators (and the platform’s) may read them: they are counts, nothing of the women. Everyone of its directory is listed (with zeros), and anyone who still has work without being in it (`inDirectory: false`). Anyone else: 403 `NOT_YOUR_ORGANISATION` (`NOT_ORGANISATION_ADMIN` for an admin of another organisation).',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'municipality:851' },
        ],
        responses: {
          200: {
            description: 'The caseloads',
            ...json({
              type: 'object',
              properties: {
                at: { type: 'string', format: 'date-time', description: 'The moment overdue is judged at' },
                caseloads: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      person: {
                        type: 'object',
                        properties: {
                          id: { type: 'string' },
                          name: { type: 'string' },
                          inDirectory: { type: 'boolean' },
                        },
                      },
                      casesAsCaseworker: { type: 'integer' },
                      casesAsCoordinator: { type: 'integer' },
                      openMilestones: { type: 'integer' },
                      overdueMilestones: { type: 'integer' },
                    },
                  },
                },
                unassigned: {
                  type: 'object',
                  description:
                    'Open cases without a caseworker (a municipality’s), active milestones assigned to nobody',
                  properties: {
                    casesAsCaseworker: { type: 'integer' },
                    openMilestones: { type: 'integer' },
                    overdueMilestones: { type: 'integer' },
                  },
                },
              },
            }),
          },
          401: ERRORS[401],
          403: ERRORS[403],
        },
      },
    },
    '/v1/organisations/{id}/contacts/dead-letters': {
      get: {
        tags: ['alerts'],
        summary: 'Alert emails to the organisation’s contacts given up after their last attempt, newest first',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        ],
        responses: {
          200: {
            description: 'The dead letters',
            ...json({
              type: 'object',
              properties: {
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      deliveryId: { type: 'string' },
                      organisation: { type: 'string' },
                      recipient: { type: 'string' },
                      caseId: { type: 'string' },
                      alert: { type: 'string' },
                      round: { type: 'integer' },
                      attempts: { type: 'integer' },
                      lastError: { type: 'string' },
                      failedAt: { type: 'string', format: 'date-time' },
                    },
                  },
                },
              },
            }),
          },
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
        },
      },
    },
    '/v1/sign-in': {
      get: {
        tags: ['sign-in'],
        summary: 'How the dashboard (/app) signs people in',
        security: [],
        description:
          '`local`: the development sign-in (DEV_SIGN_IN=true, local key only; shown to callers on loopback only) with the roles and organisations to pick from; `oidc`: the identity provider for the authorization code flow with PKCE (OIDC_CLIENT_ID). Either is null when not configured.',
        responses: {
          200: {
            description: 'The sign-in options',
            ...json({
              type: 'object',
              properties: {
                local: {
                  type: ['object', 'null'],
                  properties: {
                    roles: { type: 'array', items: { type: 'string' } },
                    organisations: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { id: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } },
                      },
                    },
                  },
                },
                oidc: {
                  type: ['object', 'null'],
                  properties: {
                    authority: { type: 'string' },
                    clientId: { type: 'string' },
                    scope: { type: 'string' },
                  },
                },
              },
            }),
          },
        },
      },
    },
    '/v1/sign-in/local': {
      post: {
        tags: ['sign-in'],
        summary:
          'Development sign-in: a 12-hour token (at most TOKEN_MAX_LIFETIME) for the role and organisation picked',
        security: [],
        description:
          'Signs a token with the local key, as `npm run token` does. Only when DEV_SIGN_IN=true (which the configuration refuses together with JWT_JWKS_URL, a HOST other than loopback or NODE_ENV=production); otherwise 403 DEV_SIGN_IN_DISABLED. Only from loopback (the peer address of the connection; forwarded-for headers do not count); otherwise 403 DEV_SIGN_IN_LOOPBACK_ONLY. An organisation the platform does not have: 422 UNKNOWN_ORGANISATION (the facilities are those of GET /v1/facilities).',
        requestBody: {
          required: true,
          ...json(LOCAL_SIGN_IN_BODY, {
            role: 'coordinator',
            organisation: 'municipality:851',
            sub: 'alice',
            name: 'Alice Jensen',
          }),
        },
        responses: {
          200: {
            description: 'The token',
            ...json({
              type: 'object',
              properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
            }),
          },
          400: ERRORS[400],
          403: ERRORS[403],
          422: error(
            'The role does not fit the organisation (`ROLE_ORGANISATION_MISMATCH`: the options list the roles each organisation may take), or the user id is a CPR number (`SUBJECT_IS_CPR`)',
          ),
        },
      },
    },
    '/v1/organisations': {
      get: {
        tags: ['reference'],
        summary: 'Regions, the 98 municipalities, the clinics and the residential facilities',
        responses: {
          200: {
            description: 'The organisations',
            ...json({ type: 'object', properties: { organisations: { type: 'array', items: ref('Organisation') } } }),
          },
          401: ERRORS[401],
        },
      },
    },
    '/v1/facilities': {
      get: {
        tags: ['reference'],
        summary: 'The residential facilities (retired ones too, with retiredAt): any signed-in caller',
        responses: {
          200: {
            description: 'The facilities',
            ...json({ type: 'object', properties: { facilities: { type: 'array', items: ref('Facility') } } }),
          },
          401: ERRORS[401],
        },
      },
      post: {
        tags: ['reference'],
        summary: 'Add a residential facility: platform administrator only (`NOT_PLATFORM_ADMIN` otherwise)',
        requestBody: {
          required: true,
          ...json(
            {
              type: 'object',
              required: ['id', 'name', 'owner', 'municipalityCode', 'places', 'retentionPlaces'],
              properties: {
                id: { type: 'string', pattern: '^facility:[a-z0-9][a-z0-9-]{0,62}$' },
                ...FACILITY_FIELDS,
              },
            },
            {
              id: 'facility:moedrehjemmet-example',
              name: 'Mødrehjemmet (example)',
              owner: 'Region Hovedstaden',
              municipalityCode: '101',
              places: 3,
              retentionPlaces: 1,
            },
          ),
        },
        responses: {
          201: { description: 'The facility', ...json(ref('Facility')) },
          400: ERRORS[400],
          401: ERRORS[401],
          403: error('Not the platform administrator (`NOT_PLATFORM_ADMIN`)'),
          409: error('An organisation with that id exists already (`FACILITY_EXISTS`)'),
          422: error(
            'No such municipality (`UNKNOWN_MUNICIPALITY`), or more retention places than places (`RETENTION_PLACES_EXCEED_PLACES`)',
          ),
        },
      },
    },
    '/v1/facilities/{id}': {
      patch: {
        tags: ['reference'],
        summary:
          'Change a residential facility (name, owner, municipality, places, retention places): platform administrator only',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'facility:kastaniegaarden' },
        ],
        requestBody: {
          required: true,
          ...json({ type: 'object', minProperties: 1, properties: FACILITY_FIELDS }, { places: 5, retentionPlaces: 5 }),
        },
        responses: {
          200: { description: 'The facility now', ...json(ref('Facility')) },
          400: ERRORS[400],
          401: ERRORS[401],
          403: error('Not the platform administrator (`NOT_PLATFORM_ADMIN`)'),
          404: error('No such facility (`FACILITY_NOT_FOUND`)'),
          422: error(
            'No such municipality (`UNKNOWN_MUNICIPALITY`), or more retention places than places (`RETENTION_PLACES_EXCEED_PLACES`)',
          ),
        },
      },
      delete: {
        tags: ['reference'],
        summary:
          'Retire a residential facility: kept for the cases that name it, no new placements (`FACILITY_RETIRED`); platform administrator only',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'facility:kastaniegaarden' },
        ],
        responses: {
          200: { description: 'The facility, retired', ...json(ref('Facility')) },
          401: ERRORS[401],
          403: error('Not the platform administrator (`NOT_PLATFORM_ADMIN`)'),
          404: error('No such facility (`FACILITY_NOT_FOUND`)'),
        },
      },
    },
    '/v1/admin/queue-session': {
      post: {
        tags: ['admin'],
        summary: 'Open the queue view (/admin/queues) in this browser: platform administrator only',
        description:
          'Sets the cookie `pathway_board` to your token (HttpOnly, Secure when PUBLIC_BASE_URL is https, SameSite=Strict, ' +
          'Path=/admin/queues, Max-Age: the token’s remaining lifetime), so that the queue view’s own requests are ' +
          'authenticated; then open /admin/queues. The view is read-only and shows job ids, never personal data. ' +
          'Only an admin of `pathway:platform`.',
        responses: {
          204: {
            description: 'The session is open',
            headers: {
              'Set-Cookie': {
                description: '`pathway_board=<token>; HttpOnly; SameSite=Strict; Path=/admin/queues; Max-Age=<s>`',
                schema: { type: 'string' },
              },
            },
          },
          401: ERRORS[401],
          403: error('Not the platform administrator (`NOT_PLATFORM_ADMIN`)'),
        },
      },
    },
  };
  for (const type of CASE_COMMANDS) {
    const entry = COMMANDS[type];
    paths[`/v1/cases/{id}/${type}`] = {
      post: {
        tags: ['commands'],
        operationId: type,
        summary: entry.summary,
        description: `Roles: ${rolesFor(type).join(', ')}.`,
        'x-roles': rolesFor(type),
        parameters: [CASE_ID, ...COMMAND_HEADERS],
        requestBody: { required: true, ...json(entry.body, exampleOf(type, today)) },
        responses: {
          200: {
            description:
              'Accepted: the new version (also as ETag), the facts appended, the milestone events they caused, and the case with Prefer: return=representation',
            ...json(ref('CommandResult')),
          },
          400: ERRORS[400],
          401: ERRORS[401],
          403: ERRORS[403],
          404: ERRORS[404],
          409: ERRORS[409],
          413: ERRORS[413],
          422: ERRORS[422],
        },
      },
    };
  }
  // Every /v1 route counts against the abuse limits, and needs the database.
  for (const [path, operations] of Object.entries(paths))
    if (path.startsWith('/v1'))
      for (const operation of Object.values(operations as Record<string, { responses: Record<number, unknown> }>)) {
        operation.responses[429] ??= ERRORS[429];
        operation.responses[503] ??= ERRORS[503];
      }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pathway',
      version: '1',
      description:
        'The referral path for pregnant women with harmful substance use: detection → family outpatient clinic → municipality → ' +
        'residential admission → post-birth support. Every /v1 route needs `Authorization: Bearer <JWT>` with `sub`, `role` and `org`; ' +
        'locally, `npm run token -- --role coordinator --org municipality:851 --sub alice` prints one. Errors are `{ code, message, details? }`.',
    },
    security: [{ bearer: [] }],
    paths: paths as OpenAPIObject['paths'],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            details: {
              description:
                'For `VALIDATION_FAILED` (400) an array of `FieldProblem`, one per field at fault; for other codes an object (e.g. `currentVersion`, `reference`) or absent.',
              anyOf: [{ type: 'array', items: ref('FieldProblem') }, { type: 'object' }],
            },
          },
        },
        FieldProblem: {
          type: 'object',
          required: ['field', 'problem'],
          properties: {
            field: {
              type: 'string',
              description: 'JSON pointer into the body or query (`/referrer/kind`), or a header name.',
            },
            problem: { type: 'string', description: 'What is wrong, in English.' },
            keyword: {
              type: 'string',
              description:
                'The schema rule it breaks, for a client to say it in its own language: a JSON Schema keyword (`required`, `type`, `format`, `enum`, `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, `minItems`, `maxItems`, `uniqueItems`, `additionalProperties`, `const`) or `x-no-cpr` (a CPR number in free text), `x-plain-text` (a NUL character or unpaired surrogate). Absent for a problem no schema found (a header, a report period).',
            },
            params: {
              type: 'object',
              description:
                'The rule’s values, as the validator names them: `format`, `type`, `limit` (lengths, items, bounds), `comparison`, `pattern`, `allowedValues`; empty when `field` says it all (required, not a known field).',
            },
          },
        },
        Case: CASE,
        ChainBreak: {
          type: 'object',
          properties: {
            streamId: { type: 'string', format: 'uuid', description: 'The case' },
            version: { type: 'integer' },
            position: { type: 'integer' },
            type: { type: 'string' },
            problems: {
              type: 'array',
              items: { type: 'string', enum: ['content-altered', 'link-broken', 'version-gap'] },
            },
          },
        },
        CommandResult: {
          type: 'object',
          properties: {
            version: { type: 'integer', description: 'The case version (facts only): the ETag' },
            events: {
              type: 'array',
              items: { type: 'object', properties: { version: { type: 'integer' }, type: { type: 'string' } } },
            },
            milestoneEvents: {
              type: 'array',
              items: {
                type: 'object',
                properties: { type: { type: 'string' }, milestone: { type: ['string', 'null'] } },
              },
            },
            case: { ...ref('Case'), description: 'Only with Prefer: return=representation' },
          },
        },
        CaseAction: {
          type: 'object',
          required: ['command', 'summary', 'reason', 'body'],
          properties: {
            command: { type: 'string', enum: [...CASE_COMMANDS], description: 'Send as POST /v1/cases/{id}/{command}' },
            summary: { type: 'string' },
            reason: {
              type: 'string',
              enum: ['meets-milestone', 'milestone-clock', 'stage'],
              description:
                'meets-milestone: it meets `milestone`, an obligation of yours; milestone-clock: it pauses, resumes or waives `milestone`; stage: it fits where the case is now',
            },
            milestone: {
              type: 'string',
              description: 'The milestone instance it meets or acts on, e.g. notification-assessment-1',
            },
            prefill: {
              type: 'object',
              description:
                'Body fields already known (a hand-off, a notification, a milestone instance, a policy version)',
            },
            body: {
              type: 'object',
              description: 'The JSON Schema of the command’s body, as in the command’s own route',
            },
          },
        },
        HistoryEntry: {
          type: 'object',
          properties: {
            position: { type: 'integer' },
            version: { type: 'integer' },
            type: { type: 'string' },
            data: { type: 'object' },
            recordedAt: { type: 'string', format: 'date-time' },
            actor: {
              type: 'object',
              properties: { id: { type: 'string' }, role: { type: 'string' }, organisation: { type: 'string' } },
            },
            correlationId: { type: 'string' },
            causationId: { type: 'string' },
          },
        },
        Milestone: {
          type: 'object',
          properties: {
            caseId: { type: 'string', format: 'uuid' },
            reference: { type: 'string' },
            milestone: { type: 'string', description: 'Instance id, e.g. clinic-first-visit-1' },
            rule: { type: 'string' },
            title: { type: 'object', properties: { da: { type: 'string' }, en: { type: 'string' } } },
            status: { type: 'string', enum: [...SHOWN_MILESTONE_STATUSES] },
            owner: { type: 'string' },
            assignee: {
              type: ['object', 'null'],
              description:
                'Who of the owner organisation does it (assign-milestone, claim-milestone): id, name, organisation; null: nobody. Shown with the logistics only, like the coordinator',
            },
            dueAt: { type: 'string', format: 'date-time' },
            timeLeftMs: { type: ['integer', 'null'] },
            level: { type: ['string', 'null'], description: 'warning, breach, escalation-1 or escalation-2' },
            meetsWith: { type: 'array', items: { type: 'string' }, description: 'The commands whose events meet it' },
            birthImminent: { type: 'boolean', description: 'Work queue only: the case is in week 37 or later' },
            late: { type: 'boolean' },
            ladder: { type: 'array', items: { type: 'object' } },
            pauses: { type: 'array', items: { type: 'object' } },
            explanation: {
              type: 'object',
              description:
                'Policy version, rule, anchor event and time, calendar, scaling (week, factor), legal cap, pauses, the birth-imminent moment (week, instant, the level-1 step it brings forward, applied), computed due time',
            },
            pauseAllowance: {
              type: ['object', 'null'],
              description:
                'A pausable milestone: the pause allowance (ISO 8601), the time paused so far and what is left at the time of reading',
              properties: {
                total: { type: 'string' },
                usedMs: { type: 'integer' },
                leftMs: { type: 'integer' },
              },
            },
            escalationLevels: {
              type: 'integer',
              description: 'The highest escalation level of its ladder (0: none): "level 1 of 2"',
            },
            alerted: {
              type: 'array',
              description:
                'Who its ladder has alerted, step by step, oldest first (the acknowledgement note is in the events)',
              items: {
                type: 'object',
                properties: {
                  step: { type: 'string' },
                  kind: { type: 'string', enum: ['warning', 'breach', 'escalation'] },
                  level: { type: 'integer' },
                  raisedAt: { type: 'string', format: 'date-time' },
                  status: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] },
                  audience: { type: 'array', items: { type: 'string', enum: [...CONTACT_TIERS] } },
                  acknowledged: {
                    type: ['object', 'null'],
                    properties: {
                      by: { type: 'string' },
                      organisation: { type: 'string' },
                      at: { type: 'string', format: 'date-time' },
                    },
                  },
                },
              },
            },
            lostContact: {
              type: ['object', 'null'],
              description:
                'While contact with her is lost (record-lost-contact) and the milestone is active: since when, and whether its clock is paused or runs on (a legal deadline always does)',
              properties: {
                since: { type: 'string', format: 'date-time' },
                effect: { type: 'string', enum: Object.keys(LOST_CONTACT_EFFECT_TEXT) },
                text: { type: 'object', properties: { da: { type: 'string' }, en: { type: 'string' } } },
              },
            },
          },
        },
        Alert: {
          type: 'object',
          description:
            'One ladder step of one milestone. It carries the case reference and logistics only, never the CPR number or clinical detail (an acknowledgement’s note is in the case’s events).',
          properties: {
            id: { type: 'string', description: '<caseId>.<milestone instance>.<step>' },
            caseId: { type: 'string', format: 'uuid' },
            caseReference: { type: 'string' },
            milestone: { type: 'string' },
            rule: { type: 'string' },
            title: { type: ['object', 'null'], properties: { da: { type: 'string' }, en: { type: 'string' } } },
            step: { type: 'string' },
            kind: { type: 'string', enum: ['warning', 'breach', 'escalation'] },
            level: { type: 'integer', enum: [0, 1, 2] },
            severity: { type: 'string', enum: ['info', 'high', 'critical'] },
            owner: { type: 'string' },
            coordinator: { type: ['string', 'null'] },
            dueAt: { type: 'string', format: 'date-time' },
            raisedAt: { type: 'string', format: 'date-time' },
            status: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] },
            reach: {
              type: 'string',
              enum: ['coordinator', 'duty-inbox', 'team-lead', 'management'],
              description: 'The contact tier it has climbed to',
            },
            audience: { type: 'array', items: { type: 'string' } },
            resends: { type: 'integer' },
            acknowledged: {
              type: ['object', 'null'],
              properties: {
                by: { type: 'string' },
                organisation: { type: 'string' },
                at: { type: 'string', format: 'date-time' },
                note: { type: ['string', 'null'] },
              },
            },
            resolvedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        Person: {
          type: 'object',
          description: 'A person of an organisation’s directory of people',
          properties: {
            id: { type: 'string', description: 'Her user id (the subject of her tokens)' },
            name: { type: 'string' },
            organisation: { type: 'string' },
            role: { type: ['string', 'null'], description: 'Her token’s role when she last signed in' },
            knownBy: { type: 'string', enum: ['signed-in', 'added-by-admin'] },
            firstSeenAt: { type: ['string', 'null'], format: 'date-time' },
            lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        Contact: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            organisation: { type: 'string' },
            tier: { type: 'string', enum: ['duty-inbox', 'team-lead', 'management'] },
            name: { type: 'string' },
            email: { type: 'string' },
          },
        },
        Webhook: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            organisation: { type: 'string' },
            url: { type: 'string' },
            createdBy: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        Facility: {
          type: 'object',
          properties: {
            id: { type: 'string', example: 'facility:holmegaardshuset' },
            ...FACILITY_FIELDS,
            retiredAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
        Organisation: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            kind: { type: 'string', enum: ['region', 'municipality', 'clinic', 'facility'] },
            name: { type: 'string' },
            region: { type: ['string', 'null'] },
            municipalityCode: { type: ['string', 'null'] },
            places: { type: ['integer', 'null'] },
            retentionPlaces: { type: ['integer', 'null'] },
          },
        },
      },
    },
  } as unknown as OpenAPIObject;
}

/** Serves the document at /docs-json and Swagger UI at /docs (both without a token). */
export function setupOpenApi(app: INestApplication): void {
  // The examples' due dates count from the service's today (its injected clock) when it starts.
  SwaggerModule.setup('docs', app, buildOpenApiDocument(localDate(app.get(Clock).now())), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
