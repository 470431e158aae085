import { findMunicipality } from '@app/pathway';
import type { Projection } from '../event-store/projection';
import { caseSteps } from './case-steps';

/**
 * Referrals to treatment, for the yearly report to the authority: a row for each treatment
 * requested (outpatient substance treatment) and each residential placement granted, with the
 * municipality responsible at that moment and its region.
 */
export const treatmentReferralsProjection: Projection = {
  table: 'treatment_referrals',
  upsert: (param) => `
    INSERT INTO treatment_referrals (case_id, sequence, kind, referred_at, municipality, region)
    SELECT case_id, sequence, kind, referred_at, municipality, region FROM json_populate_recordset(NULL::treatment_referrals, ${param})
    ON CONFLICT (case_id, sequence) DO NOTHING`,
  rows: (after, events, _at, before) =>
    caseSteps(events, before, after).flatMap(({ event: e, state: s }, i) => {
      const kind =
        e.type === 'TreatmentRequested' ? 'treatment' : e.type === 'ResidentialPlacementGranted' ? 'residential' : null;
      if (!kind) return [];
      return [
        {
          case_id: s.id,
          sequence: after.version - (events.length - 1 - i),
          kind,
          referred_at: e.data.occurredAt,
          municipality: s.municipality,
          region: findMunicipality(s.municipality)?.region ?? '',
        },
      ];
    }),
};
