import { pendingTimers, policyOf, type PolicyRegistry } from '@app/pathway';
import type { Projection } from '../event-store/projection';

/**
 * Every timer a case needs, kept with the events: the reconciler rebuilds Redis from this table.
 * Rows of timers that are no longer pending are deleted in the same statement.
 */
export function pendingTimersProjection(policies: PolicyRegistry): Projection {
  return {
    table: 'pending_timers',
    upsert: (param) => `
      INSERT INTO pending_timers (case_id, timer, kind, fire_at)
      SELECT case_id, timer, kind, fire_at FROM jsonb_populate_recordset(NULL::pending_timers, ${param})
      ON CONFLICT (case_id, timer) DO UPDATE SET kind = excluded.kind, fire_at = excluded.fire_at`,
    deleteStale: (param, caseId) => `
      DELETE FROM pending_timers WHERE case_id = ${caseId}
        AND timer NOT IN (SELECT timer FROM jsonb_populate_recordset(NULL::pending_timers, ${param}))`,
    rows: (state) => pendingTimers(state, policyOf(state, policies)).map((t) => ({ case_id: state.id, timer: t.id, kind: t.kind, fire_at: t.fireAt })),
  };
}
