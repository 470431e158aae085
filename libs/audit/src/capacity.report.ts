import type { DataSource } from 'typeorm';

export interface FacilityCapacity {
  id: string;
  name: string;
  places: number;
  retentionPlaces: number;
  /** When the platform administrator retired it (no new placements), or null. */
  retiredAt: string | null;
  /** Women admitted now. */
  occupied: number;
  /** Of those, women under a signed retention contract still running. */
  occupiedUnderRetention: number;
  /** Placements granted to the facility, not yet admitted. */
  awaitingAdmission: number;
  /** The longest of those waits so far, from the residential request; null when nobody waits. */
  longestWaitMs: number | null;
  /**
   * The waiting list: the granted placements waiting for a place, longest wait first. Without the
   * cases' references (the report is read beyond the cases' parties): the request time, the wait,
   * the responsible municipality and the deadline by which the facility is to admit her (`dueAt`: the
   * policy's residential-admission milestone, owned by the facility; null while her consent, which
   * opens it, is awaited).
   */
  waitingList: { requestedAt: string; waitedMs: number; municipality: string; dueAt: string | null }[];
}

export interface CapacityReport {
  at: string;
  facilities: FacilityCapacity[];
  /** Residential requests the municipality has not decided yet (no facility yet). */
  awaitingDecision: { count: number; longestWaitMs: number | null };
}

interface FacilityRow {
  id: string;
  name: string;
  places: number | null;
  retention_places: number | null;
  retired_at: Date | null;
  occupied: string;
  retention: string;
}

interface WaitingRow {
  facility: string | null;
  requested_at: Date;
  municipality: string;
  due_at: Date | null;
}

/**
 * Residential capacity: the facilities and their places from the reference data the platform
 * administrator keeps; occupancy and waiting lists from the open cases. Every facility is listed,
 * retired ones too (they may still have women admitted).
 */
export class CapacityReports {
  constructor(private readonly dataSource: DataSource) {}

  async report(now: Date): Promise<CapacityReport> {
    const [facilities, waiting]: [FacilityRow[], WaitingRow[]] = await Promise.all([
      this.dataSource.query(
        `SELECT o.id, o.name, o.places, o.retention_places, o.retired_at,
                count(c.case_id) AS occupied,
                count(c.case_id) FILTER (WHERE c.summary->'retentionContract'->>'status' = 'signed'
                                           AND c.summary->'retentionContract'->>'endedAt' IS NULL) AS retention
         FROM organisations o
         LEFT JOIN case_summaries c ON c.status = 'open' AND c.summary->'admission'->>'facility' = o.id
         WHERE o.kind = 'facility'
         GROUP BY o.id ORDER BY o.name, o.id`,
      ),
      // Granted (a facility) or requested (none yet), not admitted: the waits.
      this.dataSource.query(
        `SELECT CASE WHEN c.summary->'placement'->>'status' = 'granted' THEN c.summary->'placement'->>'facility' END AS facility,
                (c.summary->'placement'->>'requestedAt')::timestamptz AS requested_at, c.municipality,
                (SELECT min(m.due_at) FROM milestones m
                 WHERE m.case_id = c.case_id AND m.rule = 'residential-admission'
                   AND m.status IN ('open', 'paused', 'breached')) AS due_at
         FROM case_summaries c
         WHERE c.status = 'open' AND c.summary->>'admission' IS NULL
           AND c.summary->'placement'->>'status' IN ('granted', 'requested')
         ORDER BY requested_at, c.case_id`,
      ),
    ]);
    const waited = (r: WaitingRow) => Math.max(0, now.getTime() - r.requested_at.getTime());
    const longest = (rows: WaitingRow[]) => (rows.length ? waited(rows[0]) : null);
    const undecided = waiting.filter((w) => w.facility === null);
    return {
      at: now.toISOString(),
      facilities: facilities.map((f) => {
        const list = waiting.filter((w) => w.facility === f.id);
        return {
          id: f.id,
          name: f.name,
          places: f.places ?? 0,
          retentionPlaces: f.retention_places ?? 0,
          retiredAt: f.retired_at ? f.retired_at.toISOString() : null,
          occupied: Number(f.occupied),
          occupiedUnderRetention: Number(f.retention),
          awaitingAdmission: list.length,
          longestWaitMs: longest(list),
          waitingList: list.map((w) => ({
            requestedAt: w.requested_at.toISOString(),
            waitedMs: waited(w),
            municipality: w.municipality,
            dueAt: w.due_at ? w.due_at.toISOString() : null,
          })),
        };
      }),
      awaitingDecision: { count: undecided.length, longestWaitMs: longest(undecided) },
    };
  }
}
