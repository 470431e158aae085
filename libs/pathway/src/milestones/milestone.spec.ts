import { closePauses, pausedMsUntil, type Pause } from './milestone';

const HOUR = 3_600_000;
const pause = (from: string, to: string | null): Pause => ({ from, to, reason: 'woman unreachable' });

describe('the time a milestone spent paused', () => {
  const pauses = [
    pause('2026-11-23T09:00:00.000Z', '2026-11-23T15:00:00.000Z'), // 6 h
    pause('2026-11-24T09:00:00.000Z', null), // still going
  ];

  it('given closed pauses and one going on, then each closed one counts whole and the one going on up to the moment asked', () => {
    expect(pausedMsUntil(pauses, new Date('2026-11-24T12:00:00.000Z'))).toBe(9 * HOUR);
    expect(pausedMsUntil(pauses, '2026-11-25T09:00:00.000Z')).toBe(30 * HOUR);
  });

  it('given a moment before the pause going on began, then that pause counts nothing (not less than nothing)', () => {
    expect(pausedMsUntil(pauses, '2026-11-24T08:00:00.000Z')).toBe(6 * HOUR);
  });

  it('given no pauses, then nothing', () => {
    expect(pausedMsUntil([], '2026-11-24T08:00:00.000Z')).toBe(0);
  });

  it('given the pause going on closed at a moment, then it ends there and the closed ones keep their end', () => {
    expect(closePauses(pauses, '2026-11-24T10:00:00.000Z')).toEqual([
      pauses[0],
      { ...pauses[1], to: '2026-11-24T10:00:00.000Z' },
    ]);
    expect(pausedMsUntil(closePauses(pauses, '2026-11-24T10:00:00.000Z'), '2027-01-01T00:00:00.000Z')).toBe(7 * HOUR);
  });
});
