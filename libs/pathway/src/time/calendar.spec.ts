import { addDays } from './dates';
import { addWeekdays, addWorkingDays, isWorkingDay } from './calendar';
import { localDate } from './zoned';

const at = (iso: string) => new Date(iso);

/** Easter Sundays (Gregorian) from published tables, the earliest and latest possible among them. */
const KNOWN_EASTER_SUNDAYS = [
  '1818-03-22', // earliest possible
  '1943-04-25', // latest possible
  '1990-04-15',
  '2000-04-23',
  '2008-03-23',
  '2011-04-24',
  '2019-04-21',
  '2023-04-09',
  '2024-03-31',
  '2025-04-20',
  '2026-04-05',
  '2027-03-28',
  '2038-04-25',
  '2100-03-28',
  '2285-03-22',
];

/** An independent computus (Oudin's algorithm, as given by Tøndering) to check every year against. */
function oudinEaster(year: number): string {
  const g = year % 19;
  const c = Math.floor(year / 100);
  const h = (c - Math.floor(c / 4) - Math.floor((8 * c + 13) / 25) + 19 * g + 15) % 30;
  const i = h - Math.floor(h / 28) * (1 - Math.floor(29 / (h + 1)) * Math.floor((21 - g) / 11));
  const j = (year + Math.floor(year / 4) + i + 2 - c + Math.floor(c / 4)) % 7;
  const l = i - j;
  const month = 3 + Math.floor((l + 40) / 44);
  const day = l + 28 - 31 * Math.floor(month / 4);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isMondayToFriday = (date: string) => weekday(date) !== 0 && weekday(date) !== 6;

/** The Danish public holidays of domain.md ("Time semantics") in `year`, whose Easter Sunday is `easter`. */
function domainHolidays(year: number, easter: string): string[] {
  return [
    `${year}-01-01`, // New Year's Day
    addDays(easter, -3), // Maundy Thursday
    addDays(easter, -2), // Good Friday
    easter, // Easter Sunday
    addDays(easter, 1), // Easter Monday
    ...(year < 2024 ? [addDays(easter, 26)] : []), // Great Prayer Day, the fourth Friday after Easter
    addDays(easter, 39), // Ascension Day
    addDays(easter, 49), // Whit Sunday
    addDays(easter, 50), // Whit Monday
    `${year}-12-25`, // Christmas Day
    `${year}-12-26`, // Boxing Day
  ];
}

/** Every date of `year` (100–9999), counted on UTC midnights rather than with the calendar under test. */
function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 86_400_000) {
    dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

/** The Monday-to-Friday dates of `year` that isWorkingDay says are not working days. */
const weekdaysOff = (year: number) => datesOf(year).filter((d) => isMondayToFriday(d) && !isWorkingDay(d));

/**
 * What they must be: the holidays of domain.md that fall on a Monday to Friday, in date order. A holiday
 * on a Saturday or Sunday changes nothing, as no weekend day is a working day.
 */
const holidaysOnWeekdays = (year: number, easter: string) =>
  domainHolidays(year, easter).filter(isMondayToFriday).sort();

describe('the Danish public holidays', () => {
  it.each(KNOWN_EASTER_SUNDAYS)(
    'given Easter Sunday on %s, the weekdays that are not working days are exactly the holidays of that year',
    (easter) => {
      expect(weekday(easter)).toBe(0); // a check of the table itself
      const year = Number(easter.slice(0, 4));
      expect(weekdaysOff(year)).toEqual(holidaysOnWeekdays(year, easter));
    },
  );

  it.each([
    // 1 January is a Sunday; Great Prayer Day on 5 May.
    [
      2023,
      ['2023-04-06', '2023-04-07', '2023-04-10', '2023-05-05', '2023-05-18', '2023-05-29', '2023-12-25', '2023-12-26'],
    ],
    // Without Great Prayer Day (26 April would have been it).
    [
      2024,
      ['2024-01-01', '2024-03-28', '2024-03-29', '2024-04-01', '2024-05-09', '2024-05-20', '2024-12-25', '2024-12-26'],
    ],
    // Easter Sunday is also the DST change; Christmas falls on the weekend.
    [2027, ['2027-01-01', '2027-03-25', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17']],
  ])('in %i, the weekdays off are %j', (year, dates) => {
    expect(weekdaysOff(year)).toEqual(dates);
  });

  it('agrees with an independent computus of Easter, a Sunday from 22 March to 25 April, 1583–3000', () => {
    const disagreements: { year: number; off: string[]; holidays: string[] }[] = [];
    for (let year = 1583; year <= 3000; year++) {
      const easter = oudinEaster(year);
      expect(weekday(easter) === 0 && easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
      const off = weekdaysOff(year);
      const holidays = holidaysOnWeekdays(year, easter);
      if (off.join() !== holidays.join()) disagreements.push({ year, off, holidays });
    }
    expect(disagreements).toEqual([]);
  });

  it('has Great Prayer Day, the fourth Friday after Easter, only before 2024, 1990–2100', () => {
    for (let year = 1990; year <= 2100; year++) {
      const prayerDay = addDays(oudinEaster(year), 26);
      expect(weekday(prayerDay)).toBe(5);
      expect([year, isWorkingDay(prayerDay)]).toEqual([year, year >= 2024]);
      // From the Thursday before: the Friday, or (while it was a holiday) the Monday after.
      const thursdayNoon = at(`${addDays(prayerDay, -1)}T10:00:00Z`);
      expect(localDate(addWorkingDays(thursdayNoon, 1))).toBe(addDays(prayerDay, year < 2024 ? 3 : 0));
      expect(localDate(addWeekdays(thursdayNoon, 1))).toBe(prayerDay);
    }
  });
});

describe('working days', () => {
  it.each([
    ['2026-12-23', true], // Wednesday
    ['2026-12-24', true], // Christmas Eve, Thursday: not a public holiday
    ['2026-12-25', false], // Christmas Day, Friday
    ['2026-12-26', false], // Boxing Day, Saturday
    ['2026-12-27', false], // Sunday
    ['2026-12-28', true], // Monday
    ['2026-12-31', true], // New Year's Eve, Thursday: not a public holiday
    ['2027-01-01', false], // New Year's Day, Friday
    ['2027-01-04', true], // Monday
    ['2027-03-24', true], // Wednesday before Easter
    ['2027-03-25', false], // Maundy Thursday
    ['2027-03-26', false], // Good Friday
    ['2027-03-27', false], // Saturday
    ['2027-03-28', false], // Easter Sunday
    ['2027-03-29', false], // Easter Monday
    ['2027-03-30', true], // Tuesday
    ['2027-05-06', false], // Ascension Day, Thursday
    ['2027-05-07', true], // the Friday after
    ['2027-05-17', false], // Whit Monday
    ['2023-05-05', false], // Great Prayer Day 2023
    ['2024-04-26', true], // what would have been Great Prayer Day 2024
    ['2026-06-05', true], // Constitution Day, Friday: not a public holiday here
  ])('%s is a working day: %s', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('counts a holiday on a weekday as a weekday but not as a working day, and a holiday on a Sunday as neither', () => {
    // Christmas Day 2026 is a Friday: Thursday 24 December 12:00 CET + 1.
    expect(addWeekdays(at('2026-12-24T11:00:00Z'), 1)).toEqual(at('2026-12-25T11:00:00Z'));
    expect(addWorkingDays(at('2026-12-24T11:00:00Z'), 1)).toEqual(at('2026-12-28T11:00:00Z'));
    // Easter Sunday 2027: Saturday 27 March 12:00 CET + 1 (Easter Monday is a holiday too).
    expect(addWeekdays(at('2027-03-27T11:00:00Z'), 1)).toEqual(at('2027-03-29T10:00:00Z'));
    expect(addWorkingDays(at('2027-03-27T11:00:00Z'), 1)).toEqual(at('2027-03-30T10:00:00Z'));
  });

  it('rejects malformed dates', () => {
    for (const bad of ['2027-02-29', '2027-3-1', '20270301', '']) {
      expect(() => isWorkingDay(bad)).toThrow(RangeError);
    }
    expect(() => isWorkingDay('2027-02-29')).toThrow('Not a YYYY-MM-DD date: 2027-02-29');
  });

  it('given a year outside 1–9999, then the holiday calendar refuses it, but weekdays still count', () => {
    // 1 June of year 0 is a Thursday, proleptically.
    expect(() => isWorkingDay('0000-06-01')).toThrow(new RangeError('Year out of range 1–9999: 0'));
    expect(() => addWorkingDays(at('0000-05-31T10:00:00Z'), 1)).toThrow(new RangeError('Year out of range 1–9999: 0'));
    expect(addWeekdays(at('0000-05-31T10:00:00Z'), 1)).toEqual(at('0000-06-01T10:00:00Z'));
    expect(addWeekdays(at('0000-06-01T10:00:00Z'), 2)).toEqual(at('0000-06-05T10:00:00Z'));
    // The calendar ends with 9999: Thursday 30 December + 1 is Friday 31 December, and no day comes after it.
    expect(addWorkingDays(at('9999-12-30T10:00:00Z'), 1)).toEqual(at('9999-12-31T10:00:00Z'));
    expect(() => addWorkingDays(at('9999-12-31T10:00:00Z'), 1)).toThrow(RangeError);
    expect(() => addWeekdays(at('9999-12-31T10:00:00Z'), 1)).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('goes from Friday to Monday, keeping the wall time', () => {
    // Friday 8 January 2027 15:00 CET → Monday 11 January 15:00 CET
    expect(addWorkingDays(at('2027-01-08T14:00:00Z'), 1)).toEqual(at('2027-01-11T14:00:00Z'));
    expect(addWorkingDays(at('2027-01-08T14:00:00Z'), 5)).toEqual(at('2027-01-15T14:00:00Z'));
  });

  it('counts from the next day when the anchor is on a weekend', () => {
    // Saturday 9 January 2027 10:00 CET → Monday 11 January 10:00 CET
    expect(addWorkingDays(at('2027-01-09T09:00:00Z'), 1)).toEqual(at('2027-01-11T09:00:00Z'));
  });

  it('skips Easter and crosses the DST change keeping the wall time', () => {
    // Wednesday 24 March 2027 14:00 CET → Tuesday 30 March 2027 14:00 CEST
    expect(addWorkingDays(at('2027-03-24T13:00:00Z'), 1)).toEqual(at('2027-03-30T12:00:00Z'));
    expect(addWorkingDays(at('2027-03-24T13:00:00Z'), 2)).toEqual(at('2027-03-31T12:00:00Z'));
  });

  it('crosses Christmas and the year end', () => {
    // Wednesday 23 December 2026 12:00 CET
    expect(addWorkingDays(at('2026-12-23T11:00:00Z'), 1)).toEqual(at('2026-12-24T11:00:00Z'));
    expect(addWorkingDays(at('2026-12-23T11:00:00Z'), 2)).toEqual(at('2026-12-28T11:00:00Z'));
    // Thursday 31 December 2026 09:00 CET → Monday 4 January 2027 (1 January is a Friday holiday)
    expect(addWorkingDays(at('2026-12-31T08:00:00Z'), 1)).toEqual(at('2027-01-04T08:00:00Z'));
  });

  it('uses the local date of the anchor, not the UTC one', () => {
    // Monday 11 January 2027 00:30 CET is still Sunday in UTC → Tuesday 12 January 00:30 CET
    expect(addWorkingDays(at('2027-01-10T23:30:00Z'), 1)).toEqual(at('2027-01-11T23:30:00Z'));
  });

  it('returns the same instant for n = 0, even on a holiday', () => {
    const easterSundayNoon = at('2027-03-28T10:00:00Z');
    const result = addWorkingDays(easterSundayNoon, 0);
    expect(result).toEqual(easterSundayNoon);
    expect(result).not.toBe(easterSundayNoon);
    expect(addWeekdays(easterSundayNoon, 0)).toEqual(easterSundayNoon);
  });

  it('lands on a working day with exactly n working days after the anchor date', () => {
    const anchor = at('2026-12-20T09:15:00Z'); // Sunday 10:15 CET
    for (let n = 1; n <= 80; n++) {
      const result = addWorkingDays(anchor, n);
      const target = localDate(result);
      expect(isWorkingDay(target)).toBe(true);
      let count = 0;
      for (let d = addDays(localDate(anchor), 1); d <= target; d = addDays(d, 1)) if (isWorkingDay(d)) count++;
      expect(count).toBe(n);
      expect(result.toLocaleTimeString('en-GB', { timeZone: 'Europe/Copenhagen' })).toBe('10:15:00');
    }
  });

  it('rejects negative or fractional n', () => {
    expect(() => addWorkingDays(at('2027-01-08T14:00:00Z'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(at('2027-01-08T14:00:00Z'), 1.5)).toThrow(RangeError);
    expect(() => addWeekdays(at('2027-01-08T14:00:00Z'), -1)).toThrow(RangeError);
  });
});

describe('addWeekdays', () => {
  it('counts Monday to Friday, holidays included', () => {
    // Friday 8 January 2027 15:00 CET → Monday 15:00
    expect(addWeekdays(at('2027-01-08T14:00:00Z'), 1)).toEqual(at('2027-01-11T14:00:00Z'));
    // Saturday 10:00 → Monday 10:00
    expect(addWeekdays(at('2027-01-09T09:00:00Z'), 1)).toEqual(at('2027-01-11T09:00:00Z'));
    // Wednesday 24 March 2027 14:00 CET → Maundy Thursday, Good Friday, then Easter Monday 14:00 CEST
    expect(addWeekdays(at('2027-03-24T13:00:00Z'), 1)).toEqual(at('2027-03-25T13:00:00Z'));
    expect(addWeekdays(at('2027-03-24T13:00:00Z'), 2)).toEqual(at('2027-03-26T13:00:00Z'));
    expect(addWeekdays(at('2027-03-24T13:00:00Z'), 3)).toEqual(at('2027-03-29T12:00:00Z'));
  });

  it('crosses Christmas and the year end', () => {
    expect(addWeekdays(at('2026-12-24T11:00:00Z'), 1)).toEqual(at('2026-12-25T11:00:00Z'));
    expect(addWeekdays(at('2026-12-31T08:00:00Z'), 1)).toEqual(at('2027-01-01T08:00:00Z'));
    expect(addWeekdays(at('2026-12-31T08:00:00Z'), 2)).toEqual(at('2027-01-04T08:00:00Z'));
  });

  it('lands on a Monday to Friday with exactly n of them after the anchor date', () => {
    const anchor = at('2027-03-21T09:15:00Z'); // Sunday 10:15 CET, the week before Easter
    for (let n = 1; n <= 80; n++) {
      const result = addWeekdays(anchor, n);
      const target = localDate(result);
      expect(isMondayToFriday(target)).toBe(true);
      let count = 0;
      for (let d = addDays(localDate(anchor), 1); d <= target; d = addDays(d, 1)) if (isMondayToFriday(d)) count++;
      expect(count).toBe(n);
      expect(result.toLocaleTimeString('en-GB', { timeZone: 'Europe/Copenhagen' })).toBe('10:15:00');
    }
  });

  it('moves a wall time that falls in a DST gap forward by the gap', () => {
    // Israel springs forward on Friday 27 March 2026 at 02:00 (+02:00 → +03:00).
    // Thursday 02:30 IST + 1 weekday → Friday 02:30 does not exist → 03:30 IDT.
    expect(addWeekdays(at('2026-03-26T00:30:00Z'), 1, 'Asia/Jerusalem')).toEqual(at('2026-03-27T00:30:00Z'));
  });
});
