import { reportPeriod } from './period';

describe('reportPeriod', () => {
  const now = new Date('2026-12-04T16:00:00.000Z');
  const iso = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];

  it('reads a day as the whole Copenhagen day: from its midnight, to the next midnight', () => {
    expect(iso(reportPeriod({ from: '2026-12-01', to: '2026-12-04' }, now))).toEqual([
      '2026-11-30T23:00:00.000Z',
      '2026-12-04T23:00:00.000Z',
    ]);
    // One day, from and to the same.
    expect(iso(reportPeriod({ from: '2026-06-10', to: '2026-06-10' }, now))).toEqual([
      '2026-06-09T22:00:00.000Z',
      '2026-06-10T22:00:00.000Z',
    ]);
  });

  it('lasts 23 hours on the day the clocks go forward and 25 on the day they go back', () => {
    const spring = reportPeriod({ from: '2026-03-29', to: '2026-03-29' }, now);
    expect(iso(spring)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(spring.to.getTime() - spring.from.getTime()).toBe(23 * 3_600_000);
    const autumn = reportPeriod({ from: '2026-10-25', to: '2026-10-25' }, now);
    expect(iso(autumn)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(autumn.to.getTime() - autumn.from.getTime()).toBe(25 * 3_600_000);
  });

  it('includes 23:30 Copenhagen time of the last day, and not the next day', () => {
    const { from, to } = reportPeriod({ from: '2026-12-04', to: '2026-12-04' }, now);
    const at2330 = new Date('2026-12-04T22:30:00.000Z');
    const nextDay = new Date('2026-12-04T23:00:00.000Z');
    expect(at2330 >= from && at2330 < to).toBe(true);
    expect(nextDay < to).toBe(false);
  });

  it('takes an instant as it is, the end exclusive', () => {
    expect(iso(reportPeriod({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T12:30:00+01:00' }, now))).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T11:30:00.000Z',
    ]);
  });

  it('ends now and starts 12 months before its end when not told', () => {
    expect(iso(reportPeriod({}, now))).toEqual(['2025-12-04T16:00:00.000Z', '2026-12-04T16:00:00.000Z']);
    expect(iso(reportPeriod({ to: '2026-12-04' }, now))).toEqual([
      '2025-12-04T23:00:00.000Z',
      '2026-12-04T23:00:00.000Z',
    ]);
  });

  it('gives an invalid date for an impossible day', () => {
    expect(Number.isNaN(reportPeriod({ from: '2026-02-30' }, now).from.getTime())).toBe(true);
    expect(Number.isNaN(reportPeriod({ to: '2026-02-30' }, now).to.getTime())).toBe(true);
  });
});
