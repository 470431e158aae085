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

  it('a column copied from the case changed rewrites every row; an acknowledged alert none', () => {
    const move = COURSE.find((a) => a.events[0].type === 'MunicipalityTransferred')!;
    // The reference never changes in the domain: the only column a row copies from the case.
    const renamed = { ...move.after, reference: 'R2D2C3' };
    expect(milestonesProjection.rows(renamed, move.events, move.at, move.before).map((r) => r.reference)).toEqual(
      Object.values(move.after.milestones).map(() => 'R2D2C3'),
    );
    expect(written(COURSE.find((a) => a.events[0].type === 'AlertAcknowledged')!)).toEqual([]);
  });

  it('a rebuild (no state before) writes every milestone', () => {
    const last = COURSE[COURSE.length - 1];
    const events = COURSE.flatMap((a) => a.events);
    expect(byMilestone(milestonesProjection.rows(last.after, events, last.at)).map((r) => r.milestone)).toEqual(
      Object.keys(last.after.milestones).sort(),
    );
  });
});
