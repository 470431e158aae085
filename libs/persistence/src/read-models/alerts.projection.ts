import type { CaseEvent, OpenCase } from '@app/pathway';
import type { Projection } from '../event-store/projection';

const COLUMNS = [
  'case_id',
  'alert',
  'reference',
  'milestone',
  'rule',
  'step',
  'kind',
  'level',
  'severity',
  'owner',
  'municipality',
  'coordinator',
  'status',
  'reach',
  'resends',
  'due_at',
  'raised_at',
  'acknowledged_at',
  'resolved_at',
  'detail',
];

/** Alerts touched by these events (all of them when rebuilding from the whole stream). */
function touched(state: OpenCase, events: readonly CaseEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.type === 'AlertAcknowledged' || e.type === 'AlertResent') ids.add(e.data.alert);
    else if (e.type === 'MilestoneWarned' || e.type === 'MilestoneBreached' || e.type === 'MilestoneEscalated')
      ids.add(`${e.data.milestone}.${e.data.step}`);
    else if (e.type === 'MilestoneMet' || e.type === 'MilestoneWaived') {
      for (const a of Object.values(state.alerts)) if (a.milestone === e.data.milestone) ids.add(a.id);
    } else if (e.type === 'CoordinatorAssigned' || e.type === 'MunicipalityTransferred') {
      // Who sees an alert as "mine" and where it belongs change for every alert of the case.
      for (const id of Object.keys(state.alerts)) ids.add(id);
    }
  }
  return [...ids];
}

/** One row per alert: the in-app inbox (GET /v1/alerts) and the delivery worker read it. */
export const alertsProjection: Projection = {
  table: 'alerts',
  upsert: (param) => `
    INSERT INTO alerts (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::alerts, ${param})
    ON CONFLICT (case_id, alert) DO UPDATE SET ${COLUMNS.slice(2)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`,
  rows: (state, events) =>
    touched(state, events).flatMap((id) => {
      const a = state.alerts[id];
      if (!a) return [];
      return [
        {
          case_id: state.id,
          alert: a.id,
          reference: state.reference,
          milestone: a.milestone,
          rule: a.rule,
          step: a.step,
          kind: a.kind,
          level: a.level,
          severity: a.severity,
          owner: a.owner,
          municipality: state.municipality,
          coordinator: state.coordinator?.id ?? null,
          status: a.status,
          reach: a.reach,
          resends: a.resends,
          due_at: a.dueAt,
          raised_at: a.raisedAt,
          acknowledged_at: a.acknowledged?.at ?? null,
          resolved_at: a.resolvedAt,
          detail: a,
        },
      ];
    }),
};
