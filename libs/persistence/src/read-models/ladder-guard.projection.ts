import type { Projection } from '../event-store/projection';

const LADDER = new Set(['MilestoneWarned', 'MilestoneBreached', 'MilestoneEscalated']);

/**
 * At most one fired event per (milestone instance, ladder step), whatever the duplicates upstream:
 * a plain INSERT, so a second one violates milestone_ladder_fired_pkey and the append fails whole.
 */
export const ladderGuardProjection: Projection = {
  table: 'milestone_ladder_fired',
  upsert: (param) => `
    INSERT INTO milestone_ladder_fired (case_id, milestone, step, fired_at)
    SELECT case_id, milestone, step, fired_at FROM json_populate_recordset(NULL::milestone_ladder_fired, ${param})`,
  rows: (state, events) =>
    events
      .filter((e) => LADDER.has(e.type))
      .map((e) => {
        const d = e.data as { milestone: string; step: string; occurredAt: string };
        return { case_id: state.id, milestone: d.milestone, step: d.step, fired_at: d.occurredAt };
      }),
};
