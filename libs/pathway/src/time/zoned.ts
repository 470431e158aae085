import { addDays, TIME_ZONE } from './dates';

/**
 * A wall-clock reading in some time zone, in the proleptic Gregorian calendar: what a clock on the
 * wall and a calendar showed there. `month` is 1–12, `hour` 0–23. It names no instant by itself:
 * {@link fromLocal} turns it into one for a given zone.
 */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
/** Offsets are cached per UTC day; the cache of a zone is dropped when it grows beyond this many days. */
const MAX_CACHED_DAYS = 100_000;

/** A UTC day in which the offset changes: `before` until `at` (exclusive), `after` from `at`. */
interface Transition {
  at: number;
  before: number;
  after: number;
}

interface Zone {
  format: Intl.DateTimeFormat;
  /** UTC day (epoch ms / 1 day, floored) → its offset in ms, the transition within it, or null (ask Intl). */
  offsetByDay: Map<number, number | Transition | null>;
}

const zones = new Map<string, Zone>();

function zone(timeZone: string): Zone {
  let z = zones.get(timeZone);
  if (!z) {
    // Throws RangeError for an unknown zone.
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    z = { format, offsetByDay: new Map() };
    zones.set(timeZone, z);
  }
  return z;
}

/** Milliseconds since the epoch of a reading taken as if it were UTC (years 0–99 are not mapped to 19xx). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  // Date.UTC reads years 0–99 as 1900–1999; shift by one 400-year Gregorian cycle (146 097 days) instead.
  if (year >= 0 && year < 100)
    return Date.UTC(year + 400, month - 1, day, hour, minute, second, millisecond) - 146_097 * DAY_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
}

/** The offset in ms at `ms`, asked of Intl (which resolves to whole seconds). */
function offsetFromIntl(format: Intl.DateTimeFormat, ms: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const part of format.formatToParts(ms)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
      case 'era':
        bc = part.value === 'BC';
        break;
      default:
        break;
    }
  }
  if (bc) year = 1 - year;
  const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
  return utcMs(year, month, day, hour, minute, second) - wholeSecond;
}

/**
 * What a UTC day looks like in a zone: one offset, or one transition found by bisection to the
 * second (tz data has second precision); null when the bisection shows more than one change that
 * day, which the cache does not model. (A day that changes and changes back is taken as one offset:
 * no zone has done that.)
 */
function describeDay(format: Intl.DateTimeFormat, day: number): number | Transition | null {
  const start = day * DAY_MS;
  const before = offsetFromIntl(format, start);
  const after = offsetFromIntl(format, start + DAY_MS - 1000);
  if (before === after) return before;
  let lo = start; // offset here is not `after`
  let hi = start + DAY_MS - 1000; // offset here is `after`
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetFromIntl(format, mid) === after) hi = mid;
    else lo = mid;
  }
  if (offsetFromIntl(format, lo) !== before) return null;
  return { at: hi, before, after };
}

/**
 * The UTC offset in ms of `timeZone` at `ms`. Intl is asked about each UTC day once (twice, plus a
 * bisection on a transition day) and the answer cached, since formatToParts is far slower than a
 * Map lookup.
 */
function offsetMs(ms: number, timeZone: string): number {
  if (!Number.isFinite(ms)) throw new RangeError('Invalid Date');
  const z = zone(timeZone);
  const day = Math.floor(ms / DAY_MS);
  let entry = z.offsetByDay.get(day);
  if (entry === undefined) {
    entry = describeDay(z.format, day);
    if (z.offsetByDay.size >= MAX_CACHED_DAYS) z.offsetByDay.clear();
    z.offsetByDay.set(day, entry);
  }
  if (typeof entry === 'number') return entry;
  if (entry === null) return offsetFromIntl(z.format, ms);
  return ms < entry.at ? entry.before : entry.after;
}

