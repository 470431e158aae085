import type { Alert } from '@app/pathway';
import type { Projection } from '../event-store/projection';
import { entryRows } from './entry-rows';

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

const rows = entryRows<Alert>({
  entries: (s) => s.alerts,
  // Who sees an alert as "mine", and the region whose contact escalation 2 reaches, come from the case.
  shared: (s) => ({
    case_id: s.id,
    reference: s.reference,
    municipality: s.municipality,
    coordinator: s.coordinator?.id ?? null,
  }),
  own: (a) => ({
    alert: a.id,
    milestone: a.milestone,
    rule: a.rule,
    step: a.step,
    kind: a.kind,
    level: a.level,
    severity: a.severity,
    owner: a.owner,
    status: a.status,
    reach: a.reach,
    resends: a.resends,
    due_at: a.dueAt,
    raised_at: a.raisedAt,
    acknowledged_at: a.acknowledged?.at ?? null,
    resolved_at: a.resolvedAt,
    detail: a,
  }),
});

/** One row per alert: the in-app inbox (GET /v1/alerts) and the delivery worker read it. */
export const alertsProjection: Projection = {
  table: 'alerts',
  upsert: (param) => `
    INSERT INTO alerts (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::alerts, ${param})
    ON CONFLICT (case_id, alert) DO UPDATE SET ${COLUMNS.slice(2)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`,
  rows: (state, _events, _at, before) => rows(state, before),
};
