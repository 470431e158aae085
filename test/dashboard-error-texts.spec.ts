import fs from 'node:fs';
import path from 'node:path';
import { compile, ValidationError } from '../apps/api/src/http/validation';
import { COMMANDS } from '../apps/api/src/cases/command-catalogue';
import { ERROR_TEXTS, PROBLEM_PHRASES, errorText, problemText } from '../apps/dashboard/src/error-texts';

const root = path.join(__dirname, '..');

/** The TypeScript sources of the service (not the dashboard, not tests). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dashboard', 'testing'].includes(entry.name) ? [] : sources(file);
    return /\.ts$/.test(entry.name) && !/spec\.ts$/.test(entry.name) ? [file] : [];
  });
}

const CODE = `'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})'`;
/** Where a stable code is given: refuse('X', …), new DomainError('X', …), super('X', …), code = 'X', code: 'X', unions of codes, HTTP_CODES. */
const FIRST_ARGUMENT = new RegExp(
  `\\b(?:refuse|DomainError|ApplicationError|TooManyRequestsError|super)\\(\\s*${CODE}`,
  'g',
);
const ASSIGNED = new RegExp(`\\bcode\\s*[=:]\\s*${CODE}`, 'g');
const UNION = /(?:\bcode\??:|type \w*Code =)\s*((?:\|?\s*'[A-Z_]+'\s*)+)/g;
const HTTP_CODES = /HTTP_CODES[^=]*=\s*\{([^}]*)\}/g;

/** Codes in the sources that never reach a client: Node's own, and key-ring failures answered 500 INTERNAL. */
const NOT_ANSWERED = new Set(['ENOTFOUND', 'ENCRYPTION_KEY_UNKNOWN', 'ENVELOPE_INVALID']);

function thrownCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of [...sources(path.join(root, 'apps')), ...sources(path.join(root, 'libs'))]) {
    const text = fs.readFileSync(file, 'utf8');
    const at = path.relative(root, file);
    for (const pattern of [FIRST_ARGUMENT, ASSIGNED]) for (const m of text.matchAll(pattern)) codes.set(m[1], at);
    for (const pattern of [UNION, HTTP_CODES])
      for (const m of text.matchAll(pattern))
        for (const c of m[1].matchAll(/'([A-Z][A-Z0-9_]+)'/g)) codes.set(c[1], at);
  }
  for (const code of NOT_ANSWERED) codes.delete(code);
  return codes;
}

describe('the dashboard’s texts of the API’s error codes', () => {
  const codes = thrownCodes();

  it('finds the codes of every kind of error (the search itself works)', () => {
    for (const code of [
      'CASE_CLOSED', // refuse('…') in the domain
      'FACILITY_FULL', // refuse(\n '…') over two lines
      'ROLE_NOT_PERMITTED', // new DomainError('…')
      'CASE_ALREADY_OPEN', // super('…') of an ApplicationError
      'VALIDATION_FAILED', // readonly code = '…'
      'TOKEN_LIFETIME_TOO_LONG', // a union type of codes
      'TOO_MANY_STREAMS', // readonly code: 'A' | 'B'
      'SERVICE_UNAVAILABLE', // code: '…' in an answer
      'PAYLOAD_TOO_LARGE', // HTTP_CODES
    ])
      expect([code, codes.has(code)]).toEqual([code, true]);
    expect(codes.size).toBeGreaterThan(100);
  });

  it('has a Danish and an English text for every code thrown in apps/ and libs/', () => {
    const missing = [...codes]
      .filter(([code]) => !ERROR_TEXTS[code]?.da?.trim() || !ERROR_TEXTS[code]?.en?.trim())
      .map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has no text for a code nothing throws any more', () => {
    expect(Object.keys(ERROR_TEXTS).filter((code) => !codes.has(code))).toEqual([]);
  });

  it('says a refusal in the page’s language with its code, and an unknown code in the API’s words, marked so', () => {
    const closed = { code: 'CASE_CLOSED', message: 'the case was closed at …' };
    expect(errorText(closed, 'da')).toBe('Sagen er lukket og kan kun læses. (CASE_CLOSED)');
    expect(errorText(closed, 'en')).toBe('The case is closed and can only be read. (CASE_CLOSED)');
    const open = { code: 'CASE_ALREADY_OPEN', message: 'she has an open case', facts: { reference: 'PW-2026-000001' } };
    expect(errorText(open, 'da')).toContain('Den åbne sag: PW-2026-000001.');
    const unknown = { code: 'SOMETHING_NEW', message: 'something new happened' };
    expect(errorText(unknown, 'da')).toBe('Tjenesten afviste (SOMETHING_NEW) og skriver: something new happened');
    expect(errorText(unknown, 'en')).toBe('something new happened (SOMETHING_NEW)');
  });
});

