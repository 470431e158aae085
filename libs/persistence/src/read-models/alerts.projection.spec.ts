import { alertsProjection } from './alerts.projection';
import { caseCourse, changedRows } from './testing/case-course';

const COURSE = caseCourse();
const byAlert = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => String(a.alert).localeCompare(String(b.alert)));
const written = (a: (typeof COURSE)[number]) => alertsProjection.rows(a.after, a.events, a.at, a.before);

describe('the alerts projection writes the rows an append changed', () => {
  it.each(COURSE.map((a) => [a.label, a] as const))('%s: every changed row and no other', (_label, append) => {
    expect(byAlert(written(append))).toEqual(byAlert(changedRows(alertsProjection.rows, 'alert', append)));
  });

  it('a coordinator assigned rewrites every row (who sees it as theirs), a due date moved none', () => {
    const assigned = COURSE.find((a) => a.events[0].type === 'CoordinatorAssigned');
    const moved = COURSE.find((a) => a.events[0].type === 'DueDateUpdated');
    expect(written(assigned!).map((r) => r.coordinator)).toEqual(
      Object.values(assigned!.after.alerts).map(() => 'alice'),
    );
    expect(written(moved!)).toEqual([]);
  });

  it('a rebuild (no state before) writes every alert', () => {
    const last = COURSE[COURSE.length - 1];
    const events = COURSE.flatMap((a) => a.events);
    expect(byAlert(alertsProjection.rows(last.after, events, last.at)).map((r) => r.alert)).toEqual(
      Object.keys(last.after.alerts).sort(),
    );
  });
});
