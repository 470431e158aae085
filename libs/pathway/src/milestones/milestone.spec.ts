import { closePauses, ladderLevel, pausedMsUntil, shownStatus, type Milestone, type Pause } from './milestone';

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

describe('the level shown to people', () => {
  const step = (name: string, kind: 'warning' | 'breach' | 'escalation', firedAt: string | null, level?: 1 | 2) => ({
    step: name,
    kind,
    ...(level && { level }),
    at: '2027-02-07T23:00:00.000Z',
    firedAt,
  });
  const withLadder = (ladder: Milestone['ladder']) => ({ ladder }) as Milestone;
  const FIRED = '2027-02-07T23:00:00.000Z';

  it('given steps fired, then the highest of them, wherever it stands in the ladder', () => {
    expect(
      ladderLevel(
        withLadder([
          step('warning', 'warning', FIRED),
          step('breach', 'breach', FIRED),
          step('escalation-2', 'escalation', FIRED, 2),
          step('birth-imminent', 'escalation', FIRED, 1),
        ]),
      ),
    ).toBe('escalation-2');
    expect(
      ladderLevel(
        withLadder([
          step('warning', 'warning', FIRED),
          step('breach', 'breach', null),
          step('escalation-2', 'escalation', null, 2),
          step('birth-imminent', 'escalation', FIRED, 1),
        ]),
      ),
    ).toBe('escalation-1');
    expect(ladderLevel(withLadder([step('breach', 'breach', FIRED), step('warning', 'warning', FIRED)]))).toBe(
      'breach',
    );
  });

  it('given nothing fired, then no level', () => {
    expect(ladderLevel(withLadder([step('warning', 'warning', null)]))).toBeNull();
  });
});

describe('the status people see: scheduled until the clock starts', () => {
  // The post-birth plan of a case registered on 23 Nov 2026, due 1 Mar 2027: its clock starts 28
  // days before the due date, on 1 Feb 2027 00:00 Copenhagen (31 Jan 23:00Z), and it is recorded open from registration.
  const plan = { status: 'open' as const, anchor: { signal: 'due-date-minus-P28D', at: '2027-01-31T23:00:00.000Z' } };

  it('given an open milestone whose anchor lies ahead, then it is scheduled; from the anchor on, open', () => {
    expect(shownStatus(plan, new Date('2026-11-23T09:00:00.000Z'))).toBe('scheduled');
    expect(shownStatus(plan, new Date('2027-01-31T22:59:59.999Z'))).toBe('scheduled');
    expect(shownStatus(plan, new Date('2027-01-31T23:00:00.000Z'))).toBe('open');
  });

  it('given any other recorded status, then that status whatever the anchor', () => {
    for (const status of ['paused', 'met', 'breached', 'waived'] as const)
      expect(shownStatus({ ...plan, status }, new Date('2026-11-23T09:00:00.000Z'))).toBe(status);
  });
});
