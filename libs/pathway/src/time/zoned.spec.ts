/** An independent reference: Intl's own formatting of the Copenhagen calendar date. */
const intlDate = (instant: Date) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
import {
  endOfLocalDay,
  formatDate,
  fromLocal,
  LocalDateTime,
  localDate,
  parseDate,
  startOfLocalDay,
  toLocal,
} from './zoned';

const at = (iso: string) => new Date(iso);
/** The offset in minutes east of UTC that toLocal applies at `instant`: its wall clock read as UTC, less the instant. */
const offsetMinutes = (instant: Date, timeZone?: string) => {
  const wall = toLocal(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  return (asUtc - instant.getTime()) / 60_000;
};
const local = (
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  millisecond,
});

// Summer time in Copenhagen: last Sunday of March 02:00 CET → 03:00 CEST (01:00 UTC),
// last Sunday of October 03:00 CEST → 02:00 CET (01:00 UTC).
const SPRING = ['2026-03-29', '2027-03-28'];
const AUTUMN = ['2026-10-25', '2027-10-31'];

describe('toLocal', () => {
  it('reads the Copenhagen wall clock in winter and summer', () => {
    expect(toLocal(at('2027-01-15T11:22:33.444Z'))).toEqual(local(2027, 1, 15, 12, 22, 33, 444));
    expect(toLocal(at('2027-07-15T11:22:33.444Z'))).toEqual(local(2027, 7, 15, 13, 22, 33, 444));
    expect(offsetMinutes(at('2027-01-15T11:00:00Z'))).toBe(60);
    expect(offsetMinutes(at('2027-07-15T11:00:00Z'))).toBe(120);
  });

  it('uses hours 0–23 and rolls the date at local midnight', () => {
    expect(toLocal(at('2026-12-31T23:00:00Z'))).toEqual(local(2027, 1, 1, 0, 0, 0, 0));
    expect(toLocal(at('2026-12-31T22:59:59.999Z'))).toEqual(local(2026, 12, 31, 23, 59, 59, 999));
  });

  it.each(SPRING)('jumps from 01:59:59.999 CET to 03:00 CEST on %s', (date) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(toLocal(at(`${date}T00:59:59.999Z`))).toEqual(local(y, m, d, 1, 59, 59, 999));
    expect(toLocal(at(`${date}T01:00:00.000Z`))).toEqual(local(y, m, d, 3, 0, 0, 0));
    expect(offsetMinutes(at(`${date}T00:59:59.999Z`))).toBe(60);
    expect(offsetMinutes(at(`${date}T01:00:00.000Z`))).toBe(120);
  });

  it.each(AUTUMN)('falls back from 02:59:59.999 CEST to 02:00 CET on %s', (date) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(toLocal(at(`${date}T00:59:59.999Z`))).toEqual(local(y, m, d, 2, 59, 59, 999));
    expect(toLocal(at(`${date}T01:00:00.000Z`))).toEqual(local(y, m, d, 2, 0, 0, 0));
    // 02:30 happens twice, an hour apart.
    expect(toLocal(at(`${date}T00:30:00Z`))).toEqual(local(y, m, d, 2, 30));
    expect(toLocal(at(`${date}T01:30:00Z`))).toEqual(local(y, m, d, 2, 30));
    expect(offsetMinutes(at(`${date}T00:59:59.999Z`))).toBe(120);
    expect(offsetMinutes(at(`${date}T01:00:00.000Z`))).toBe(60);
  });

  it('works for other zones, including half-hour offsets', () => {
    expect(toLocal(at('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual(local(2026, 3, 8, 3, 0));
    expect(offsetMinutes(at('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(at('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(at('2027-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    // And back: the same offsets read the other way by fromLocal.
    expect(fromLocal(local(2026, 3, 8, 1, 59, 59), 'America/New_York')).toEqual(at('2026-03-08T06:59:59Z'));
    expect(fromLocal(local(2026, 3, 8, 3, 0), 'America/New_York')).toEqual(at('2026-03-08T07:00:00Z'));
    expect(fromLocal(local(2027, 1, 1, 5, 30), 'Asia/Kolkata')).toEqual(at('2027-01-01T00:00:00Z'));
    expect(toLocal(at('2027-01-01T00:00:00Z'), 'UTC')).toEqual(local(2027, 1, 1));
  });

  it('agrees with Intl’s calendar date every 37 minutes through 2026–2027', () => {
    for (let ms = Date.parse('2026-01-01T00:00:00Z'); ms < Date.parse('2028-01-01T00:00:00Z'); ms += 37 * 60_000) {
      expect(localDate(new Date(ms))).toBe(intlDate(new Date(ms)));
    }
  });

  it.each(['Europe/Copenhagen', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Kathmandu'])(
    'agrees with Intl at pseudo-random instants 1900–2100 in %s (the offset cache is right)',
    (timeZone) => {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      let seed = 20_270_328;
      const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
      const lo = Date.UTC(1900, 0, 1);
      const hi = Date.UTC(2100, 0, 1);
      for (let i = 0; i < 3000; i++) {
        const ms = Math.floor(lo + next() * (hi - lo));
        const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
        const { millisecond, ...wall } = toLocal(new Date(ms), timeZone);
        expect(wall).toEqual({
          year: parts.year,
          month: parts.month,
          day: parts.day,
          hour: parts.hour,
          minute: parts.minute,
          second: parts.second,
        });
        expect(millisecond).toBe(new Date(ms).getUTCMilliseconds());
      }
    },
  );

  it('rejects invalid dates and unknown zones', () => {
    expect(() => toLocal(new Date(NaN))).toThrow(RangeError);
    expect(() => toLocal(new Date(), 'Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('fromLocal', () => {
  it('is the inverse of toLocal on ordinary days', () => {
    expect(fromLocal(local(2027, 1, 15, 12, 22, 33, 444))).toEqual(at('2027-01-15T11:22:33.444Z'));
    expect(fromLocal(local(2027, 7, 15, 13, 22, 33, 444))).toEqual(at('2027-07-15T11:22:33.444Z'));
  });

  it.each([...SPRING, ...AUTUMN])(
    'round-trips every 7 minutes through %s, taking the earlier instant in the overlap',
    (date) => {
      const start = Date.parse(`${date}T00:00:00Z`) - 3 * 3_600_000;
      const isAutumn = AUTUMN.includes(date);
      for (let ms = start; ms < start + 30 * 3_600_000; ms += 7 * 60_000 + 123) {
        const wall = toLocal(new Date(ms));
        const back = fromLocal(wall).getTime();
        // The second 02:xx (CET, 01:00–02:00 UTC) maps to the first one, an hour earlier.
        const secondPass = isAutumn && ms >= Date.parse(`${date}T01:00:00Z`) && ms < Date.parse(`${date}T02:00:00Z`);
        expect(back).toBe(secondPass ? ms - 3_600_000 : ms);
        expect(toLocal(new Date(back))).toEqual(wall);
      }
    },
  );

  it.each(SPRING)('moves a wall time in the gap of %s forward by the gap', (date) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(fromLocal(local(y, m, d, 1, 59, 59, 999))).toEqual(at(`${date}T00:59:59.999Z`)); // 01:59:59.999 CET
    expect(fromLocal(local(y, m, d, 2, 0))).toEqual(at(`${date}T01:00:00Z`)); // = 03:00 CEST
    expect(fromLocal(local(y, m, d, 2, 30))).toEqual(at(`${date}T01:30:00Z`)); // = 03:30 CEST
    expect(toLocal(fromLocal(local(y, m, d, 2, 30)))).toEqual(local(y, m, d, 3, 30));
    expect(fromLocal(local(y, m, d, 3, 0))).toEqual(at(`${date}T01:00:00Z`));
  });

  it.each(AUTUMN)('takes the earlier (CEST) instant in the overlap of %s', (date) => {
    const [y, m, d] = date.split('-').map(Number);
    expect(fromLocal(local(y, m, d, 2, 0))).toEqual(at(`${date}T00:00:00Z`));
    expect(fromLocal(local(y, m, d, 2, 30))).toEqual(at(`${date}T00:30:00Z`));
    expect(fromLocal(local(y, m, d, 2, 59, 59, 999))).toEqual(at(`${date}T00:59:59.999Z`));
    expect(fromLocal(local(y, m, d, 3, 0))).toEqual(at(`${date}T02:00:00Z`));
    expect(fromLocal(local(y, m, d, 1, 59))).toEqual(new Date(Date.parse(`${date}T00:00:00Z`) - 60_000));
  });

  it('applies the same rules in other zones', () => {
    expect(fromLocal(local(2026, 3, 8, 2, 30), 'America/New_York')).toEqual(at('2026-03-08T07:30:00Z')); // 03:30 EDT
    expect(fromLocal(local(2026, 11, 1, 1, 30), 'America/New_York')).toEqual(at('2026-11-01T05:30:00Z')); // 01:30 EDT
  });

  it('normalises overflowing fields and handles years below 100', () => {
    expect(fromLocal(local(2027, 1, 32, 12))).toEqual(at('2027-02-01T11:00:00Z'));
    const early = fromLocal(local(50, 2, 28, 12), 'UTC');
    expect(early.getUTCFullYear()).toBe(50);
    expect(toLocal(early, 'UTC')).toEqual(local(50, 2, 28, 12));
    expect(() => fromLocal(local(NaN, 1, 1))).toThrow(RangeError);
  });
});

describe('local days', () => {
  it('gives the local calendar date, not the UTC one', () => {
    expect(localDate(at('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    expect(localDate(at('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(localDate(at('2026-06-30T21:59:59.999Z'))).toBe('2026-06-30');
    expect(localDate(at('2026-06-30T22:30:00Z'), 'UTC')).toBe('2026-06-30');
  });

  it('starts and ends ordinary days at local midnight', () => {
    expect(startOfLocalDay('2027-01-15')).toEqual(at('2027-01-14T23:00:00Z'));
    expect(endOfLocalDay('2027-01-15')).toEqual(at('2027-01-15T22:59:59.999Z'));
    expect(startOfLocalDay('2027-07-15')).toEqual(at('2027-07-14T22:00:00Z'));
    expect(endOfLocalDay('2027-07-15')).toEqual(at('2027-07-15T21:59:59.999Z'));
  });

  it('has 23-hour days in spring and 25-hour days in autumn', () => {
    for (const date of SPRING) {
      expect(endOfLocalDay(date).getTime() + 1 - startOfLocalDay(date).getTime()).toBe(23 * 3_600_000);
    }
    for (const date of AUTUMN) {
      expect(endOfLocalDay(date).getTime() + 1 - startOfLocalDay(date).getTime()).toBe(25 * 3_600_000);
    }
    expect(endOfLocalDay('2026-10-25')).toEqual(at('2026-10-25T22:59:59.999Z'));
    expect(endOfLocalDay('2026-03-29')).toEqual(at('2026-03-29T21:59:59.999Z'));
  });

  it('starts a day whose midnight falls in a DST gap at the first existing wall time', () => {
    // São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018.
    expect(startOfLocalDay('2018-11-04', 'America/Sao_Paulo')).toEqual(at('2018-11-04T03:00:00Z'));
    expect(endOfLocalDay('2018-11-03', 'America/Sao_Paulo')).toEqual(at('2018-11-04T02:59:59.999Z'));
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2027-02-29', '2027-13-01', '2027-1-1', '27-01-01', '']) {
      expect(() => startOfLocalDay(bad)).toThrow(RangeError);
      expect(() => endOfLocalDay(bad)).toThrow(RangeError);
    }
    expect(startOfLocalDay('2028-02-29')).toEqual(at('2028-02-28T23:00:00Z'));
  });
});

describe('calendar dates', () => {
  it('given a real YYYY-MM-DD date, then parseDate reads its parts and formatDate writes them back', () => {
    for (const date of ['2027-03-01', '2028-02-29', '0001-01-01', '0099-12-31', '9999-12-31']) {
      expect(formatDate(parseDate(date))).toBe(date);
    }
    expect(parseDate('0099-12-31')).toEqual({ year: 99, month: 12, day: 31 });
  });

  it('given a malformed or impossible date, then parseDate refuses it with the message the callers show', () => {
    for (const bad of [
      '2027-02-29',
      '2100-02-29',
      '2027-04-31',
      '2027-00-10',
      '2027-1-1',
      '27-01-01',
      ' 2027-01-01',
      '',
    ]) {
      expect(() => parseDate(bad)).toThrow(new RangeError(`Not a YYYY-MM-DD date: ${bad}`));
    }
  });

  it('pads each part: year to four digits, month and day to two', () => {
    expect(formatDate({ year: 33, month: 4, day: 5 })).toBe('0033-04-05');
  });
});
