import { containsCpr, formatCpr, maskCpr, parseCpr } from './cpr';

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
});
