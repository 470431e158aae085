import { MUNICIPALITIES, REGIONS, startOfLocalDay } from '@app/pathway';
import type { DataSource } from 'typeorm';

export interface AnnualCounts {
  /** Women referred to any treatment (outpatient or residential) in the year. */
  anyTreatment: number;
  /** Women referred to residential treatment (placement granted) in the year. */
  residential: number;
}

export interface AnnualReport {
  year: number;
  definitions: string[];
  municipalities: ({ code: string; name: string; region: string } & AnnualCounts)[];
  regions: ({ code: string; name: string } & AnnualCounts)[];
  national: AnnualCounts;
}

/** What the yearly table counts, in English (the dashboard says them in Danish: report-definitions.ts). */
export const ANNUAL_DEFINITIONS = [
  'Women referred to any treatment: pregnant women with a treatment requested (outpatient substance treatment) or a residential placement granted in the calendar year (Europe/Copenhagen).',
  'Women referred to residential treatment: pregnant women with a residential placement granted (døgnbehandling) in the year.',
  'A woman is counted once per municipality: the municipality responsible (handlekommune) when the referral was made. A woman referred in two municipalities in the year (she moved) counts in each, and once in the region and national totals, which count women, not referrals.',
  'A woman is counted once however many pregnancies (cases) she had referred in the year: her cases are linked by the blind index of her CPR number. A case without a CPR number counts as a woman of its own.',
];

interface SqlRow {
  level: 'municipality' | 'region' | 'national';
  code: string | null;
  any_treatment: string;
  residential: string;
}

/**
 * The yearly table for the national authority: distinct women referred to treatment, per
 * municipality, region and nation (a woman's cases linked by her CPR's blind index).
 */
export class AnnualReports {
  constructor(private readonly dataSource: DataSource) {}

  async report(year: number): Promise<AnnualReport> {
    const from = startOfLocalDay(`${year}-01-01`).toISOString();
    const to = startOfLocalDay(`${year + 1}-01-01`).toISOString();
    const rows: SqlRow[] = await this.dataSource.query(
      `WITH r AS (
         SELECT coalesce(i.cpr_index, t.case_id::text) AS woman, t.kind, t.municipality, t.region
         FROM treatment_referrals t LEFT JOIN case_identities i ON i.case_id = t.case_id
         WHERE t.referred_at >= $1 AND t.referred_at < $2)
       SELECT CASE WHEN GROUPING(region) = 1 THEN 'national' WHEN GROUPING(municipality) = 1 THEN 'region' ELSE 'municipality' END AS level,
              CASE WHEN GROUPING(municipality) = 0 THEN municipality ELSE region END AS code,
              count(DISTINCT woman) AS any_treatment,
              count(DISTINCT woman) FILTER (WHERE kind = 'residential') AS residential
       FROM r GROUP BY ROLLUP (region, municipality)`,
      [from, to],
    );
    const counts = (level: SqlRow['level'], code: string | null): AnnualCounts => {
      const row = rows.find((r) => r.level === level && (level === 'national' || r.code === code));
      return { anyTreatment: Number(row?.any_treatment ?? 0), residential: Number(row?.residential ?? 0) };
    };
    return {
      year,
      definitions: ANNUAL_DEFINITIONS,
      municipalities: MUNICIPALITIES.map((m) => ({
        code: m.code,
        name: m.name,
        region: m.region,
        ...counts('municipality', m.code),
      })),
      regions: REGIONS.map((r) => ({ code: r.code, name: r.name, ...counts('region', r.code) })),
      national: counts('national', null),
    };
  }
}
