import { addDays, daysBetween } from './dates';
import { localDate, startOfLocalDay } from './zoned';

/** Full term: 280 days (40 weeks) after the first day of the last period. */
export const TERM_DAYS = 280;

export interface GestationalAge {
  /** Days of gestation (280 − days until the estimated due date). */
  days: number;
  weeks: number;
  /** Days past the full week: the "+3" of 24+3. */
  extraDays: number;
}

/**
 * The start of the Copenhagen day `days` days before the estimated due date: where a clock anchored
 * on the due date starts ("28 days before") and where a gestational week begins.
 */
export function beforeDueDate(estimatedDueDate: string, days: number): Date {
  return startOfLocalDay(addDays(estimatedDueDate, -days));
}

/** The start of gestational week `week` (week+0): the Copenhagen day TERM_DAYS − 7 × `week` days before the due date. */
export function startOfGestationalWeek(estimatedDueDate: string, week: number): Date {
  return beforeDueDate(estimatedDueDate, TERM_DAYS - 7 * week);
}

/**
 * The latest estimated due date of a pregnancy that is in gestational week `week` or later at `now`
 * (gestationalAge(dueDate, now).weeks >= week exactly when dueDate is on or before it).
 */
export function dueDateReachingWeek(now: Date, week: number): string {
  return addDays(localDate(now), TERM_DAYS - 7 * week);
}

/** Gestational age at `now` for an estimated due date, counted in Copenhagen calendar days. */
export function gestationalAge(estimatedDueDate: string, now: Date): GestationalAge {
  const days = TERM_DAYS - daysBetween(localDate(now), estimatedDueDate);
  return { days, weeks: Math.floor(days / 7), extraDays: ((days % 7) + 7) % 7 };
}
