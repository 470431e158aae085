import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  anchorText,
  audienceText,
  durationText,
  escalationText,
  eventTitle,
  ruleText,
  splitActions,
  stepText,
  timeLeftText,
} from './deadline-explain';
import type { CaseAction, MilestoneItem } from './api';
import { EVENT_LABELS, READ_VIEW_LABELS, REASON_LABELS, SIGNAL_LABELS } from './labels';

const HOUR = 3_600_000;
const milestones = [
  {
    milestone: 'child-welfare-investigation-1',
    title: { da: 'Børnefaglig undersøgelse afsluttes', en: 'Conclude the investigation' },
  },
];

describe('durationText', () => {
  it('counts a duration in the unit its calendar says', () => {
    expect(durationText('P6D', 'weekdays', 'da')).toBe('6 hverdage');
    expect(durationText('P1D', 'working-days', 'da')).toBe('1 arbejdsdag');
    expect(durationText('PT24H', 'calendar', 'da')).toBe('24 timer');
    expect(durationText('P4M', 'calendar', 'da')).toBe('4 måneder');
    expect(durationText('P1W', 'calendar', 'en')).toBe('1 week');
    expect(durationText('P7D', 'calendar', 'en')).toBe('7 days');
    expect(durationText('PT1M30S', 'calendar', 'da')).toBe('1 minut 30 sekunder');
  });

  it('says nothing for a duration of nothing and keeps what it cannot read', () => {
    expect(durationText('P0D', 'calendar', 'da')).toBeNull();
    expect(durationText('P1.5D', 'calendar', 'da')).toBe('P1.5D');
  });
});

describe('ruleText', () => {
  it('says the duration after the event that started the clock', () => {
    const rule = { duration: 'P6D', calendar: 'weekdays' as const, endOfDay: false };
    expect(ruleText({ ...rule, anchor: { signal: 'municipality-notified', at: '' } }, 'da')).toBe(
      '6 hverdage efter modtaget underretning',
    );
    expect(ruleText({ ...rule, anchor: { signal: 'municipality-notified', at: '' } }, 'en')).toBe(
      '6 weekdays after the notification was received',
    );
  });

  it('says "the same day" for a deadline of no time, by the end of it', () => {
    expect(
      ruleText(
        { duration: 'P0D', calendar: 'calendar', endOfDay: true, anchor: { signal: 'placement-granted', at: '' } },
        'da',
      ),
    ).toBe('Samme dag som bevilget døgnbehandling, inden dagens udgang');
  });

  it('names a clock set by the due date', () => {
    expect(anchorText('due-date-minus-P28D', 'da')).toBe('28 dage før terminsdatoen');
    expect(
      ruleText(
        { duration: 'P7D', calendar: 'calendar', endOfDay: false, anchor: { signal: 'due-date-minus-P28D', at: '' } },
        'da',
      ),
    ).toBe('7 dage regnet fra 28 dage før terminsdatoen');
    expect(anchorText('some-new-signal', 'en')).toBe('some new signal');
  });
});

describe('timeLeftText', () => {
  it('says the time left, or how long it is overdue, and nothing for a clock that does not run', () => {
    expect(timeLeftText(27 * HOUR, 'da')).toBe('1 dag 3 t tilbage');
    expect(timeLeftText(-(2 * HOUR + 5 * 60_000), 'da')).toBe('overskredet med 2 t 5 min');
    expect(timeLeftText(-2 * HOUR, 'en')).toBe('overdue by 2 h');
    expect(timeLeftText(null, 'da')).toBeNull();
  });
});

describe('escalationText', () => {
  it('says the level of the levels the ladder has', () => {
    expect(escalationText({ level: 'escalation-1', escalationLevels: 2 }, 'da')).toBe('Eskaleret, trin 1 af 2');
    expect(escalationText({ level: 'escalation-2', escalationLevels: 2 }, 'en')).toBe('Escalated, level 2 of 2');
    // A ladder whose only escalation is the birth-imminent step.
    expect(escalationText({ level: 'escalation-1', escalationLevels: 1 }, 'da')).toBe('Eskaleret, trin 1 af 1');
    expect(escalationText({ level: 'breach', escalationLevels: 2 }, 'da')).toBeNull();
    expect(escalationText({ level: null, escalationLevels: 2 }, 'da')).toBeNull();
  });

  it('names a step and who it reached', () => {
    expect(stepText({ kind: 'escalation', level: 2 }, 'da')).toBe('Eskalering 2');
    expect(stepText({ kind: 'breach', level: 0 }, 'da')).toBe('Frist overskredet');
    expect(audienceText(['coordinator', 'team-lead'], 'da')).toBe('tovholder, teamleder');
  });
});

describe('eventTitle', () => {
  it('names the deadline and the level an escalation reached', () => {
    const entry = { type: 'MilestoneEscalated', data: { milestone: 'child-welfare-investigation-1', level: 2 } };
    expect(eventTitle(entry, milestones, 'da')).toBe('Frist eskaleret (trin 2): Børnefaglig undersøgelse afsluttes');
    expect(eventTitle(entry, milestones, 'en')).toBe('Deadline escalated (level 2): Conclude the investigation');
  });

  it('names the deadline of an alert, and a deadline it has no title for by its id', () => {
    expect(
      eventTitle(
        { type: 'AlertAcknowledged', data: { alert: 'child-welfare-investigation-1.breach' } },
        milestones,
        'da',
      ),
    ).toBe('Alarm kvitteret: Børnefaglig undersøgelse afsluttes');
    expect(eventTitle({ type: 'MilestoneMet', data: { milestone: 'network-meeting-3' } }, [], 'da')).toBe(
      'Frist overholdt: network-meeting-3',
    );
    expect(eventTitle({ type: 'BirthRecorded', data: {} }, milestones, 'da')).toBe('Fødsel registreret');
  });
});

