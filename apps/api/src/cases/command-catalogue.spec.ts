import { CASE_COMMAND_TYPES, COMMAND_PERMISSIONS } from '@app/pathway';
import { ValidationError, compile } from '../http/validation';
import { CASE_COMMANDS, COMMANDS, exampleOf } from './command-catalogue';

const problems = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.details.map(({ field, problem }) => ({ field, problem }));
    throw error;
  }
  return null;
};

describe('the command catalogue', () => {
  it('has an entry for every command of the domain, and only those', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual([...CASE_COMMAND_TYPES].sort());
    expect(CASE_COMMANDS).not.toContain('register-concern');
    expect(CASE_COMMANDS).toHaveLength(CASE_COMMAND_TYPES.length - 1);
  });

  it.each(CASE_COMMAND_TYPES.map((t) => [t]))('%s: the schema compiles and its example is valid', (type) => {
    const validate = compile(COMMANDS[type].body);
    expect(problems(() => validate(exampleOf(type, '2027-03-25')))).toBeNull();
    expect(COMMAND_PERMISSIONS[type].length).toBeGreaterThan(0);
  });

  it.each(CASE_COMMAND_TYPES.map((t) => [t]))('%s: an unknown field is refused with its name', (type) => {
    const validate = compile(COMMANDS[type].body);
    expect(problems(() => validate({ ...exampleOf(type, '2027-03-25'), colour: 'blue' }))).toContainEqual({
      field: '/colour',
      problem: 'is not a known field',
    });
  });

  it('names each bad field of a register-concern body', () => {
    const validate = compile(COMMANDS['register-concern'].body);
    expect(
      problems(() =>
        validate({
          estimatedDueDate: '2027-02-30',
          municipality: '999',
          referrer: { kind: 'neighbour' },
          substances: [],
          cpr: '3102901234',
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        { field: '/estimatedDueDate', problem: 'must be a valid date' },
        { field: '/municipality', problem: 'is not one of the allowed values (see the API documentation)' },
        { field: '/referrer/kind', problem: expect.stringContaining('must be one of: gp, midwife') },
        { field: '/substances', problem: 'must NOT have fewer than 1 items' },
        { field: '/cpr', problem: 'must be a CPR number, DDMMYYSSSS or DDMMYY-SSSS with a real date' },
      ]),
    );
    expect(problems(() => validate({}))).toEqual(
      expect.arrayContaining(
        ['estimatedDueDate', 'municipality', 'referrer', 'substances'].map((f) => ({
          field: `/${f}`,
          problem: 'is required',
        })),
      ),
    );
  });

  it('refuses a CPR number in free text, but not other numbers', () => {
    const validate = compile(COMMANDS['record-lost-contact'].body);
    expect(problems(() => validate({ note: 'called her on 12345678' }))).toBeNull();
    expect(problems(() => validate({ note: 'her cpr is 010190-1234' }))).toEqual([
      { field: '/note', problem: 'must not contain a CPR number' },
    ]);
  });

  it('names the rule each problem breaks (keyword and params), for a client to phrase it in its own language', () => {
    const rules = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ValidationError)
          return error.details.map(({ field, keyword, params }) => ({ field, keyword, params }));
        throw error;
      }
      return null;
    };
    const register = compile(COMMANDS['register-concern'].body);
    expect(
      rules(() =>
        register({
          estimatedDueDate: 20270101,
          municipality: '999',
          referrer: { kind: 'gp', name: 'x'.repeat(201), colour: 'blue' },
          substances: [],
          cpr: '3102901234',
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        { field: '/estimatedDueDate', keyword: 'type', params: { type: 'string' } },
        { field: '/municipality', keyword: 'enum', params: { allowedValues: expect.arrayContaining(['851']) } },
        { field: '/referrer/colour', keyword: 'additionalProperties', params: {} },
        { field: '/referrer/name', keyword: 'maxLength', params: { limit: 200 } },
        { field: '/substances', keyword: 'minItems', params: { limit: 1 } },
        { field: '/cpr', keyword: 'format', params: { format: 'cpr' } },
      ]),
    );
    expect(rules(() => register({}))).toContainEqual({ field: '/referrer', keyword: 'required', params: {} });
    const pause = compile(COMMANDS['pause-milestone'].body);
    expect(rules(() => pause({ milestone: 'Clinic', reason: 'cpr 010190-1234' }))).toEqual([
      { field: '/milestone', keyword: 'pattern', params: { pattern: '^[a-z][a-z0-9-]*-[1-9][0-9]*$' } },
      { field: '/reason', keyword: 'x-no-cpr', params: {} },
    ]);
    expect(rules(() => compile(COMMANDS['migrate-policy'].body)({ version: 0 }))).toEqual([
      { field: '/version', keyword: 'minimum', params: { comparison: '>=', limit: 1 } },
    ]);
  });

  it('requires a facility only when the placement is granted', () => {
    const validate = compile(COMMANDS['decide-residential-placement'].body);
    expect(problems(() => validate({ decision: 'refused' }))).toBeNull();
    expect(problems(() => validate({ decision: 'granted' }))).toEqual([{ field: '/facility', problem: 'is required' }]);
  });
});

describe('text and times the database can store', () => {
  it('refuses a NUL character or an unpaired surrogate in free text, but not other text', () => {
    const validate = compile(COMMANDS['record-network-meeting'].body);
    for (const note of ['a\u0000b', 'half \ud83d', '\udc00 alone']) {
      expect(problems(() => validate({ note }))).toEqual([
        { field: '/note', problem: 'must not contain NUL characters or unpaired surrogates' },
      ]);
    }
    expect(problems(() => validate({ note: 'Møde på Ærø 😀 — ok' }))).toBeNull();
  });

  it('refuses an occurredAt that is a leap second or lies before the year 1000', () => {
    const validate = compile(COMMANDS['record-network-meeting'].body);
    for (const occurredAt of ['0000-01-01T00:00:00Z', '1000-01-01T00:00:00+01:00', '2026-06-30T23:59:60Z']) {
      expect(problems(() => validate({ occurredAt }))).toEqual([
        { field: '/occurredAt', problem: 'must be a valid date-time' },
      ]);
    }
    expect(problems(() => validate({ occurredAt: '1000-01-01T00:00:00Z' }))).toBeNull();
    expect(problems(() => validate({ occurredAt: '2026-11-23T09:15:00.123+01:00' }))).toBeNull();
  });
});