describe('the dashboard’s phrases of the validator’s rules', () => {
  const problems = (schema: Record<string, unknown>, value: unknown) => {
    try {
      compile(schema)(value);
    } catch (error) {
      if (error instanceof ValidationError) return error.details;
      throw error;
    }
    return [];
  };
  const danish = (schema: Record<string, unknown>, value: unknown) =>
    Object.fromEntries(problems(schema, value).map((d) => [d.field, problemText(d, 'da')]));

  it('phrases each rule of a register-concern body in Danish', () => {
    expect(
      danish(COMMANDS['register-concern'].body, {
        estimatedDueDate: '2027-02-30',
        municipality: '999',
        referrer: { kind: 'neighbour', name: 'x'.repeat(201), colour: 'blue' },
        substances: [],
        cpr: '3102901234',
        note: 'cpr 010190-1234',
      }),
    ).toEqual({
      '/estimatedDueDate': 'skal være en dato',
      '/municipality': 'skal vælges på listen',
      '/referrer/kind': expect.stringMatching(/^skal være en af: gp, midwife/),
      '/referrer/name': 'må højst være 200 tegn',
      '/referrer/colour': 'er ikke et felt, tjenesten kender',
      '/substances': 'skal have mindst ét valg',
      '/cpr': 'skal være et CPR-nummer (DDMMÅÅ-XXXX med en rigtig dato)',
      '/note': 'må ikke indeholde et CPR-nummer',
    });
    expect(danish(COMMANDS['register-concern'].body, {})).toEqual({
      '/estimatedDueDate': 'skal udfyldes',
      '/municipality': 'skal udfyldes',
      '/referrer': 'skal udfyldes',
      '/substances': 'skal udfyldes',
    });
  });

  it('phrases types, times, patterns, bounds, lists and stored text', () => {
    const schema = {
      type: 'object',
      properties: {
        at: { type: 'string', format: 'date-time' },
        version: { type: 'integer', minimum: 1, maximum: 9 },
        milestone: { type: 'string', pattern: '^[a-z]+-[1-9]$' },
        reason: { type: 'string', minLength: 1, maxLength: 3, 'x-plain-text': true },
        long: { type: 'string', minLength: 5 },
        participants: { type: 'array', maxItems: 2, uniqueItems: true, items: { type: 'string' } },
        decision: { type: 'string', enum: ['granted', 'refused'] },
        flag: { type: 'boolean' },
      },
    };
    expect(
      danish(schema, {
        at: '2027-13-01T00:00:00Z',
        version: 0,
        milestone: 'Clinic',
        reason: '',
        long: 'abc',
        participants: ['a', 'a'],
        decision: 'maybe',
        flag: 'yes',
      }),
    ).toEqual({
      '/at': 'skal være et tidspunkt (dato og klokkeslæt)',
      '/version': 'skal være mindst 1',
      '/milestone': 'har ikke den rigtige form',
      '/reason': 'skal udfyldes',
      '/long': 'skal være mindst 5 tegn',
      '/participants': 'må ikke have det samme valg to gange',
      '/decision': 'skal være en af: granted, refused',
      '/flag': 'skal være ja eller nej',
    });
    expect(danish(schema, { version: 10, participants: ['a', 'b', 'c'], reason: 'a\u0000' })).toEqual({
      '/version': 'må højst være 9',
      '/participants': 'må højst have 2 valg',
      '/reason': 'indeholder tegn, der ikke kan gemmes',
    });
    expect(danish(schema, { version: 'two' })).toEqual({ '/version': 'skal være et helt tal' });
  });

  it('has both languages for every rule the command schemas use', () => {
    const keywords = new Set<string>();
    const walk = (schema: unknown): void => {
      if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
      for (const [key, value] of Object.entries(schema)) {
        if (!['properties', 'items', 'if', 'then', 'description'].includes(key)) keywords.add(key);
        if (key === 'properties') Object.values(value as object).forEach(walk);
        else walk(value);
      }
    };
    Object.values(COMMANDS).forEach((command) => walk(command.body));
    // Keywords that structure a schema or only narrow another one break no rule of their own.
    for (const structural of ['type', 'additionalProperties', 'enum', 'format', 'const']) keywords.delete(structural);
    for (const keyword of ['type', 'additionalProperties', 'enum', 'format', 'const', 'required', ...keywords]) {
      const phrase = PROBLEM_PHRASES[keyword]?.({ limit: 2, type: 'string', format: 'date', allowedValues: ['a'] });
      expect([keyword, !!phrase?.da, !!phrase?.en]).toEqual([keyword, true, true]);
    }
  });

  it('shows a problem no rule names (a header, a report period) in the API’s English, marked as the service’s words', () => {
    expect(problemText({ field: '/from', problem: 'must be before to' }, 'da')).toBe(
      'er ikke gyldigt (tjenesten skriver: must be before to)',
    );
    expect(problemText({ field: '/from', problem: 'must be before to' }, 'en')).toBe('must be before to');
  });
});
