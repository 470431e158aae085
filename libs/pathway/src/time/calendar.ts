import { addDays, TIME_ZONE } from './dates';
import { formatDate, fromLocal, localDate, parseDate, startOfLocalDay, toLocal } from './zoned';

/**
 * The Danish working-day calendar: weekends and the public holidays of domain.md ("Time semantics").
 * Dates are YYYY-MM-DD strings in the proleptic Gregorian calendar, years 1–9999.
 */

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new RangeError(`Year out of range 1–9999: ${year}`);
}

/**
 * Easter Sunday of `year` (YYYY-MM-DD) by the Gregorian computus (the anonymous Gregorian algorithm
 * of Meeus/Jones/Butcher), applied proleptically to any year 1–9999.
 * @throws RangeError for a year that is not an integer in 1–9999.
 */
function easterSunday(year: number): string {
  assertYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate({ year, month, day });
}

const holidaysByYear = new Map<number, ReadonlySet<string>>();

/**
 * The Danish public holidays of `year` (YYYY-MM-DD) — exactly those of domain.md: New Year's Day,
 * Maundy Thursday (Easter − 3), Good Friday (− 2), Easter Sunday, Easter Monday (+ 1), Great Prayer
 * Day (+ 26, a Friday; only before 2024), Ascension Day (+ 39), Whit Sunday (+ 49), Whit Monday
 * (+ 50), Christmas Day (25 Dec) and Boxing Day (26 Dec). Not Christmas Eve, New Year's Eve or
 * Constitution Day (5 June), which are not public holidays. Computed once per year.
 * @throws RangeError for a year that is not an integer in 1–9999.
 */
function holidays(year: number): ReadonlySet<string> {
  let cached = holidaysByYear.get(year);
  if (!cached) {
    assertYear(year);
    const easter = easterSunday(year);
    cached = new Set([
      formatDate({ year, month: 1, day: 1 }), // New Year's Day
      addDays(easter, -3), // Maundy Thursday
      addDays(easter, -2), // Good Friday
      easter, // Easter Sunday
      addDays(easter, 1), // Easter Monday
      // Store bededag (Great Prayer Day), the fourth Friday after Easter, abolished by law from 2024.
      ...(year < 2024 ? [addDays(easter, 26)] : []),
      addDays(easter, 39), // Ascension Day
      addDays(easter, 49), // Whit Sunday
      addDays(easter, 50), // Whit Monday
      formatDate({ year, month: 12, day: 25 }), // Christmas Day
      formatDate({ year, month: 12, day: 26 }), // Boxing Day
    ]);
    holidaysByYear.set(year, cached);
  }
  return cached;
}

/**
 * Whether `date` (YYYY-MM-DD) is a Danish public holiday (see {@link holidays}).
 * @throws RangeError for a malformed or impossible date, or a year outside 1–9999.
 */
function isPublicHoliday(date: string): boolean {
  return holidays(parseDate(date).year).has(date);
}

/**
 * Whether `date` (YYYY-MM-DD) is a Monday to Friday, holiday or not.
 * @throws RangeError for a malformed or impossible date.
 */
