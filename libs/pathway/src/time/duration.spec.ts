import { addDuration, Duration, parseDuration, scaleMs, wholeDays } from './duration';

const ZERO: Duration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };
const dur = (d: Partial<Duration>): Duration => ({ ...ZERO, ...d });
const at = (iso: string) => new Date(iso);

describe('parseDuration', () => {
  it.each<[string, Partial<Duration>]>([
    ['P1D', { days: 1 }],
    ['PT24H', { hours: 24 }],
    ['P1M', { months: 1 }],
    ['PT1M', { minutes: 1 }],
    ['P4M', { months: 4 }],
    ['P2W', { weeks: 2 }],
    ['P1Y', { years: 1 }],
    ['PT0.5S', { seconds: 0.5 }],
    ['PT1,5S', { seconds: 1.5 }],
    ['PT0S', {}],
    ['P0D', {}],
    ['PT36H', { hours: 36 }],
    ['P1DT12H', { days: 1, hours: 12 }],
    ['PT1H30M', { hours: 1, minutes: 30 }],
    ['P1W3D', { weeks: 1, days: 3 }],
    ['P1Y2M3W4DT5H6M7.25S', { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.25 }],
    ['P10Y', { years: 10 }],
  ])('parses %s', (iso, expected) => {
    expect(parseDuration(iso)).toEqual(dur(expected));
  });

  it.each([
    [''],
    ['P'],
    ['PT'],
    ['7D'],
    ['P-1D'],
    ['-P1D'],
    ['+P1D'],
    ['P1.5D'],
    ['PT1.5H'],
    ['PT1.5M'],
    ['PT1H2'],
    ['P1DT'],
    ['P1'],
    ['p1d'],
    ['P1d'],
    [' P1D'],
    ['P1D '],
    ['P1M1Y'],
    ['P1D1W'],
    ['PT1S1M'],
    ['P1S'],
    ['P1H'],
    ['PT1D'],
    ['PT.5S'],
    ['PT1.S'],
    ['P1DT1H1H'],
    ['P99999999999999999999D'],
  ])('rejects %j', (iso) => {
    expect(parseDuration(iso)).toBeNull();
  });
});

