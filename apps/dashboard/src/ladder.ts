import type { MilestoneItem } from './api';

export type LadderState = 'scheduled' | 'on-time' | 'warning' | 'breached' | 'escalated' | 'paused';

/** Time left now, from the server's figure and the time elapsed since it was read (no clock skew). */
export function timeLeft(m: MilestoneItem, fetchedAt: number, now: number): number | null {
  return m.timeLeftMs === null ? null : m.timeLeftMs - (now - fetchedAt);
}

/**
 * The ladder colour: the highest step the server has fired; a deadline the countdown has passed is
 * breached at once, before the breach alert arrives.
 */
export function ladderState(m: MilestoneItem, left: number | null): LadderState {
  if (m.status === 'scheduled') return 'scheduled';
  if (m.status === 'paused') return 'paused';
  if (m.level?.startsWith('escalation')) return 'escalated';
  if (m.level === 'breach' || m.status === 'breached' || (left !== null && left <= 0)) return 'breached';
  if (m.level === 'warning') return 'warning';
  return 'on-time';
}
