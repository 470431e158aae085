import { sameSummaryFields, summarise } from '@app/pathway';
import { caseSummaryProjection } from './case-summary.projection';
import { caseCourse } from './testing/case-course';

const COURSE = caseCourse();
type Append = (typeof COURSE)[number];
const written = (a: Append) => caseSummaryProjection.rows(a.after, a.events, a.at, a.before);
/** What a rebuild writes for the case at this point: its one row, from the state alone. */
const rebuilt = (a: Append) => caseSummaryProjection.rows(a.after, [...a.history, ...a.events], a.at)[0];
/** A row without the columns that say when it was written. */
const content = ({ version: _v, updated_at: _u, ...row }: Record<string, unknown>) => row;

describe('the case summary projection writes its row only when it changed', () => {
  it.each(COURSE.map((a, i) => [a.label, i] as const))('%s: the row a rebuild writes, if it changed', (_label, i) => {
    const append = COURSE[i];
    const now = rebuilt(append);
    const changed = i === 0 || JSON.stringify(content(rebuilt(COURSE[i - 1]))) !== JSON.stringify(content(now));
    expect(written(append)).toEqual(changed ? [now] : []);
  });

  it('a ladder step firing writes none; the row keeps no count of open alerts', () => {
    const firings = COURSE.filter((a) =>
      a.events.every((e) => e.type === 'MilestoneWarned' || e.type === 'MilestoneBreached'),
    );
    expect(firings.length).toBeGreaterThan(0);
    for (const firing of firings) expect(written(firing)).toEqual([]);
    // Raised by a firing, yet the stored summary is the same: the reads count them (OPEN_ALERTS).
    const raised = firings.find(
      (a) => Object.keys(a.after.alerts).length > Object.keys(a.before.status === 'open' ? a.before.alerts : {}).length,
    );
    expect(raised).toBeDefined();
    expect(rebuilt(raised!).summary).not.toHaveProperty('openAlerts');
  });

  it('tells a firing unchanged by its fields alone, and never tells a changed summary the same', () => {
    const opened = COURSE.flatMap(({ before, after, events }) =>
      before.status === 'open' ? [{ before, after, events }] : [],
    );
    const told = opened.filter((a) => sameSummaryFields(a.before, a.after));
    const shown = ({ openAlerts: _counted, ...summary }: ReturnType<typeof summarise>) => JSON.stringify(summary);
    for (const a of told) expect(shown(summarise(a.after))).toBe(shown(summarise(a.before)));
    // Every firing of the course takes the short way, and every fact that changed a field does not.
    const firings = opened.filter((a) =>
      a.events.every((e) => e.type === 'MilestoneWarned' || e.type === 'MilestoneBreached'),
    );
    expect(firings.length).toBeGreaterThan(0);
    expect(told).toEqual(expect.arrayContaining(firings));
    expect(told.length).toBeLessThan(opened.length);
    // A milestone no longer open changes the summary's count though no field the summary copies moved.
    const { before, after } = firings[0];
    const [id, milestone] = Object.entries(after.milestones).find(([, m]) => m.status === 'open')!;
    const met = { ...after, milestones: { ...after.milestones, [id]: { ...milestone, status: 'met' as const } } };
    expect(sameSummaryFields(before, met)).toBe(false);
  });

  it('writes the version and time of the append that changed it', () => {
    const fact = COURSE.find((a) => a.label === 'transfer-municipality')!;
    expect(written(fact)).toEqual([
      expect.objectContaining({ version: fact.after.version, updated_at: fact.at.toISOString() }),
    ]);
  });
});
