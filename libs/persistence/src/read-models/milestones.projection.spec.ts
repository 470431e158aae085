import { milestonesProjection } from './milestones.projection';
import { caseCourse, changedRows } from './testing/case-course';

const COURSE = caseCourse();
const byMilestone = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => String(a.milestone).localeCompare(String(b.milestone)));
const written = (a: (typeof COURSE)[number]) => milestonesProjection.rows(a.after, a.events, a.at, a.before);

describe('the milestones projection writes the rows an append changed', () => {
  it.each(COURSE.map((a) => [a.label, a] as const))('%s: every changed row and no other', (_label, append) => {
    expect(byMilestone(written(append))).toEqual(
      byMilestone(changedRows(milestonesProjection.rows, 'milestone', append)),
    );
  });

  it('a move rewrites every row (the municipality), an acknowledged alert none', () => {
    const move = COURSE.find((a) => a.events[0].type === 'MunicipalityTransferred');
    const acknowledged = COURSE.find((a) => a.events[0].type === 'AlertAcknowledged');
    expect(written(move!).map((r) => r.municipality)).toEqual(Object.values(move!.after.milestones).map(() => '751'));
    expect(written(acknowledged!)).toEqual([]);
  });

  it('a rebuild (no state before) writes every milestone', () => {
    const last = COURSE[COURSE.length - 1];
    const events = COURSE.flatMap((a) => a.events);
    expect(byMilestone(milestonesProjection.rows(last.after, events, last.at)).map((r) => r.milestone)).toEqual(
      Object.keys(last.after.milestones).sort(),
    );
  });
});
