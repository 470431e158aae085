import { summarise, type OpenCase } from '@app/pathway';
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
  'clinic',
  'facility',
  'estimated_due_date',
  'detected_at',
  'updated_at',
  'organisations',
  'summary',
];

/** One row per case: filters for listing and scoping, and the summary the API returns. */
export const caseSummaryProjection: Projection = {
  table: 'case_summaries',
  upsert: (param) => `
    INSERT INTO case_summaries (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::case_summaries, ${param})
    ON CONFLICT (case_id) DO UPDATE SET ${COLUMNS.slice(1)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}
    WHERE case_summaries.version < excluded.version`,
  rows: (state: OpenCase, _events, updatedAt: Date) => {
    const summary = summarise(state);
    return [
      {
        case_id: state.id,
        reference: state.reference,
        version: state.version,
        stage: summary.stage,
        status: state.status,
        municipality: state.municipality,
        region: summary.municipality.region,
        coordinator_id: state.coordinator?.id ?? null,
        clinic: state.clinic,
        facility: state.admission?.facility ?? state.placement?.facility ?? null,
        estimated_due_date: state.estimatedDueDate,
        detected_at: state.detectedAt,
        updated_at: updatedAt.toISOString(),
        organisations: state.parties,
        summary,
      },
    ];
  },
};
