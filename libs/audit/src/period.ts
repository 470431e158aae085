import { addDays, isRealDate, startOfLocalDay } from '@app/pathway';

/** A report's period as instants: `from` inclusive, `to` exclusive. */
export interface ReportPeriod {
  from: Date;
  to: Date;
}

const YEAR_MS = 365 * 24 * 3_600_000;

/** An instant, or for a day (YYYY-MM-DD) the Copenhagen midnight `days` after it; invalid for an impossible day. */
function instant(value: string, days = 0): Date {
  if (value.length > 10) return new Date(value);
  return isRealDate(value) ? startOfLocalDay(addDays(value, days)) : new Date(Number.NaN);
}

/**
 * The period a report asks for, both ends given as a day (YYYY-MM-DD, a day in Copenhagen) or an
 * instant. `from` is inclusive: a day starts at its midnight. `to` is inclusive for a day, which
 * means the whole Copenhagen day (23 or 25 hours when the clocks change), so the period ends at the
 * next day's midnight; an instant `to` is where the period ends (exclusive). Without `to` the period
 * ends now (on the injected clock), without `from` it starts 12 months before its end. An impossible
 * date gives an invalid Date, for the caller to refuse.
 */
export function reportPeriod(query: { from?: string; to?: string }, now: Date): ReportPeriod {
  // A day ends at the next day's midnight; an instant is itself.
  const to = query.to === undefined ? now : instant(query.to, 1);
  const from = query.from === undefined ? new Date(to.getTime() - YEAR_MS) : instant(query.from);
  return { from, to };
}
