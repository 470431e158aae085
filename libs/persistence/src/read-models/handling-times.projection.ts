import { findMunicipality, municipalityOrganisation, pausedMsUntil, type Milestone, type OpenCase } from '@app/pathway';
import type { Projection } from '../event-store/projection';
import { caseSteps } from './case-steps';

/** The case intervals the national reviews ask about, each measured once per case (or per admission). */
export const CASE_INTERVALS = [
  'detection-to-first-clinic-visit',
  'detection-to-municipality-assessment',
  'detection-to-treatment-start',
  'residential-request-to-admission',
  'birth-to-post-birth-plan',
] as const;
export type CaseInterval = (typeof CASE_INTERVALS)[number];

const COLUMNS = [
  'case_id',
  'measure',
  'instance',
  'kind',
  'started_at',
  'ended_at',
  'duration_ms',
  'paused_ms',
  'outcome',
  'breached',
  'municipality',
  'region',
  'organisation',
];

type Row = {
  case_id: string;
  measure: string;
  instance: string;
  kind: 'milestone' | 'interval';
  started_at: string;
  ended_at: string;
  duration_ms: number;
  paused_ms: number;
  outcome: 'met' | 'waived' | 'reached';
  breached: boolean | null;
  municipality: string;
  region: string;
  organisation: string;
};

const breached = (m: Milestone) => m.late || m.ladder.some((l) => l.kind === 'breach' && l.firedAt !== null);

function where(s: OpenCase): Pick<Row, 'municipality' | 'region'> {
  return { municipality: s.municipality, region: findMunicipality(s.municipality)?.region ?? '' };
}

/**
 * Handling times, one row per finished measure, written when it finishes and never changed after:
 * every milestone met or waived (its clock's start → closed, pauses excluded, and whether it breached), and the
 * case intervals (detection → first clinic visit, → municipality assessment, → treatment start;
 * residential request → admission; birth → post-birth plan). Each row keeps the responsible
 * municipality and region of the moment it finished, so a woman who moves is counted where each
 * step was done. The first occurrence of an interval counts (ON CONFLICT DO NOTHING).
 */
export const handlingTimesProjection: Projection = {
  table: 'handling_times',
  upsert: (param) => `
    INSERT INTO handling_times (${COLUMNS.join(', ')})
    SELECT ${COLUMNS.join(', ')} FROM json_populate_recordset(NULL::handling_times, ${param})
    ON CONFLICT (case_id, measure, instance) DO NOTHING`,
  rows: (after, events, _at, before) => {
    const rows: Row[] = [];
    const interval = (
      s: OpenCase,
      measure: CaseInterval,
      instance: string,
      startedAt: string,
      endedAt: string,
      organisation: string,
    ) =>
      rows.push({
        case_id: s.id,
        measure,
        instance,
        kind: 'interval',
        started_at: startedAt,
        ended_at: endedAt,
        duration_ms: Math.max(0, Date.parse(endedAt) - Date.parse(startedAt)),
        paused_ms: 0,
        outcome: 'reached',
        breached: null,
        ...where(s),
        organisation,
      });
    for (const { event: e, state: s } of caseSteps(events, before, after)) {
      const at = e.data.occurredAt;
      switch (e.type) {
        case 'MilestoneMet':
        case 'MilestoneWaived': {
          const m = s.milestones[e.data.milestone];
          if (!m?.closedAt) break;
          // The clock starts at the anchor: the opening, except for a milestone anchored later (the
          // post-birth plan runs from 28 days before the due date); met before it started counts 0.
          const started = m.explanation.anchor.at > m.openedAt ? m.explanation.anchor.at : m.openedAt;
          // Paused time within the milestone's life (a pause still open at its close runs to the close).
          const paused = pausedMsUntil(m.pauses, m.closedAt);
          rows.push({
            case_id: s.id,
            measure: m.rule,
            instance: m.id,
            kind: 'milestone',
            started_at: started,
            ended_at: m.closedAt,
            duration_ms: Math.max(0, Date.parse(m.closedAt) - Date.parse(started) - paused),
            paused_ms: paused,
            outcome: e.type === 'MilestoneMet' ? 'met' : 'waived',
            breached: breached(m),
            ...where(s),
            organisation: m.owner,
          });
          break;
        }
        case 'ClinicVisitRecorded':
          interval(s, 'detection-to-first-clinic-visit', '', s.detectedAt, at, s.clinic ?? '');
          break;
        case 'NotificationAssessed':
          interval(
            s,
            'detection-to-municipality-assessment',
            '',
            s.detectedAt,
            at,
            municipalityOrganisation(s.municipality),
          );
          break;
        case 'TreatmentStarted':
          interval(s, 'detection-to-treatment-start', '', s.detectedAt, at, municipalityOrganisation(s.municipality));
          break;
        case 'AdmittedToResidential':
          // The placement used keeps the time it was requested.
          if (s.placement)
            interval(
              s,
              'residential-request-to-admission',
              String(s.admissions),
              s.placement.requestedAt,
              at,
              e.data.facility,
            );
          break;
        case 'BirthRecorded':
        case 'PostBirthPlanRecorded':
          // Measured when both are known; a plan made before the birth counts as ready at the birth (0).
          if (s.birthAt && s.postBirthPlanAt)
            interval(
              s,
              'birth-to-post-birth-plan',
              '',
              s.birthAt,
              s.postBirthPlanAt > s.birthAt ? s.postBirthPlanAt : s.birthAt,
              municipalityOrganisation(s.municipality),
            );
          break;
        default:
          break;
      }
    }
    return rows;
  },
};
