import { sameSummaryFields, summarise, type CaseState, type OpenCase } from '@app/pathway';
import type { Projection } from '../event-store/projection';

const COLUMNS = [
  'case_id',
  'reference',
  'version',
  'stage',
  'status',
  'municipality',
  'region',
  'coordinator_id',
  'caseworker_id',
  'clinic',
  'facility',
  'estimated_due_date',
  'detected_at',
  'updated_at',
  'organisations',
  'summary',
];

type Row = Record<string, unknown>;

/**
 * The row of a case without `version` and `updated_at`. The summary is stored without `openAlerts`:
 * every read adds it from the alerts read model (OPEN_ALERTS, shownSummary), so that a raised or
 * acknowledged alert changes no case summary.
 */
function contentOf(state: OpenCase): Row {
  const { openAlerts: _counted, ...summary } = summarise(state);
  return {
    case_id: state.id,
    reference: state.reference,
    stage: summary.stage,
    status: state.status,
    municipality: state.municipality,
    region: summary.municipality.region,
    coordinator_id: state.coordinator?.id ?? null,
    // Written, not generated from `summary`: PostgreSQL would read the whole document on every write (1763900000025).
    caseworker_id: state.caseworker?.id ?? null,
    clinic: state.clinic,
    facility: state.admission?.facility ?? state.placement?.facility ?? null,
    estimated_due_date: state.estimatedDueDate,
    detected_at: state.detectedAt,
    organisations: state.parties,
    summary,
  };
}

/**
 * A fact changes the summary's version (the facts' version), so a command's row is written without
 * comparing. Otherwise the same fields mean the same row (`sameSummaryFields`, what a firing takes),
 * and plain JSON values the same text.
 */
function unchanged(before: CaseState | undefined, after: OpenCase): boolean {
  return (
    before?.status === 'open' &&
    before.factVersion === after.factVersion &&
    (sameSummaryFields(before, after) || JSON.stringify(contentOf(before)) === JSON.stringify(contentOf(after)))
  );
}

/**
 * One row per case: filters for listing and scoping, and the summary the API returns. Written only
 * when something in it changed: a timer firing a ladder step or re-sending an alert changes the
 * milestones and alerts, not the case summary, and is the most frequent append there is. `version`
 * and `updated_at` are those of the append that last changed the row (a rebuild writes the last
 * event's); the version only keeps an older write from overwriting a newer one.
 */
export const caseSummaryProjection: Projection = {
  table: 'case_summaries',
  upsert: (param) => `
    INSERT INTO case_summaries (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::case_summaries, ${param})
    ON CONFLICT (case_id) DO UPDATE SET ${COLUMNS.slice(1)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}
    WHERE case_summaries.version < excluded.version`,
  rows: (state, _events, updatedAt, before) => {
    if (unchanged(before, state)) return [];
    return [{ ...contentOf(state), version: state.version, updated_at: updatedAt.toISOString() }];
  },
};
