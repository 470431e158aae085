import type { Milestone } from '@app/pathway';
import type { Projection } from '../event-store/projection';
import { entryRows } from './entry-rows';

const COLUMNS = [
  'case_id',
  'milestone',
  'reference',
  'rule',
  'status',
  'owner',
  'due_at',
  'opened_at',
  'assignee_id',
  'detail',
];

const rows = entryRows<Milestone>({
  entries: (s) => s.milestones,
  shared: (s) => ({ case_id: s.id, reference: s.reference }),
  own: (m) => ({
    milestone: m.id,
    rule: m.rule,
    status: m.status,
    owner: m.owner,
    due_at: m.dueAt,
    opened_at: m.openedAt,
    // Written, not generated from `detail`: PostgreSQL would read the whole document on every write (1763900000025).
    assignee_id: m.assignee?.id ?? null,
    detail: m,
  }),
});

/** One row per milestone instance: the work queues, a case's milestones and the referrer's follow-up. */
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