function isWeekday(date: string): boolean {
  parseDate(date);
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/**
 * Whether `date` (YYYY-MM-DD) is a Danish working day: Monday to Friday and not a public holiday.
 * @throws RangeError for a malformed or impossible date, or a Monday to Friday outside the years 1–9999.
 */
export function isWorkingDay(date: string): boolean {
  return isWeekday(date) && !isPublicHoliday(date);
}

/** The local wall time of `instant` moved to the `n`-th day after its local date that `counts`. */
function addCountedDays(instant: Date, n: number, timeZone: string, counts: (date: string) => boolean): Date {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer: ${n}`);
  if (!Number.isFinite(instant.getTime())) throw new RangeError('Invalid Date');
  if (n === 0) return new Date(instant.getTime());
  let date = localDate(instant, timeZone);
  for (let counted = 0; counted < n;) {
    date = addDays(date, 1);
    if (counts(date)) counted++;
  }
  return fromLocal({ ...toLocal(instant, timeZone), ...parseDate(date) }, timeZone);
}

/**
 * The same local wall time (in `timeZone`, default Europe/Copenhagen) on the `n`-th working day
 * (see {@link isWorkingDay}) after the anchor's local date; the anchor's own date never counts,
 * whether it is a working day or not. n = 0 returns the instant unchanged (as a new Date).
 * Examples: Friday 15:00 + 1 → Monday 15:00; Saturday 10:00 + 1 → Monday 10:00; Wednesday
 * 24 March 2027 14:00 CET + 1 → Tuesday 30 March 2027 14:00 CEST (Maundy Thursday, Good Friday,
 * the Easter weekend and Easter Monday skipped). If the wall time does not exist on the target day
 * (DST gap) or exists twice (overlap), {@link fromLocal}'s rule decides.
 * @throws RangeError when n is not a non-negative integer, or for an invalid Date.
 */
export function addWorkingDays(instant: Date, n: number, timeZone = TIME_ZONE): Date {
  return addCountedDays(instant, n, timeZone, isWorkingDay);
}

/**
 * Like {@link addWorkingDays}, but counting Monday to Friday only: public holidays count as days.
 * @throws RangeError when n is not a non-negative integer, or for an invalid Date.
 */
export function addWeekdays(instant: Date, n: number, timeZone = TIME_ZONE): Date {
  return addCountedDays(instant, n, timeZone, isWeekday);
}

/** Which local dates a day-counting calendar counts: working days, or Monday to Friday. */
export type DayCalendar = 'working-days' | 'weekdays';

function countsIn(calendar: DayCalendar): (date: string) => boolean {
  return calendar === 'working-days' ? isWorkingDay : isWeekday;
}

/**
 * The elapsed milliseconds between `from` and `to` that lie on local dates the calendar counts
 * (working days: all of a working day, 00:00–24:00 local, counts; a weekend or holiday counts
 * nothing). 0 when `to` is not after `from`.
 * @throws RangeError for an invalid Date.
 */
export function countedTimeBetween(from: Date, to: Date, calendar: DayCalendar, timeZone = TIME_ZONE): number {
  if (!Number.isFinite(from.getTime()) || !Number.isFinite(to.getTime())) throw new RangeError('Invalid Date');
  const counts = countsIn(calendar);
  let total = 0;
  let cursor = from.getTime();
  while (cursor < to.getTime()) {
    const date = localDate(new Date(cursor), timeZone);
    const nextDay = startOfLocalDay(addDays(date, 1), timeZone).getTime();
    const end = Math.min(nextDay, to.getTime());
    if (counts(date)) total += end - cursor;
    cursor = end;
  }
  return total;
}

/**
 * The instant at which `ms` of counted time (see {@link countedTimeBetween}) has passed after
 * `from`: weekends and holidays are skipped, so the result always lies within a counted day, at
 * the latest at the last millisecond of one (never at the midnight that starts a weekend).
 * Example (working days): Friday 10:00 + 18 h → Monday 04:00 (14 h of Friday, 4 h of Monday).
 * ms = 0 is `from` on a counted day, else the start of the next counted day (Sunday 00:00 → Monday 00:00).
 * @throws RangeError when ms is negative or not finite, or for an invalid Date.
 */
export function addCountedTime(from: Date, ms: number, calendar: DayCalendar, timeZone = TIME_ZONE): Date {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a non-negative number: ${ms}`);
  if (!Number.isFinite(from.getTime())) throw new RangeError('Invalid Date');
  const counts = countsIn(calendar);
  let left = ms;
  let cursor = from.getTime();
  for (;;) {
    const date = localDate(new Date(cursor), timeZone);
    const nextDay = startOfLocalDay(addDays(date, 1), timeZone).getTime();
    if (counts(date)) {
      // The end of a counted day is its last millisecond, so that the result stays on that date.
      if (left < nextDay - cursor || (left > 0 && left === nextDay - cursor))
        return new Date(Math.min(cursor + left, nextDay - 1));
      left -= nextDay - cursor;
    }
    cursor = nextDay;
  }
}