/**
 * The wall-clock time in `timeZone` at `instant` (default Europe/Copenhagen), hour 0–23.
 * The zone's offsets are looked up once per UTC day and cached, so repeated calls are cheap.
 * @throws RangeError for an invalid Date or an unknown zone.
 */
export function toLocal(instant: Date, timeZone = TIME_ZONE): LocalDateTime {
  const ms = instant.getTime();
  const d = new Date(ms + offsetMs(ms, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/**
 * The instant at which clocks in `timeZone` show `local`. Fields out of range are normalised the way
 * `Date.UTC` does (day 32 of January is 1 February).
 *
 * - **Gap** (the wall time does not exist, e.g. 02:30 on the last Sunday of March in Copenhagen):
 *   the wall time is read with the offset in force before the gap, so the result moves forward by
 *   the length of the gap: 02:30 → 03:30 CEST (01:30 UTC).
 * - **Overlap** (the wall time exists twice, e.g. 02:30 on the last Sunday of October): the earlier
 *   instant, the one still on summer time: 02:30 CEST (00:30 UTC), not 02:30 CET.
 *
 * @throws RangeError when a field is not a finite number or the zone is unknown.
 */
export function fromLocal(local: LocalDateTime, timeZone = TIME_ZONE): Date {
  const wall = utcMs(local.year, local.month, local.day, local.hour, local.minute, local.second, local.millisecond);
  if (!Number.isFinite(wall)) throw new RangeError(`Invalid local date-time: ${JSON.stringify(local)}`);
  // A transition moves the offset at most once within a day on either side: the offsets a day
  // before and a day after are the only candidates.
  const before = offsetMs(wall - 86_400_000, timeZone);
  const after = offsetMs(wall + 86_400_000, timeZone);
  const first = wall - Math.max(before, after); // the larger offset gives the earlier instant
  const second = wall - Math.min(before, after);
  if (offsetMs(first, timeZone) === Math.max(before, after)) return new Date(first);
  if (offsetMs(second, timeZone) === Math.min(before, after)) return new Date(second);
  // Neither offset reproduces the wall time: it falls in a gap. Use the offset before the gap.
  return new Date(wall - before);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date: year, month 1–12 and day of the month. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/**
 * The year, month and day of a YYYY-MM-DD date, after checking that it is a real date of the
 * proleptic Gregorian calendar (years 0000–9999).
 * @throws RangeError for a malformed or impossible date.
 */
export function parseDate(date: string): CalendarDate {
  const m = DATE_PATTERN.exec(date);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  if (!m || month < 1 || month > 12 || day < 1 || day > new Date(utcMs(year, month + 1, 0)).getUTCDate()) {
    throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  }
  return { year, month, day };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The YYYY-MM-DD form of a calendar date (years 0–9999). */
export function formatDate({ year, month, day }: CalendarDate): string {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** The calendar date (YYYY-MM-DD) in `timeZone` (Copenhagen by default) at `instant`. */
export function localDate(instant: Date, timeZone = TIME_ZONE): string {
  return formatDate(toLocal(instant, timeZone));
}

/**
 * The first instant of the local day `date` (YYYY-MM-DD) in `timeZone`: normally 00:00; if midnight
 * falls in a DST gap, the first wall time after it (per {@link fromLocal}).
 * @throws RangeError for a malformed or impossible date.
 */
export function startOfLocalDay(date: string, timeZone = TIME_ZONE): Date {
  const { year, month, day } = parseDate(date);
  return fromLocal({ year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0 }, timeZone);
}

/**
 * The last millisecond of the local day `date` (YYYY-MM-DD) in `timeZone`: one millisecond before the
 * start of the next local day. A local day lasts 23 or 25 hours on DST change days.
 * @throws RangeError for a malformed or impossible date.
 */
export function endOfLocalDay(date: string, timeZone = TIME_ZONE): Date {
  parseDate(date);
  return new Date(startOfLocalDay(addDays(date, 1), timeZone).getTime() - 1);
}
