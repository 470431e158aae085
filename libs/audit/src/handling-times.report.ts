import { CASE_INTERVALS } from '@app/persistence';
import { findMunicipality, findOrganisation, REGIONS } from '@app/pathway';
import type { DataSource } from 'typeorm';
import { type Columns, HandlingTimesCache } from './handling-times.cache';
import { percentilesCont } from './percentile';

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

/** What the handling times measure, in English (the dashboard says them in Danish: report-definitions.ts). */
export const HANDLING_TIME_DEFINITIONS = [
  'A measure is counted in the period in which it finished: a milestone when it was met or waived, an interval when its end was recorded. Milestones still open are not counted.',
  'Milestone handling time: from the start of its clock (its opening; for the post-birth plan 28 days before the due date, or the birth if earlier) to its being met or waived, excluding the time it was paused; 0 when met before its clock started.',
  'Intervals: detection (concern registered) to the first clinic visit, to the first assessment of a notification, to the first treatment start; residential request to admission; birth to post-birth plan (0 when the plan came first).',
  'Median and p90 are interpolated between the closest values (PostgreSQL percentile_cont). Breach rate: the share of counted milestones whose deadline passed before they were met or waived.',
  'Grouped by the responsible municipality (and its region) at the moment the measure finished, so a woman who moved counts where each step was done; by organisation: the milestone owner, or for intervals the organisation that recorded the end.',
  'Aggregates only: no case, person or CPR number is reported.',
];

interface Group {
  measure: string;
  kind: 'milestone' | 'interval';
  grp: string | null;
  count: number;
  median: number;
  p90: number;
  max: number;
  breached: number;
}

/**
 * Handling times per milestone rule and case interval, optionally per municipality, region or
 * organisation. Computed from an in-memory copy of `handling_times` (docs/adr/0015): the figures are
 * percentile_cont's, exactly, over the rows a snapshot taken for the report sees.
 */
export class HandlingTimesReports {
  private readonly cache: HandlingTimesCache;

  constructor(private readonly dataSource: DataSource) {
    this.cache = new HandlingTimesCache(dataSource);
  }

  async report(q: HandlingTimesQuery): Promise<HandlingTimesReport> {
    // Read at once: the rows may change at the next await.
    const groups = handlingTimeGroups(await this.cache.rows(), q);
    // Organisations by their names as kept in the database: the facilities the administrator added too.
    const names: Map<string, string> =
      q.groupBy === 'organisation'
        ? new Map(
            (
              (await this.dataSource.query(`SELECT id, name FROM organisations WHERE id = ANY($1::text[])`, [
                [...new Set(groups.map((r) => r.grp).filter((g) => g !== null))],
              ])) as { id: string; name: string }[]
            ).map((o) => [o.id, o.name]),
          )
        : new Map();
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      groupBy: q.groupBy,
      definitions: HANDLING_TIME_DEFINITIONS,
      rows: groups.map((r) => {
        const breached = r.kind === 'milestone' ? r.breached : null;
        return {
          measure: r.measure,
          kind: r.kind,
          group: r.grp === null ? null : { id: r.grp, name: names.get(r.grp) ?? groupName(q.groupBy, r.grp) },
          count: r.count,
          medianMs: Math.round(r.median),
          p90Ms: Math.round(r.p90),
          maxMs: r.max,
          breached,
          breachRate: breached === null ? null : Math.round((breached / r.count) * 10_000) / 10_000,
        };
      }),
    };
  }
}

/**
 * The period's rows counted per measure and group, each group's durations placed together, and the
 * two values at each percentile's ranks found by selection: linear in the rows, no sort.
 */
function handlingTimeGroups(c: Columns, q: HandlingTimesQuery): Group[] {
  const measures = c.dictionaries.measure.values.map((key) => key.split('\u001e'));
  const dictionary = q.groupBy === 'milestone' ? null : c.dictionaries[q.groupBy];
  const column = q.groupBy === 'milestone' ? null : c[q.groupBy];
  const width = dictionary ? Math.max(dictionary.values.length, 1) : 1;
  const wanted = new Uint8Array(measures.length).map((_, m) => (!q.measure || measures[m][0] === q.measure ? 1 : 0));
  // Dates have milliseconds; ended_at microseconds: from inclusive, to exclusive, as the SQL compared them.
  const fromUs = q.from.getTime() * 1000;
  const toUs = q.to.getTime() * 1000;
  const { endedUs, durationMs, breached, measure } = c;
  const counts = new Uint32Array(measures.length * width);
  for (let i = 0; i < c.length; i++) {
    const at = endedUs[i];
    if (at < fromUs || at >= toUs || !wanted[measure[i]]) continue;
    counts[measure[i] * width + (column ? column[i] : 0)]++;
  }
  const starts = new Uint32Array(counts.length + 1);
  for (let k = 0; k < counts.length; k++) starts[k + 1] = starts[k] + counts[k];
  const durations = new Float64Array(starts[counts.length]);
  const next = starts.slice(0, counts.length);
  const max = new Float64Array(counts.length).fill(-Infinity);
  const breaches = new Uint32Array(counts.length);
  for (let i = 0; i < c.length; i++) {
    const at = endedUs[i];
    if (at < fromUs || at >= toUs || !wanted[measure[i]]) continue;
    const k = measure[i] * width + (column ? column[i] : 0);
    const d = durationMs[i];
    durations[next[k]++] = d;
    if (d > max[k]) max[k] = d;
    breaches[k] += breached[i];
  }
  const groups: Group[] = [];
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === 0) continue;
    const values = durations.subarray(starts[k], starts[k + 1]);
    const [median, p90] = percentilesCont(values, [0.5, 0.9]);
    const [name, kind] = measures[Math.floor(k / width)];
    groups.push({
      measure: name,
      kind: kind as Group['kind'],
      grp: dictionary ? dictionary.values[k % width] : null,
      count: counts[k],
      median,
      p90,
      max: max[k],
      breached: breaches[k],
    });
  }
  // As the SQL ordered them (kind DESC, measure, group) under the test clusters' C.UTF-8 collation:
  // code point order, which is JavaScript's for the ASCII ids used.
  const order = (a: string | null, b: string | null) => (a === b || a === null || b === null ? 0 : a < b ? -1 : 1);
  return groups.sort((a, b) => order(b.kind, a.kind) || order(a.measure, b.measure) || order(a.grp, b.grp));
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
