import { TIME_ZONE } from './dates';
import { fromLocal, toLocal } from './zoned';

/**
 * An ISO 8601 duration, unit by unit, never normalised (P1D is not PT24H, PT90M is not PT1H30M).
 * Every field is a non-negative integer except `seconds`, which may be fractional (PT0.5S).
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const DURATION_PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Parses an ISO 8601 duration `P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]` (upper case, components in
 * this order, weeks may be combined with the others). At least one component; a `T` must be
 * followed by at least one time component; no signs; only seconds may have a fraction (`.` or `,`).
 * Returns null for anything else ('', 'P', 'PT', '7D', 'P-1D', 'P1.5D', 'PT1H2', 'p1d', ' P1D'),
 * and for a component too large to be a safe integer.
 */
export function parseDuration(iso: string): Duration | null {
  const m = DURATION_PATTERN.exec(iso);
  if (!m) return null;
  const [, y, mo, w, d, h, mi, s] = m;
  if ([y, mo, w, d, h, mi, s].every((c) => c === undefined)) return null; // 'P'
  if (iso.includes('T') && [h, mi, s].every((c) => c === undefined)) return null; // 'P1DT'
  const whole = [y, mo, w, d, h, mi].map((c) => (c === undefined ? 0 : Number(c)));
  const seconds = s === undefined ? 0 : Number(s.replace(',', '.'));
  if (!whole.every(Number.isSafeInteger) || !Number.isFinite(seconds) || seconds > Number.MAX_SAFE_INTEGER) return null;
  const [years, months, weeks, days, hours, minutes] = whole;
  return { years, months, weeks, days, hours, minutes, seconds };
}

/**
 * The number of days in a duration of whole days and weeks (P1D, P28D, P4W): days + 7 × weeks. A
 * policy counts working days, weekdays and spans before the due date this way.
 * @throws RangeError for anything else (P1M, PT24H, 'P'), which is no count of days.
 */
export function wholeDays(iso: string): number {
  const d = parseDuration(iso);
  if (!d || d.years || d.months || d.hours || d.minutes || d.seconds)
    throw new RangeError(`Not whole days or weeks: ${iso}`);
  return d.days + 7 * d.weeks;
}

function assertValid(d: Duration): void {
  const integers = [d.years, d.months, d.weeks, d.days, d.hours, d.minutes];
  if (!integers.every((n) => Number.isSafeInteger(n) && n >= 0) || !(Number.isFinite(d.seconds) && d.seconds >= 0)) {
    throw new RangeError(`Invalid duration: ${JSON.stringify(d)}`);
  }
}

/**
 * `instant` + `d`, in two steps:
 *
 * 1. The date components (years, months, weeks, days) are added in the local calendar of `timeZone`
 *    (default Europe/Copenhagen), keeping the local wall time. Years and months are added together
 *    first and the day is clamped to the end of the month (31 January + P1M = 28 or 29 February;
 *    29 February 2028 + P1Y = 28 February 2029); then weeks and days. If the wall time does not exist
 *    on the target day, or exists twice, {@link fromLocal}'s rule decides (gap: forward by the gap;
 *    overlap: the earlier instant). A duration without date components leaves this step out.
 * 2. The time components (hours, minutes, seconds) are added as exact elapsed time, rounded to the
 *    millisecond.
 *
 * So across the spring DST change 2027-03-27T10:00 CET + P1D = 2027-03-28T10:00 CEST (23 real
 * hours), but + PT24H = 2027-03-28T11:00 CEST; across the autumn change P1D lasts 25 hours.
 * @throws RangeError for an invalid Date or duration.
 */
export function addDuration(instant: Date, d: Duration, timeZone = TIME_ZONE): Date {
  assertValid(d);
  let ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid Date');
  if (d.years || d.months || d.weeks || d.days) {
    const local = toLocal(instant, timeZone);
    const monthIndex = local.year * 12 + (local.month - 1) + d.years * 12 + d.months;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    const day = Math.min(local.day, daysInMonth(year, month));
    // fromLocal normalises day overflow, so the weeks and days can simply be added to the day.
    ms = fromLocal({ ...local, year, month, day: day + d.weeks * 7 + d.days }, timeZone).getTime();
  }
  const elapsed = Math.round((d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000);
  return new Date(ms + elapsed);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `from` + `factor` × (`to` − `from`), computed on epoch milliseconds and rounded to the nearest
 * millisecond: scales the span between two instants in exact elapsed time, ignoring calendars and
 * DST (used for gestational scaling of deadlines).
 * @throws RangeError when an instant is invalid or `factor` is not finite.
 */
export function scaleMs(from: Date, to: Date, factor: number): Date {
  const a = from.getTime();
  const b = to.getTime();
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(factor)) {
    throw new RangeError('scaleMs needs valid instants and a finite factor');
  }
  return new Date(a + Math.round(factor * (b - a)));
}
