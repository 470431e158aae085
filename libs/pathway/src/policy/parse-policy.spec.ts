import document from '../../policies/pregnancy-substance-use.v2.json';
import { defaultPolicy } from './default-policy';
import { parsePolicy } from './parse-policy';

/** A fresh, mutable copy of the shipped policy document. */
type Doc = Record<string, any>;
const doc = (): Doc => JSON.parse(JSON.stringify(document));
const problemsOf = (input: unknown): string[] => {
  const parsed = parsePolicy(input);
  if (parsed.ok) throw new Error('expected the policy to be refused');
  return parsed.problems;
};
/** The document with one change made, refused with exactly these problems. */
const refusedWith = (change: (d: Doc) => void, ...problems: string[]) => {
  const d = doc();
  change(d);
  expect(problemsOf(d)).toEqual(problems);
};
const index = (id: string) => (document.milestones as { id: string }[]).findIndex((m) => m.id === id);

describe('parsePolicy: the default policy', () => {
  it('parses, with its 19 milestone rules', () => {
    const parsed = parsePolicy(doc());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.policy).toMatchObject({ name: 'pregnancy-substance-use', version: 2, timeZone: 'Europe/Copenhagen' });
    expect(parsed.policy.milestones.map((m) => m.id)).toEqual([
      'municipality-notification',
      'clinic-referral',
      'notification-assessment',
      'notification-receipt',
      'coordinator-assignment',
      'clinic-first-visit',
      'treatment-start',
      'child-welfare-investigation',
      'residential-decision',
      'retention-contract-offer',
      'residential-admission',
      'retention-episode',
      'retention-total',
      'network-meeting',
      'handoff-acceptance',
      'post-birth-plan',
      'health-visitor-visit',
      'postpartum-check',
      'move-handover',
    ]);
  });

  it('is what defaultPolicy() loads', () => {
    expect(defaultPolicy()).toEqual(document);
  });

  it('encodes the rules of domain.md: LAW clocks are not pausable, the legal deadlines are what the law says', () => {
    const p = defaultPolicy();
    expect(p.milestones.filter((m) => m.basis === 'LAW').every((m) => !m.pausable)).toBe(true);
    const deadline = (id: string) => p.milestones.find((m) => m.id === id)?.deadline;
    expect(deadline('notification-assessment')).toEqual({ duration: 'PT24H', calendar: 'calendar' });
    expect(deadline('child-welfare-investigation')).toEqual({
      duration: 'P4M',
      calendar: 'calendar',
      notLaterThanBeforeDueDate: 'P28D',
    });
    expect(p.milestones.find((m) => m.id === 'treatment-start')?.legalCap).toBe('P14D');
    expect(p.scaling).toEqual({
      appliesTo: ['PROP'],
      bands: [
        { fromWeek: 0, factor: 1 },
        { fromWeek: 14, factor: 0.75 },
        { fromWeek: 28, factor: 0.5 },
      ],
      birthImminentWeek: 37,
    });
    expect(p.pause).toEqual({ maxTotal: 'P14D' });
  });
});