describe('addDuration', () => {
  it('adds P1D in the calendar but PT24H in elapsed time across the spring DST change', () => {
    // 2027-03-27T10:00 CET
    const start = at('2027-03-27T09:00:00Z');
    expect(addDuration(start, dur({ days: 1 }))).toEqual(at('2027-03-28T08:00:00Z')); // 10:00 CEST, 23 h later
    expect(addDuration(start, dur({ hours: 24 }))).toEqual(at('2027-03-28T09:00:00Z')); // 11:00 CEST
    expect(addDuration(start, dur({ days: 1, hours: 1 }))).toEqual(at('2027-03-28T09:00:00Z')); // 11:00 CEST
    // 2026-03-28T10:00 CET
    expect(addDuration(at('2026-03-28T09:00:00Z'), dur({ days: 1 }))).toEqual(at('2026-03-29T08:00:00Z'));
    expect(addDuration(at('2026-03-28T09:00:00Z'), dur({ hours: 24 }))).toEqual(at('2026-03-29T09:00:00Z'));
  });

  it('adds P1D in the calendar but PT24H in elapsed time across the autumn DST change', () => {
    // 2027-10-30T10:00 CEST
    const start = at('2027-10-30T08:00:00Z');
    expect(addDuration(start, dur({ days: 1 }))).toEqual(at('2027-10-31T09:00:00Z')); // 10:00 CET, 25 h later
    expect(addDuration(start, dur({ hours: 24 }))).toEqual(at('2027-10-31T08:00:00Z')); // 09:00 CET
    // 2026-10-24T10:00 CEST
    expect(addDuration(at('2026-10-24T08:00:00Z'), dur({ days: 1 }))).toEqual(at('2026-10-25T09:00:00Z'));
    expect(addDuration(at('2026-10-24T08:00:00Z'), dur({ hours: 24 }))).toEqual(at('2026-10-25T08:00:00Z'));
  });

  it('applies the gap and overlap rules when the wall time lands on a DST change', () => {
    // 02:30 CET + P1D: 28 March 2027 has no 02:30, so 03:30 CEST.
    expect(addDuration(at('2027-03-27T01:30:00Z'), dur({ days: 1 }))).toEqual(at('2027-03-28T01:30:00Z'));
    // 02:30 CEST + P1D: 31 October 2027 has two, the earlier (CEST) one.
    expect(addDuration(at('2027-10-30T00:30:00Z'), dur({ days: 1 }))).toEqual(at('2027-10-31T00:30:00Z'));
  });

  it('leaves the instant alone when there are no date components', () => {
    const secondHalfPast2 = at('2027-10-31T01:30:00Z'); // 02:30 CET, the second one
    expect(addDuration(secondHalfPast2, ZERO)).toEqual(secondHalfPast2);
    expect(addDuration(secondHalfPast2, dur({ hours: 1 }))).toEqual(at('2027-10-31T02:30:00Z'));
  });

  it('clamps P1M to the end of a shorter month, in the local calendar', () => {
    expect(addDuration(at('2027-01-31T11:00:00Z'), dur({ months: 1 }))).toEqual(at('2027-02-28T11:00:00Z'));
    expect(addDuration(at('2028-01-31T11:00:00Z'), dur({ months: 1 }))).toEqual(at('2028-02-29T11:00:00Z'));
    expect(addDuration(at('2027-03-31T10:00:00Z'), dur({ months: 1 }))).toEqual(at('2027-04-30T10:00:00Z'));
    expect(addDuration(at('2027-01-30T11:00:00Z'), dur({ months: 1 }))).toEqual(at('2027-02-28T11:00:00Z'));
    // 00:30 CET on 31 January is still 30 January in UTC: the local date decides.
    expect(addDuration(at('2027-01-30T23:30:00Z'), dur({ months: 1 }))).toEqual(at('2027-02-27T23:30:00Z'));
    // Across December into the next year.
    expect(addDuration(at('2026-12-31T11:00:00Z'), dur({ months: 2 }))).toEqual(at('2027-02-28T11:00:00Z'));
  });

  it('adds years and months together before clamping', () => {
    expect(addDuration(at('2028-02-29T11:00:00Z'), dur({ years: 1 }))).toEqual(at('2029-02-28T11:00:00Z'));
    expect(addDuration(at('2028-02-29T11:00:00Z'), dur({ years: 1, months: 1 }))).toEqual(at('2029-03-29T10:00:00Z'));
    expect(addDuration(at('2028-02-29T11:00:00Z'), dur({ years: 4 }))).toEqual(at('2032-02-29T11:00:00Z'));
  });

  it('adds P4M keeping the wall time across DST', () => {
    // 15 November 2026 09:00 CET → 15 March 2027 09:00 CET
    expect(addDuration(at('2026-11-15T08:00:00Z'), dur({ months: 4 }))).toEqual(at('2027-03-15T08:00:00Z'));
    // 15 December 2026 09:00 CET → 15 April 2027 09:00 CEST
    expect(addDuration(at('2026-12-15T08:00:00Z'), dur({ months: 4 }))).toEqual(at('2027-04-15T07:00:00Z'));
  });

  it('adds P2W as fourteen calendar days', () => {
    // 20 March 2027 10:00 CET → 3 April 2027 10:00 CEST
    expect(addDuration(at('2027-03-20T09:00:00Z'), dur({ weeks: 2 }))).toEqual(at('2027-04-03T08:00:00Z'));
    expect(addDuration(at('2027-01-01T09:00:00Z'), dur({ weeks: 2 }))).toEqual(at('2027-01-15T09:00:00Z'));
  });

  it('adds fractional seconds to the millisecond', () => {
    expect(addDuration(at('2027-01-01T00:00:00Z'), dur({ seconds: 0.5 }))).toEqual(at('2027-01-01T00:00:00.500Z'));
    expect(addDuration(at('2027-01-01T00:00:00Z'), parseDuration('PT1M0.25S')!)).toEqual(
      at('2027-01-01T00:01:00.250Z'),
    );
  });

  it('uses the given zone', () => {
    expect(addDuration(at('2027-03-27T09:00:00Z'), dur({ days: 1 }), 'UTC')).toEqual(at('2027-03-28T09:00:00Z'));
    // New York springs forward on 14 March 2027.
    expect(addDuration(at('2027-03-13T15:00:00Z'), dur({ days: 1 }), 'America/New_York')).toEqual(
      at('2027-03-14T14:00:00Z'),
    );
  });

  it('rejects negative, fractional (other than seconds) and non-finite fields, and invalid instants', () => {
    const start = at('2027-01-01T00:00:00Z');
    for (const bad of [
      dur({ days: -1 }),
      dur({ days: 1.5 }),
      dur({ months: 0.5 }),
      dur({ hours: -1 }),
      dur({ seconds: Infinity }),
      dur({ seconds: NaN }),
      dur({ seconds: -0.5 }),
    ]) {
      expect(() => addDuration(start, bad)).toThrow(new RangeError(`Invalid duration: ${JSON.stringify(bad)}`));
    }
    expect(() => addDuration(new Date(NaN), dur({ days: 1 }))).toThrow(RangeError);
  });
});

describe('scaleMs', () => {
  const from = at('2027-03-01T00:00:00Z');
  const to = at('2027-03-11T00:00:00Z'); // 10 days, across no DST change

  it('scales the elapsed span', () => {
    expect(scaleMs(from, to, 1)).toEqual(to);
    expect(scaleMs(from, to, 0)).toEqual(from);
    expect(scaleMs(from, to, 0.75)).toEqual(at('2027-03-08T12:00:00Z'));
    expect(scaleMs(from, to, 0.5)).toEqual(at('2027-03-06T00:00:00Z'));
  });

  it('scales exact elapsed time across DST, not calendar days', () => {
    // 27 March 00:00 CET → 29 March 00:00 CEST is 47 hours; half is 23.5 hours.
    expect(scaleMs(at('2027-03-26T23:00:00Z'), at('2027-03-28T22:00:00Z'), 0.5)).toEqual(at('2027-03-27T22:30:00Z'));
  });

  it('rounds to the nearest millisecond', () => {
    expect(scaleMs(from, new Date(from.getTime() + 1000), 1 / 3).getTime() - from.getTime()).toBe(333);
    expect(scaleMs(from, new Date(from.getTime() + 1000), 2 / 3).getTime() - from.getTime()).toBe(667);
  });

  it('rejects a non-finite factor', () => {
    expect(() => scaleMs(from, to, NaN)).toThrow(RangeError);
  });
});

describe('wholeDays', () => {
  it('given whole days and weeks, then their count of days', () => {
    expect(wholeDays('P1D')).toBe(1);
    expect(wholeDays('P28D')).toBe(28);
    expect(wholeDays('P4W')).toBe(28);
    expect(wholeDays('P1W2D')).toBe(9);
    expect(wholeDays('P0D')).toBe(0);
  });

  it('given months, time or no duration at all, then it refuses: they are no count of days', () => {
    for (const bad of ['P1M', 'P1Y', 'PT24H', 'P1DT1H', 'P', '28D', '']) {
      expect(() => wholeDays(bad)).toThrow(new RangeError(`Not whole days or weeks: ${bad}`));
    }
  });
});
