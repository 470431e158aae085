import { ladderLevel, type Milestone } from '@app/pathway';
import type { Projection } from '../event-store/projection';
import { entryRows } from './entry-rows';

const COLUMNS = [
  'case_id',
  'milestone',
  'reference',
  'rule',
  'status',
  'owner',
  'municipality',
  'due_at',
  'level',
  'opened_at',
  'closed_at',
  'late',
  'organisations',
  'detail',
];

const rows = entryRows<Milestone>({
  entries: (s) => s.milestones,
  shared: (s) => ({ case_id: s.id, reference: s.reference, municipality: s.municipality, organisations: s.parties }),
  own: (m) => ({
    milestone: m.id,
    rule: m.rule,
    status: m.status,
    owner: m.owner,
    due_at: m.dueAt,
    level: ladderLevel(m),
    opened_at: m.openedAt,
    closed_at: m.closedAt,
    late: m.late,
    detail: m,
  }),
});

/** One row per milestone instance: work queues, per-case lists and the reconciler's due times. */
export const milestonesProjection: Projection = {
  table: 'milestones',
  upsert: (param) => `
    INSERT INTO milestones (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::milestones, ${param})
    ON CONFLICT (case_id, milestone) DO UPDATE SET ${COLUMNS.slice(2)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`,
  rows: (state, _events, _at, before) => rows(state, before),
};
