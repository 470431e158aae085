import { CASE_INTERVALS } from '@app/persistence';
import { findMunicipality, findOrganisation, REGIONS } from '@app/pathway';
import type { DataSource } from 'typeorm';

export const GROUP_BYS = ['milestone', 'municipality', 'region', 'organisation'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface HandlingTimesQuery {
  from: Date;
  to: Date;
  groupBy: GroupBy;
  /** One milestone rule or case interval; all when absent. */
  measure?: string;
}

export interface HandlingTimeRow {
  /** A milestone rule (e.g. `notification-assessment`) or a case interval (e.g. `detection-to-treatment-start`). */
  measure: string;
  kind: 'milestone' | 'interval';
  /** The municipality, region or organisation; null when grouped by milestone only. */
  group: { id: string; name: string } | null;
  count: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  /** Milestones that breached their deadline; null for intervals, which have none. */
  breached: number | null;
  breachRate: number | null;
}

export interface HandlingTimesReport {
  from: string;
  to: string;
  groupBy: GroupBy;
  definitions: string[];
  rows: HandlingTimeRow[];
}

export const HANDLING_TIME_DEFINITIONS = [
  'A measure is counted in the period in which it finished: a milestone when it was met or waived, an interval when its end was recorded. Milestones still open are not counted.',
  'Milestone handling time: from the milestone opening to its being met or waived, excluding the time it was paused.',
  'Intervals: detection (concern registered) to the first clinic visit, to the first assessment of a notification, to the first treatment start; residential request to admission; birth to post-birth plan (0 when the plan came first).',
  'Median and p90 are interpolated between the closest values (PostgreSQL percentile_cont). Breach rate: the share of counted milestones whose deadline passed before they were met or waived.',
  'Grouped by the responsible municipality (and its region) at the moment the measure finished, so a woman who moved counts where each step was done; by organisation: the milestone owner, or for intervals the organisation that recorded the end.',
  'Aggregates only: no case, person or CPR number is reported.',
];

const GROUP_COLUMN: Record<GroupBy, string | null> = { milestone: null, municipality: 'municipality', region: 'region', organisation: 'organisation' };

interface SqlRow {
  measure: string;
  kind: 'milestone' | 'interval';
  grp: string | null;
  count: string;
  median: number;
  p90: number;
  max: string;
  breached: string | null;
}

/** Handling times per milestone rule and case interval, optionally per municipality, region or organisation. */
export class HandlingTimesReports {
  constructor(private readonly dataSource: DataSource) {}

  async report(q: HandlingTimesQuery): Promise<HandlingTimesReport> {
    const column = GROUP_COLUMN[q.groupBy];
    const params: unknown[] = [q.from.toISOString(), q.to.toISOString()];
    if (q.measure) params.push(q.measure);
    const rows: SqlRow[] = await this.dataSource.query(
      `SELECT measure, kind, ${column ?? 'NULL'} AS grp, count(*) AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY duration_ms) AS p90,
              max(duration_ms) AS max,
              count(*) FILTER (WHERE breached) AS breached
       FROM handling_times
       WHERE ended_at >= $1 AND ended_at < $2${q.measure ? ' AND measure = $3' : ''}
       GROUP BY measure, kind${column ? `, ${column}` : ''}
       ORDER BY kind DESC, measure${column ? `, ${column}` : ''}`,
      params,
    );
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      groupBy: q.groupBy,
      definitions: HANDLING_TIME_DEFINITIONS,
      rows: rows.map((r) => {
        const count = Number(r.count);
        const breached = r.kind === 'milestone' ? Number(r.breached) : null;
        return {
          measure: r.measure,
          kind: r.kind,
          group: r.grp === null ? null : { id: r.grp, name: groupName(q.groupBy, r.grp) },
          count,
          medianMs: Math.round(r.median),
          p90Ms: Math.round(r.p90),
          maxMs: Number(r.max),
          breached,
          breachRate: breached === null ? null : Math.round((breached / count) * 10_000) / 10_000,
        };
      }),
    };
  }
}

/** Every measure the report knows: the case intervals and the given milestone rules. */
export function knownMeasures(rules: readonly string[]): string[] {
  return [...rules, ...CASE_INTERVALS];
}

function groupName(groupBy: GroupBy, id: string): string {
  if (groupBy === 'municipality') return findMunicipality(id)?.name ?? id;
  if (groupBy === 'region') return REGIONS.find((r) => r.code === id)?.name ?? id;
  return findOrganisation(id)?.name ?? id;
}
