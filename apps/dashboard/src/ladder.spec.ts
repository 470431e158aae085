import type { MilestoneItem } from './api';
import { ladderState, timeLeft } from './ladder';

const open = (over: Partial<MilestoneItem> = {}): MilestoneItem => ({
  caseId: 'c',
  reference: 'R',
  milestone: 'coordinator-assignment-1',
  rule: 'coordinator-assignment',
  title: null,
  status: 'open',
  owner: 'municipality:851',
  dueAt: '2026-11-25T12:00:00Z',
  timeLeftMs: 10_000,
  level: null,
  late: false,
  pauses: [],
  ...over,
});

describe('the ladder colour of a milestone in the dashboard', () => {
  it('counts down from the server’s time left by the time elapsed since it was read, whatever the browser’s clock says', () => {
    expect(timeLeft(open(), 1_000, 4_000)).toBe(7_000);
    expect(timeLeft(open({ timeLeftMs: null, status: 'paused' }), 1_000, 4_000)).toBeNull();
  });

  it('follows the highest step the server fired, and turns breached as soon as the countdown passes zero', () => {
    expect(ladderState(open(), 7_000)).toBe('on-time');
    expect(ladderState(open({ level: 'warning' }), 2_000)).toBe('warning');
    expect(ladderState(open({ level: 'warning' }), 0)).toBe('breached');
    expect(ladderState(open({ level: 'breach', status: 'breached' }), -1_000)).toBe('breached');
    expect(ladderState(open({ level: 'escalation-1', status: 'breached' }), -5_000)).toBe('escalated');
    expect(ladderState(open({ status: 'paused', timeLeftMs: null, level: 'warning' }), null)).toBe('paused');
  });

  it('shows a milestone whose clock has not started as scheduled (Planlagt), not on time', () => {
    expect(ladderState(open({ status: 'scheduled' }), 7_000)).toBe('scheduled');
  });
});