describe('parsePolicy: each broken variant is refused with a message naming the field', () => {
  it('an unknown field, at the top or in a rule', () => {
    refusedWith((d) => (d.colour = 'blue'), 'colour: is not a known field');
    refusedWith(
      (d) => (d.milestones[1].deadlien = { duration: 'P1D', calendar: 'calendar' }),
      'milestones[1].deadlien: is not a known field',
    );
    refusedWith((d) => (d.ladder[0].percent = 75), 'ladder[0].percent: is not a known field');
  });

  it('a duration that is not ISO 8601', () => {
    refusedWith(
      (d) => (d.milestones[2].deadline.duration = '24 hours'),
      'milestones[2].deadline.duration: must be an ISO 8601 duration such as P7D, PT24H or P4M',
    );
    refusedWith(
      (d) => (d.pause.maxTotal = '14d'),
      'pause.maxTotal: must be an ISO 8601 duration such as P7D, PT24H or P4M',
    );
    refusedWith(
      (d) => (d.milestones[index('treatment-start')].legalCap = 'P0D'),
      `milestones[${index('treatment-start')}].legalCap: must be longer than zero`,
    );
  });

  it('an alerts section with an unknown severity, a bad duration or a negative climb', () => {
    refusedWith(
      (d) => (d.alerts = { resendEvery: { urgent: 'PT1H' }, climbAfterResends: 2 }),
      'alerts.resendEvery.urgent: is not a known field',
    );
    refusedWith(
      (d) => (d.alerts = { resendEvery: { critical: '30m' }, climbAfterResends: 2 }),
      'alerts.resendEvery.critical: must be an ISO 8601 duration such as P7D, PT24H or P4M',
    );
    refusedWith(
      (d) => (d.alerts = { resendEvery: {}, climbAfterResends: -1 }),
      'alerts.climbAfterResends: must be a whole number from 0 to 100',
    );
  });

  it('a working-days or weekdays deadline with hours (they count whole days)', () => {
    refusedWith(
      (d) => (d.milestones[0].deadline.duration = 'PT24H'),
      'milestones[0].deadline.duration: a working-days deadline counts whole days (P1D, P6D)',
    );
    refusedWith(
      (d) => (d.milestones[3].deadline.duration = 'P6DT2H'),
      'milestones[3].deadline.duration: a weekdays deadline counts whole days (P1D, P6D)',
    );
  });

  it('a LAW rule that is pausable', () => {
    refusedWith((d) => (d.milestones[2].pausable = true), 'milestones[2].pausable: a LAW clock cannot be paused');
  });

  it('a signal the engine does not know, wherever signals are named', () => {
    refusedWith(
      (d) => (d.milestones[1].opensOn = ['concern-raised']),
      'milestones[1].opensOn[0]: "concern-raised" is not a known signal (see libs/pathway/src/policy/signals.ts)',
    );
    refusedWith(
      (d) => d.milestones[4].metBy.push('coordinator-hired'),
      'milestones[4].metBy[1]: "coordinator-hired" is not a known signal (see libs/pathway/src/policy/signals.ts)',
    );
    refusedWith(
      (d) => (d.waivedBy = ['case-archived']),
      'waivedBy[0]: "case-archived" is not a known signal (see libs/pathway/src/policy/signals.ts)',
    );
    refusedWith(
      (d) => (d.milestones[index('post-birth-plan')].anchor.unlessEarlier = ['born']),
      `milestones[${index('post-birth-plan')}].anchor.unlessEarlier[0]: "born" is not a known signal (see libs/pathway/src/policy/signals.ts)`,
    );
  });

  it('a rule id used twice', () => {
    refusedWith(
      (d) => (d.milestones[1].id = 'municipality-notification'),
      'milestones[1].id: "municipality-notification" is used twice',
    );
  });

  it('a ladder step used twice, in the policy ladder or a rule ladder', () => {
    refusedWith((d) => (d.ladder[2].step = 'warning'), 'ladder[2].step: "warning" is used twice in this ladder');
    const episode = index('retention-episode');
    refusedWith(
      (d) => (d.milestones[episode].ladder[1].step = 'warning'),
      `milestones[${episode}].ladder[1].step: "warning" is used twice in this ladder`,
    );
  });

  it('a ladder without a breach, or with two', () => {
    refusedWith((d) => d.ladder.splice(1, 1), 'ladder: must have exactly one breach step');
    refusedWith(
      (d) => d.ladder.push({ step: 'breach-again', kind: 'breach' }),
      'ladder: must have exactly one breach step',
    );
    const total = index('retention-total');
    refusedWith(
      (d) => Object.assign(d.milestones[total].ladder[2], { kind: 'warning', after: 'P90D' }),
      `milestones[${total}].ladder: must have exactly one breach step`,
    );
  });

  it('a breach with a fraction or an after', () => {
    refusedWith(
      (d) => (d.ladder[1].fraction = 1),
      'ladder[1]: the breach is at the due time; it takes no fraction or after',
    );
    refusedWith(
      (d) => (d.ladder[1].after = 'P1D'),
      'ladder[1]: the breach is at the due time; it takes no fraction or after',
    );
  });

  it('a warning or escalation with neither or both of fraction and after', () => {
    refusedWith((d) => delete d.ladder[0].fraction, 'ladder[0]: give exactly one of fraction or after');
    refusedWith((d) => (d.ladder[0].after = 'P1D'), 'ladder[0]: give exactly one of fraction or after');
  });

  it('an escalation without a level (or with level 3), and a warning with one', () => {
    refusedWith((d) => delete d.ladder[2].level, 'ladder[2].level: an escalation has level 1 or 2');
    refusedWith((d) => (d.ladder[3].level = 3), 'ladder[3].level: an escalation has level 1 or 2');
    refusedWith((d) => (d.ladder[0].level = 1), 'ladder[0].level: only escalations have a level');
  });

  it('scaling bands not in increasing order of week, or not starting at week 0', () => {
    refusedWith(
      (d) => (d.scaling.bands[2].fromWeek = 14),
      'scaling.bands[2].fromWeek: bands must be in increasing order of week',
    );
    refusedWith(
      (d) => (d.scaling.bands[1].fromWeek = 30),
      'scaling.bands[2].fromWeek: bands must be in increasing order of week',
    );
    refusedWith(
      (d) => (d.scaling.bands[0].fromWeek = 1),
      'scaling.bands[0].fromWeek: the first band must start at week 0',
    );
    refusedWith(
      (d) => (d.scaling.bands[1].factor = 1.5),
      'scaling.bands[1].factor: must be a number above 0 and at most 1',
    );
  });

  it('a time zone other than Europe/Copenhagen', () => {
    refusedWith((d) => (d.timeZone = 'Europe/Berlin'), 'timeZone: must be "Europe/Copenhagen"');
    refusedWith((d) => delete d.timeZone, 'timeZone: must be "Europe/Copenhagen"');
  });

  it('an unknown basis, owner or calendar', () => {
    refusedWith((d) => (d.milestones[0].basis = 'LAWFUL'), 'milestones[0].basis: must be one of LAW, REC, PROP');
    refusedWith(
      (d) => (d.milestones[0].owner = 'gp'),
      'milestones[0].owner: must be one of referrer, clinic, municipality, facility, coordinator, recipient, former-municipality',
    );
    refusedWith(
      (d) => (d.milestones[0].deadline.calendar = 'business-days'),
      'milestones[0].deadline.calendar: must be one of calendar, working-days, weekdays',
    );
  });

  it('something that is not a document at all', () => {
    expect(problemsOf(null)).toEqual(['(document): must be an object']);
    expect(problemsOf([document])).toEqual(['(document): must be an object']);
  });

  it('reports several problems at once, in document order', () => {
    refusedWith(
      (d) => {
        d.timeZone = 'UTC';
        d.ladder[1].fraction = 1;
        d.milestones[0].pausable = true;
        d.milestones[2].deadline.duration = 'one day';
      },
      'timeZone: must be "Europe/Copenhagen"',
      'ladder[1]: the breach is at the due time; it takes no fraction or after',
      'milestones[0].pausable: a LAW clock cannot be paused',
      'milestones[2].deadline.duration: must be an ISO 8601 duration such as P7D, PT24H or P4M',
    );
  });
});
