import { ladderLevel, type CaseEvent, type OpenCase } from '@app/pathway';
import type { Projection } from '../event-store/projection';

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

/** Milestones touched by these events (all of them when rebuilding from the whole stream). */
function touched(state: OpenCase, events: readonly CaseEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    const id = (e.data as { milestone?: unknown }).milestone;
    if (typeof id === 'string') ids.add(id);
    // A change of parties or municipality changes every row's scoping columns.
    if (
      e.type === 'ConcernRegistered' ||
      e.type === 'MunicipalityTransferred' ||
      e.type === 'CoordinatorAssigned' ||
      e.type === 'ClinicReferralMade' ||
      e.type === 'ResidentialPlacementGranted' ||
      e.type === 'AdmittedToResidential'
    ) {
      for (const m of Object.keys(state.milestones)) ids.add(m);
    }
  }
  return [...ids];
}

/** One row per milestone instance: work queues, per-case lists and the reconciler's due times. */
export const milestonesProjection: Projection = {
  table: 'milestones',
  upsert: (param) => `
    INSERT INTO milestones (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::milestones, ${param})
    ON CONFLICT (case_id, milestone) DO UPDATE SET ${COLUMNS.slice(2)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`,
  rows: (state, events) =>
    touched(state, events).flatMap((id) => {
      const m = state.milestones[id];
      if (!m) return [];
      return [
        {
          case_id: state.id,
          milestone: m.id,
          reference: state.reference,
          rule: m.rule,
          status: m.status,
          owner: m.owner,
          municipality: state.municipality,
          due_at: m.dueAt,
          level: ladderLevel(m),
          opened_at: m.openedAt,
          closed_at: m.closedAt,
          late: m.late,
          organisations: state.parties,
          detail: m,
        },
      ];
    }),
};
