import { localDate } from './zoned';
import { gestationalAge } from './gestation';

describe('gestational age', () => {
  it('is 40+0 on the due date and counts back 280 days', () => {
    expect(gestationalAge('2027-03-01', new Date('2027-03-01T10:00:00Z'))).toEqual({
      days: 280,
      weeks: 40,
      extraDays: 0,
    });
    expect(gestationalAge('2027-03-01', new Date('2026-11-23T10:00:00Z'))).toEqual({
      days: 182,
      weeks: 26,
      extraDays: 0,
    });
    expect(gestationalAge('2027-03-01', new Date('2026-11-26T10:00:00Z'))).toMatchObject({ weeks: 26, extraDays: 3 });
  });

  it('uses the Copenhagen calendar date, not UTC', () => {
    // 23:30 UTC on 30 November is already 1 December in Copenhagen.
    expect(localDate(new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
    expect(gestationalAge('2027-03-01', new Date('2026-11-30T23:30:00Z')).days).toBe(
      gestationalAge('2027-03-01', new Date('2026-12-01T12:00:00Z')).days,
    );
  });

  it('crosses the daylight-saving change without losing or gaining a day', () => {
    // Summer time ends on 25 October 2026: that Copenhagen day has 25 hours.
    const before = gestationalAge('2027-03-01', new Date('2026-10-24T22:30:00Z'));
    const after = gestationalAge('2027-03-01', new Date('2026-10-25T23:30:00Z'));
    expect(after.days - before.days).toBe(1);
  });
});
