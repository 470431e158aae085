import { localDate } from './zoned';
import { addDays } from './dates';
import { beforeDueDate, dueDateReachingWeek, gestationalAge, startOfGestationalWeek } from './gestation';

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

describe('days before the due date', () => {
  it('given a span of days, then the start of that Copenhagen day before the due date, in winter and in summer time', () => {
    expect(beforeDueDate('2027-03-01', 28)).toEqual(new Date('2027-01-31T23:00:00.000Z')); // 1 Feb 00:00 CET
    expect(beforeDueDate('2027-05-27', 28)).toEqual(new Date('2027-04-28T22:00:00.000Z')); // 29 Apr 00:00 CEST
    expect(beforeDueDate('2027-03-01', 0)).toEqual(new Date('2027-02-28T23:00:00.000Z'));
  });

  it('given a gestational week, then the day it begins: 37+0 is 21 days before the due date', () => {
    expect(startOfGestationalWeek('2027-03-01', 37)).toEqual(new Date('2027-02-07T23:00:00.000Z')); // 8 Feb 00:00 CET
    expect(startOfGestationalWeek('2027-05-27', 37)).toEqual(new Date('2027-05-05T22:00:00.000Z')); // 6 May 00:00 CEST
    expect(gestationalAge('2027-03-01', startOfGestationalWeek('2027-03-01', 37))).toMatchObject({
      weeks: 37,
      extraDays: 0,
    });
    expect(
      gestationalAge('2027-03-01', new Date(startOfGestationalWeek('2027-03-01', 37).getTime() - 1)),
    ).toMatchObject({ weeks: 36, extraDays: 6 });
  });
});

describe('the latest due date reaching a week', () => {
  it('is the boundary of gestationalAge: on it the week is reached, a day later not, in Copenhagen days', () => {
    for (const now of [
      new Date('2026-12-04T10:00:00Z'),
      new Date('2026-11-30T23:30:00Z'),
      new Date('2027-03-28T01:30:00Z'),
    ]) {
      const by = dueDateReachingWeek(now, 37);
      expect(gestationalAge(by, now)).toMatchObject({ weeks: 37, extraDays: 0 });
      expect(gestationalAge(addDays(by, 1), now).weeks).toBe(36);
      expect(gestationalAge(addDays(by, -30), now).weeks).toBeGreaterThanOrEqual(37);
    }
  });
});
