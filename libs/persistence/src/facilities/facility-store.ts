import type { FacilityFacts, ResidentialFacility } from '@app/pathway';
import type { DataSource } from 'typeorm';

interface Row {
  id: string;
  name: string;
  owner: string | null;
  municipality_code: string | null;
  places: number | null;
  retention_places: number | null;
  retired_at: Date | null;
}

const COLUMNS = `id, name, owner, municipality_code, places, retention_places, retired_at`;

const toFacility = (r: Row): ResidentialFacility => ({
  id: r.id,
  name: r.name,
  owner: r.owner ?? '',
  municipalityCode: r.municipality_code ?? '',
  places: r.places ?? 0,
  retentionPlaces: r.retention_places ?? 0,
  retiredAt: r.retired_at ? r.retired_at.toISOString() : null,
});

/** A facility's facts with the version of its occupancy: what an admission's append expects (OccupancyChange). */
export type VersionedFacilityFacts = FacilityFacts & { occupancyVersion: number };

/** What the administrator may set on a facility; the region follows from the municipality. */
export type FacilityChanges = Partial<Pick<ResidentialFacility, 'name' | 'owner' | 'places' | 'retentionPlaces'>> & {
  municipalityCode?: string;
};

/**
 * The residential facilities, reference data in the organisations table (kind `facility`) that the
 * platform administrator manages. Retiring keeps the row: recorded cases name it.
 */
export class FacilityStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Every facility, retired ones included, by name. */
  async list(): Promise<ResidentialFacility[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM organisations WHERE kind = 'facility' ORDER BY name, id`,
    );
    return rows.map(toFacility);
  }

  async find(id: string): Promise<ResidentialFacility | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM organisations WHERE kind = 'facility' AND id = $1`,
      [id],
    );
    return rows[0] ? toFacility(rows[0]) : null;
  }

  /**
   * Every facility with the women admitted there now (open cases, admitted and not discharged), and
   * the version of that occupancy read in the same snapshot (docs/adr/0011).
   */
  async facts(): Promise<VersionedFacilityFacts[]> {
    const rows: (Row & { occupied: string; occupancy_version: number })[] = await this.dataSource.query(
      `SELECT ${COLUMNS.replace(/(\w+)/g, 'o.$1')}, count(c.case_id) AS occupied,
         (SELECT coalesce(max(v.version), 0) FROM facility_occupancy_versions v WHERE v.facility_id = o.id) AS occupancy_version
       FROM organisations o
       LEFT JOIN case_summaries c ON c.status = 'open' AND c.summary->'admission'->>'facility' = o.id
       WHERE o.kind = 'facility'
       GROUP BY o.id ORDER BY o.name, o.id`,
    );
    return rows.map((r) => ({ ...toFacility(r), occupied: Number(r.occupied), occupancyVersion: r.occupancy_version }));
  }

  /** Adds a facility; false when the id is taken (by any organisation). */
  async add(facility: Omit<ResidentialFacility, 'retiredAt'>, region: string, by: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO organisations (id, kind, name, region, municipality_code, places, retention_places, owner, updated_by, updated_at)
       VALUES ($1, 'facility', $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        facility.id,
        facility.name,
        region,
        facility.municipalityCode,
        facility.places,
        facility.retentionPlaces,
        facility.owner,
        by,
        now,
      ],
    );
    return rows.length === 1;
  }

  /** Changes a facility (retired or not); null when there is none. */
  async change(
    id: string,
    changes: FacilityChanges,
    region: string | undefined,
    by: string,
    now: Date,
  ): Promise<ResidentialFacility | null> {
    // An UPDATE answers [rows, count].
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE organisations SET name = coalesce($2, name), owner = coalesce($3, owner),
         municipality_code = coalesce($4, municipality_code), region = coalesce($5, region),
         places = coalesce($6, places), retention_places = coalesce($7, retention_places),
         updated_by = $8, updated_at = $9
       WHERE kind = 'facility' AND id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        changes.name ?? null,
        changes.owner ?? null,
        changes.municipalityCode ?? null,
        region ?? null,
        changes.places ?? null,
        changes.retentionPlaces ?? null,
        by,
        now,
      ],
    );
    return rows[0] ? toFacility(rows[0]) : null;
  }

  /** Retires a facility (no new placements; kept for history); the first retirement's time stays. Null when there is none. */
  async retire(id: string, by: string, now: Date): Promise<ResidentialFacility | null> {
    // An UPDATE answers [rows, count].
    const [rows]: [Row[], number] = await this.dataSource.query(
      `UPDATE organisations SET retired_at = coalesce(retired_at, $2),
         updated_by = CASE WHEN retired_at IS NULL THEN $3 ELSE updated_by END,
         updated_at = CASE WHEN retired_at IS NULL THEN $2 ELSE updated_at END
       WHERE kind = 'facility' AND id = $1 RETURNING ${COLUMNS}`,
      [id, now, by],
    );
    return rows[0] ? toFacility(rows[0]) : null;
  }
}
