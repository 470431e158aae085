import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { containsCpr, parseCpr } from '@app/pathway';

/**
 * A field that is wrong: a JSON pointer into the body or query, and what is wrong with it in English.
 * A problem found by a schema also says which rule it broke, for a client to phrase it in its own
 * language: `keyword` (the JSON Schema keyword, e.g. `required`, `format`, `maxLength`, or the API's
 * `x-no-cpr` and `x-plain-text`) and `params` (the rule's values, as ajv names them: `format`,
 * `limit`, `allowedValues`, `type`, `pattern`, …; empty when the field says it all).
 */
export interface FieldProblem {
  field: string;
  problem: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Input that does not match its schema: 400 VALIDATION_FAILED with every field at fault. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly details: FieldProblem[]) {
    super(`the request is not valid: ${details.map((d) => `${d.field || '(body)'} ${d.problem}`).join('; ')}`);
  }
}

const rfc3339 = (fullFormats['date-time'] as { validate: (value: string) => boolean }).validate;
const EARLIEST_TIME = Date.UTC(1000, 0, 1);
/** With the u flag a surrogate pair is one code point, so this finds only a surrogate without its pair. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** Text neither PostgreSQL's text nor its jsonb can hold: a NUL character, or a UTF-16 surrogate without its pair. */
const storable = (value: string) => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

// strictRequired off: `if/then: { required }` names properties defined in the parent schema.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, coerceTypes: false });
addFormats(ajv, ['date']);
// RFC 3339, and a time JavaScript and PostgreSQL can both hold: not a leap second, not before the year 1000 (in UTC).
ajv.addFormat('date-time', {
  type: 'string',
  validate: (value: string) => rfc3339(value) && Date.parse(value) >= EARLIEST_TIME,
});
ajv.addKeyword({
  keyword: 'x-plain-text',
  type: 'string',
  schemaType: 'boolean',
  validate: (enabled: boolean, value: string) => !enabled || storable(value),
  error: { message: 'must not contain NUL characters or unpaired surrogates' },
});
ajv.addFormat('cpr', { type: 'string', validate: (value: string) => parseCpr(value) !== null });
ajv.addKeyword({
  keyword: 'x-no-cpr',
  type: 'string',
  schemaType: 'boolean',
  validate: (enabled: boolean, value: string) => !enabled || !containsCpr(value),
  error: { message: 'must not contain a CPR number' },
});

export function compile<T>(schema: Record<string, unknown>): (value: unknown) => T {
  const validate: ValidateFunction = ajv.compile(schema);
  return (value: unknown): T => {
    if (validate(value)) return value as T;
    throw new ValidationError(describe(validate.errors ?? []));
  };
}

function describe(errors: ErrorObject[]): FieldProblem[] {
  const problems = errors
    // `if/then` adds a summary error next to the real one; keep the real one.
    .filter((e) => e.keyword !== 'if')
    .map((e): FieldProblem => {
      const p = e.params as Record<string, unknown>;
      const found = (field: string, problem: string, params: Record<string, unknown> = p) => ({
        field,
        problem,
        keyword: e.keyword,
        params,
      });
      switch (e.keyword) {
        case 'additionalProperties':
          return found(`${e.instancePath}/${String(p.additionalProperty)}`, 'is not a known field', {});
        case 'required':
          return found(`${e.instancePath}/${String(p.missingProperty)}`, 'is required', {});
        case 'enum': {
          const allowed = p.allowedValues as unknown[];
          return found(
            e.instancePath,
            allowed.length > 12
              ? 'is not one of the allowed values (see the API documentation)'
              : `must be one of: ${allowed.join(', ')}`,
          );
        }
        case 'format':
          return found(
            e.instancePath,
            p.format === 'cpr'
              ? 'must be a CPR number, DDMMYYSSSS or DDMMYY-SSSS with a real date'
              : `must be a valid ${String(p.format)}`,
          );
        default:
          return found(e.instancePath, e.message ?? 'is not valid');
      }
    });
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.field} ${p.problem}`) && seen.add(`${p.field} ${p.problem}`));
}

/** A page size in a query string (a string of digits): 1–200, or 1–500 for the work queue. */
export const LIMIT_IN_QUERY = { type: 'string', pattern: '^(?:[1-9]|[1-9][0-9]|1[0-9][0-9]|200)$' } as const;
export const LIMIT_500_IN_QUERY = { type: 'string', pattern: '^(?:[1-9]|[1-9][0-9]|[1-4][0-9][0-9]|500)$' } as const;

/** A query with only `limit` (1–200): the dead-letter lists. */
export const validateLimitQuery = compile<{ limit?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { limit: LIMIT_IN_QUERY },
});
