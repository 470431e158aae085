import { FACILITIES } from '@app/pathway';
import type { DataSource } from 'typeorm';

export interface FacilityCapacity {
  id: string;
  name: string;
  places: number;
  retentionPlaces: number;
  /** Women admitted now. */
  occupied: number;
  /** Of those, women under a signed retention contract still running. */
  occupiedUnderRetention: number;
  /** Placements granted to the facility, not yet admitted. */
  awaitingAdmission: number;
  /** The longest of those waits so far, from the residential request; null when nobody waits. */
  longestWaitMs: number | null;
}

export interface CapacityReport {
  at: string;
  facilities: FacilityCapacity[];
  /** Residential requests the municipality has not decided yet (no facility yet). */
  awaitingDecision: { count: number; longestWaitMs: number | null };
}

interface SqlRow {
  facility: string | null;
  occupied: string;
  retention: string;
  waiting: string;
  oldest: Date | null;
}

/** Residential capacity: places from the reference data, occupancy and waits from the open cases. */
export class CapacityReports {
  constructor(private readonly dataSource: DataSource) {}

  async report(now: Date): Promise<CapacityReport> {
    const rows: SqlRow[] = await this.dataSource.query(
      `WITH open_cases AS (
         SELECT summary->'admission'->>'facility' AS admitted_to, summary->'placement'->>'status' AS placement,
                summary->'placement'->>'facility' AS granted_to, (summary->'placement'->>'requestedAt')::timestamptz AS requested_at,
                summary->'retentionContract'->>'status' = 'signed' AND summary->'retentionContract'->>'endedAt' IS NULL AS retained
         FROM case_summaries WHERE status = 'open' AND (summary->>'admission' IS NOT NULL OR summary->>'placement' IS NOT NULL)
       )
       SELECT admitted_to AS facility, count(*) AS occupied, count(*) FILTER (WHERE retained) AS retention, 0 AS waiting, NULL::timestamptz AS oldest
         FROM open_cases WHERE admitted_to IS NOT NULL GROUP BY admitted_to
       UNION ALL
       SELECT granted_to, 0, 0, count(*), min(requested_at) FROM open_cases WHERE admitted_to IS NULL AND placement = 'granted' GROUP BY granted_to
       UNION ALL
       SELECT NULL, 0, 0, count(*), min(requested_at) FROM open_cases WHERE admitted_to IS NULL AND placement = 'requested'`,
    );
    const wait = (oldest: Date | null) => (oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null);
    const undecided = rows.find((r) => r.facility === null);
    return {
      at: now.toISOString(),
      facilities: FACILITIES.map((f) => {
        const occupancy = rows.find((r) => r.facility === f.id && Number(r.occupied) > 0);
        const waiting = rows.find((r) => r.facility === f.id && Number(r.waiting) > 0);
        return {
          id: f.id,
          name: f.name,
          places: f.places,
          retentionPlaces: f.retentionPlaces,
          occupied: Number(occupancy?.occupied ?? 0),
          occupiedUnderRetention: Number(occupancy?.retention ?? 0),
          awaitingAdmission: Number(waiting?.waiting ?? 0),
          longestWaitMs: wait(waiting?.oldest ?? null),
        };
      }),
      awaitingDecision: { count: Number(undecided?.waiting ?? 0), longestWaitMs: wait(undecided?.oldest ?? null) },
    };
  }
}