/** The names of a TypeScript interface's members in a source file of libs/pathway. */
function membersOf(file: string, name: string): string[] {
  const source = readFileSync(join(__dirname, '../../../libs/pathway/src', file), 'utf8');
  const body = source.slice(source.indexOf(`export interface ${name} {`));
  return [...body.slice(0, body.indexOf('\n}\n')).matchAll(/^ {2}([A-Za-z]+):/gm)].map((m) => m[1]);
}

describe('labels', () => {
  it('name every event type of the case in Danish and English', () => {
    const types = membersOf('case/case.events.ts', 'CaseEventData');
    expect(types.length).toBeGreaterThan(40);
    expect(types.filter((t) => !EVENT_LABELS[t]?.da || !EVENT_LABELS[t]?.en)).toEqual([]);
  });

  it('name every view a read of the case records (the audit’s “Hvem kiggede”)', () => {
    const source = readFileSync(join(__dirname, '../../../libs/persistence/src/audit/case-read-log.ts'), 'utf8');
    const union = /export type CaseReadView =([^;]+);/.exec(source)?.[1] ?? '';
    const views = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
    expect(views.length).toBeGreaterThan(5);
    expect(views.filter((v) => !READ_VIEW_LABELS[v]?.da || !READ_VIEW_LABELS[v]?.en)).toEqual([]);
    expect(Object.keys(READ_VIEW_LABELS).filter((v) => !views.includes(v))).toEqual([]);
  });

  it('name every reason an event records from a fixed list', () => {
    const source = (file: string) => readFileSync(join(__dirname, '../../../libs/pathway/src', file), 'utf8');
    const events = source('case/case.events.ts');
    const commands = source('case/case.commands.ts');
    const reasons = new Set<string>();
    // reason: 'a' | 'b' in the events' data, and the close and pregnancy-end reasons of the commands.
    for (const [, union] of events.matchAll(/reason\??:\s*((?:\s*\|?\s*'[a-z-]+')+)/g))
      for (const [, r] of union.matchAll(/'([a-z-]+)'/g)) reasons.add(r);
    for (const list of ['CLOSE_REASONS', 'PREGNANCY_END_REASONS']) {
      const body = commands.slice(commands.indexOf(`export const ${list} = [`));
      for (const [, r] of body.slice(0, body.indexOf(']')).matchAll(/'([a-z-]+)'/g)) reasons.add(r);
    }
    expect(reasons.size).toBeGreaterThan(15);
    expect([...reasons].filter((r) => !REASON_LABELS[r]?.da || !REASON_LABELS[r]?.en)).toEqual([]);
  });

  it('name every signal that opens a milestone of the shipped policies', () => {
    const signals = new Set<string>();
    for (const version of [1, 2]) {
      const file = join(__dirname, `../../../libs/pathway/policies/pregnancy-substance-use.v${version}.json`);
      const policy = JSON.parse(readFileSync(file, 'utf8')) as { milestones: { opensOn: string[] }[] };
      for (const m of policy.milestones) for (const s of m.opensOn) signals.add(s);
    }
    signals.add('network-meeting-recorded'); // a recurring meeting's next clock starts at the last meeting
    expect([...signals].filter((s) => !SIGNAL_LABELS[s])).toEqual([]);
  });
});

describe('splitActions', () => {
  const action = (command: string, reason: CaseAction['reason'], milestone?: string): CaseAction => ({
    command,
    summary: command,
    reason,
    milestone,
    body: {},
  });
  const deadline = (milestone: string, status: MilestoneItem['status'], dueAt: string) =>
    ({ milestone, status, dueAt, rule: milestone, title: null }) as unknown as MilestoneItem;

  it('sets apart the actions that meet an open deadline, the soonest due first', () => {
    const milestones = [
      deadline('network-meeting-1', 'open', '2026-12-20T10:00:00Z'),
      deadline('notification-assessment-1', 'breached', '2026-12-01T10:00:00Z'),
      deadline('coordinator-assignment-1', 'met', '2026-11-01T10:00:00Z'),
      deadline('treatment-start-1', 'scheduled', '2026-12-02T10:00:00Z'),
    ];
    const actions = [
      action('assign-coordinator', 'meets-milestone', 'coordinator-assignment-1'),
      action('record-network-meeting', 'meets-milestone', 'network-meeting-1'),
      action('assess-notification', 'meets-milestone', 'notification-assessment-1'),
      action('start-treatment', 'meets-milestone', 'treatment-start-1'),
      action('waive-milestone', 'milestone-clock', 'network-meeting-1'),
      action('record-birth', 'stage'),
    ];
    const { meeting, rest } = splitActions(actions, milestones);
    expect(meeting.map((m) => [m.action.command, m.meets.milestone])).toEqual([
      ['assess-notification', 'notification-assessment-1'],
      ['record-network-meeting', 'network-meeting-1'],
    ]);
    // Met and not yet started deadlines set no action apart; waiving acts on a deadline but does not meet it.
    expect(rest.map((a) => a.command)).toEqual([
      'assign-coordinator',
      'start-treatment',
      'waive-milestone',
      'record-birth',
    ]);
  });
});
