import { containsCpr, formatCpr, maskCpr, maskCprs, parseCpr } from './cpr';

describe('CPR numbers', () => {
  it.each([
    ['0101901234', '1990-01-01'],
    ['010190-1234', '1990-01-01'],
    ['290200-4000', '2000-02-29'],
    ['010137-4000', '1937-01-01'],
    ['010158-5000', '1858-01-01'],
    ['010157-5000', '2057-01-01'],
    ['311299-9999', '1999-12-31'],
  ])('accepts %s as born %s', (input, birthDate) => {
    expect(parseCpr(input)?.birthDate).toBe(birthDate);
  });

  it.each(['3102901234', '290201-4000', '0113901234', '010190 1234', '010190-123', 'abcdefghij', '01019012345', ''])(
    'refuses %s',
    (input) => {
      expect(parseCpr(input)).toBeNull();
    },
  );

  it('masks the serial and formats with a hyphen', () => {
    const cpr = parseCpr('0101901234')!;
    expect(maskCpr(cpr)).toBe('010190-****');
    expect(formatCpr(cpr)).toBe('010190-1234');
  });

  it('finds CPR numbers in free text but not other digit runs', () => {
    expect(containsCpr('mother 010190-1234 seen today')).toBe(true);
    expect(containsCpr('cpr 0101901234.')).toBe(true);
    expect(containsCpr('phone 12345678, week 24, journal 3102901234')).toBe(false);
    expect(containsCpr('order 12010190123456')).toBe(false);
  });

  it.each([
    ['fullwidth digits and minus sign', '０３０４８７−１２３４'],
    ['fullwidth digits and hyphen-minus', 'cpr ０３０４８７－１２３４ noted'],
    ['an en dash', '030487–1234'],
    ['a non-breaking hyphen', '030487\u20111234'],
    ['dots inside the date', '03.04.87-1234'],
    ['slashes inside the date and a space', 'born 03/04/87 1234'],
    ['hyphens throughout', '03-04-87-1234'],
    ['a space', '030487 1234'],
    ['a no-break space', '030487\u00a01234'],
    ['a dot', '030487.1234'],
    ['a slash', '030487/1234'],
    ['no separator', '0304871234'],
    ['a hyphen', 'x030487-1234x'],
  ])('finds a CPR number written with %s', (_how, text) => {
    expect(containsCpr(text)).toBe(true);
  });

  it.each([
    ['an invalid date (31 February)', '310287-1234'],
    ['an invalid month', '03.13.87-1234'],
    ['a Danish phone number', '+45 12 34 56 78'],
    ['a phone number in two groups', 'ring 1234 5678'],
    ['eleven digits', '03048712345'],
    ['eleven digits with a separator', '030487-12345'],
    ['a date without a serial', 'seen 03.04.87, 12:34'],
    ['mixed separators inside the date', '03.04/87 1234'],
    ['two separators before the serial', '030487 - 1234'],
    ['a date and a year', '03.04.2024'],
  ])('lets %s through', (_what, text) => {
    expect(containsCpr(text)).toBe(false);
  });

  it('reads an identifier by words: a CPR number stands alone, hex digits around it do not count', () => {
    expect(containsCpr('030487-1234', 'words')).toBe(true);
    expect(containsCpr('０３０４８７−１２３４', 'words')).toBe(true);
    expect(containsCpr('cpr:03.04.87-1234', 'words')).toBe(true);
    expect(containsCpr('3f2e1c7a-5b6d-4e8f-9a0b-cd0304871234', 'words')).toBe(false);
    expect(containsCpr('3f2e1c7a-5b6d-4e8f-9a0b-cd0304871234')).toBe(true);
  });
});

describe('maskCprs', () => {
  it.each([
    ['mother 010190-1234 seen', 'mother [CPR] seen'],
    ['a 0101901234 and b 03.04.87-1234.', 'a [CPR] and b [CPR].'],
    ['fullwidth ０３０４８７−１２３４ here', 'fullwidth [CPR] here'],
    ['on two lines 030487\n1234', 'on two lines [CPR]'],
    ['"cpr":"010190-1234","é":"ü"', '"cpr":"[CPR]","é":"ü"'],
    [
      'Error: no case for 030487-1234 or ０３０４８７－１２３４\n    at process (x.ts:1:2)\n  order 12010190123456',
      'Error: no case for [CPR] or [CPR]\n    at process (x.ts:1:2)\n  order 12010190123456',
    ],
    ['journal 310287-1234, mother 03.04.87-1234', 'journal 310287-1234, mother [CPR]'],
  ])('masks every CPR number in %j and leaves the rest', (text, masked) => {
    expect(maskCprs(text)).toBe(masked);
    expect(containsCpr(maskCprs(text))).toBe(false);
  });

  it('leaves text without a CPR number as it is', () => {
    for (const text of ['phone 12345678, journal 3102901234', 'order 12010190123456', '', 'ｆｕｌｌ'])
      expect(maskCprs(text)).toBe(text);
  });
});
