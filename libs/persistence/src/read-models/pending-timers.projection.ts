import { pendingTimers, policyOf, timerChanges, type PolicyRegistry } from '@app/pathway';
import type { Projection } from '../event-store/projection';

/**
 * Every timer a case needs, kept with the events: the reconciler rebuilds Redis from this table.
 * An append writes only the difference: the timers that are new (a timer id carries its
 * schedule's generation, so a known id is unchanged) and the ids of those no longer pending.
 */
export function pendingTimersProjection(policies: PolicyRegistry): Projection {
  return {
    table: 'pending_timers',
    upsert: (param) => `
      INSERT INTO pending_timers (case_id, timer, kind, fire_at)
      SELECT case_id, timer, kind, fire_at FROM json_to_recordset(${param}) AS r(case_id uuid, timer text, kind text, fire_at timestamptz, gone boolean)
      WHERE NOT r.gone
      ON CONFLICT (case_id, timer) DO UPDATE SET kind = excluded.kind, fire_at = excluded.fire_at`,
    // By the cases first: a plan the row count of the JSON cannot steer to a scan of the whole table.
    deleteStale: (param, caseIds) => `
      DELETE FROM pending_timers p WHERE p.case_id = ANY(${caseIds})
        AND (p.case_id, p.timer) IN (SELECT r.case_id, r.timer FROM json_to_recordset(${param}) AS r(case_id uuid, timer text, gone boolean) WHERE r.gone)`,
    rows: (state, _events, _at, before) => {
      const was = before && before.status !== 'none' ? pendingTimers(before, policyOf(before, policies)) : [];
      const { schedule, cancel } = timerChanges(was, pendingTimers(state, policyOf(state, policies)));
      return [
        ...schedule.map((t) => ({ case_id: state.id, timer: t.id, kind: t.kind, fire_at: t.fireAt, gone: false })),
        ...cancel.map((t) => ({ case_id: state.id, timer: t.id, gone: true })),
      ];
    },
  };
}
