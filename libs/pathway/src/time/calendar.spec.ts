import { addDays } from './dates';
import {
  addWeekdays,
  addWorkingDays,
  danishPublicHolidays,
  easterSunday,
  isPublicHoliday,
  isWeekday,
  isWorkingDay,
} from './calendar';
import { localDate } from './zoned';

const at = (iso: string) => new Date(iso);

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

describe('easterSunday', () => {
  it.each([
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
  ])('%s', (date) => {
    expect(easterSunday(Number(date.slice(0, 4)))).toBe(date);
  });

  it('is a Sunday between 22 March and 25 April and agrees with an independent computus, 1583–3000', () => {
    for (let year = 1583; year <= 3000; year++) {
      const easter = easterSunday(year);
      expect(easter).toBe(oudinEaster(year));
      expect(weekday(easter)).toBe(0);
      expect(easter.slice(5) >= '03-22' && easter.slice(5) <= '04-25').toBe(true);
    }
  });

  it('rejects years that are not integers in 1–9999', () => {
    expect(() => easterSunday(2027.5)).toThrow(RangeError);
    expect(() => easterSunday(0)).toThrow(RangeError);
    expect(() => easterSunday(10_000)).toThrow(RangeError);
  });
});

describe('danishPublicHolidays', () => {
  it('lists 2023 with Great Prayer Day on 5 May', () => {
    expect(danishPublicHolidays(2023)).toEqual([
      { date: '2023-01-01', name: "New Year's Day" },
      { date: '2023-04-06', name: 'Maundy Thursday' },
      { date: '2023-04-07', name: 'Good Friday' },
      { date: '2023-04-09', name: 'Easter Sunday' },
      { date: '2023-04-10', name: 'Easter Monday' },
      { date: '2023-05-05', name: 'Great Prayer Day' },
      { date: '2023-05-18', name: 'Ascension Day' },
      { date: '2023-05-28', name: 'Whit Sunday' },
      { date: '2023-05-29', name: 'Whit Monday' },
      { date: '2023-12-25', name: 'Christmas Day' },
      { date: '2023-12-26', name: 'Boxing Day' },
    ]);
  });

  it('lists 2024 without Great Prayer Day', () => {
    expect(danishPublicHolidays(2024)).toEqual([
      { date: '2024-01-01', name: "New Year's Day" },
      { date: '2024-03-28', name: 'Maundy Thursday' },
      { date: '2024-03-29', name: 'Good Friday' },
      { date: '2024-03-31', name: 'Easter Sunday' },
      { date: '2024-04-01', name: 'Easter Monday' },
      { date: '2024-05-09', name: 'Ascension Day' },
      { date: '2024-05-19', name: 'Whit Sunday' },
      { date: '2024-05-20', name: 'Whit Monday' },
      { date: '2024-12-25', name: 'Christmas Day' },
      { date: '2024-12-26', name: 'Boxing Day' },
    ]);
  });

  it('lists 2027, when Easter Sunday is also the DST change', () => {
    expect(danishPublicHolidays(2027).map((h) => h.date)).toEqual([
      '2027-01-01',
      '2027-03-25',
      '2027-03-26',
      '2027-03-28',
      '2027-03-29',
      '2027-05-06',
      '2027-05-16',
      '2027-05-17',
      '2027-12-25',
      '2027-12-26',
    ]);
  });

  it('has Great Prayer Day, a Friday, only before 2024, and keeps every list sorted, 1990–2100', () => {
    for (let year = 1990; year <= 2100; year++) {
      const holidays = danishPublicHolidays(year);
      const prayerDay = holidays.find((h) => h.name === 'Great Prayer Day');
      expect(holidays).toHaveLength(year < 2024 ? 11 : 10);
      if (year < 2024) {
        expect(prayerDay?.date).toBe(addDays(easterSunday(year), 26));
        expect(weekday(prayerDay!.date)).toBe(5);
      } else {
        expect(prayerDay).toBeUndefined();
      }
      const dates = holidays.map((h) => h.date);
      expect([...dates].sort()).toEqual(dates);
      expect(dates.every((d) => d.startsWith(`${year}-`))).toBe(true);
    }
  });

  it('returns a copy the caller cannot use to corrupt the cache', () => {
    const first = danishPublicHolidays(2026);
    first.pop();
    first[0].date = '2026-06-05';
    expect(danishPublicHolidays(2026)).toHaveLength(10);
    expect(danishPublicHolidays(2026)[0]).toEqual({ date: '2026-01-01', name: "New Year's Day" });
    expect(isPublicHoliday('2026-06-05')).toBe(false);
    expect(isPublicHoliday('2026-12-26')).toBe(true);
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

  it('tells weekdays from public holidays', () => {
    expect(isWeekday('2026-12-25')).toBe(true);
    expect(isPublicHoliday('2026-12-25')).toBe(true);
    expect(isWeekday('2026-12-26')).toBe(false);
    expect(isWeekday('2027-03-28')).toBe(false);
    expect(isPublicHoliday('2027-03-28')).toBe(true);
    expect(isPublicHoliday('2027-03-30')).toBe(false);
  });

  it('rejects malformed dates', () => {
    for (const bad of ['2027-02-29', '2027-3-1', '20270301', '']) {
      expect(() => isWorkingDay(bad)).toThrow(RangeError);
      expect(() => isPublicHoliday(bad)).toThrow(RangeError);
      expect(() => isWeekday(bad)).toThrow(RangeError);
    }
    expect(() => isWorkingDay('2027-02-29')).toThrow('Not a YYYY-MM-DD date: 2027-02-29');
  });

  it('given a year outside 1–9999, then the holiday calendar refuses it', () => {
    expect(() => isPublicHoliday('0000-06-01')).toThrow(new RangeError('Year out of range 1–9999: 0'));
    expect(isWeekday('0000-06-01')).toBe(true); // a Thursday, proleptically
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

  it('moves a wall time that falls in a DST gap forward by the gap', () => {
    // Israel springs forward on Friday 27 March 2026 at 02:00 (+02:00 → +03:00).
    // Thursday 02:30 IST + 1 weekday → Friday 02:30 does not exist → 03:30 IDT.
    expect(addWeekdays(at('2026-03-26T00:30:00Z'), 1, 'Asia/Jerusalem')).toEqual(at('2026-03-27T00:30:00Z'));
  });
});
