import type { CaseEvent, CaseState, OpenCase } from '@app/pathway';

/**
 * A read model kept in step with a case. `rows` derives its rows from the case's state and the
 * events just appended; `upsert(param)` is the body of a data-modifying CTE that writes them (one
 * json array parameter, which may hold the rows of several cases: a batch appended together, so every
 * row names its case); `deleteStale`, when given, removes the rows that are no longer in `rows` (same
 * statement, disjoint rows). The event store runs both in the append statement, and
 * neither when `rows` is empty: `deleteStale` must name what goes in its rows (as pending timers
 * do), never remove a case's rows because none were given. The rebuild empties the table and runs
 * `upsert` in batches.
 */
export interface Projection {
  readonly table: string;
  upsert(rowsParam: string): string;
  /** `caseIdsParam`: the cases of the append (uuid[]), for the plan to find their rows by the index. */
  deleteStale?(rowsParam: string, caseIdsParam: string): string;
  /** `before` is the state before the append (absent when rebuilding: everything is new). */
  rows(state: OpenCase, events: readonly CaseEvent[], recordedAt: Date, before?: CaseState): Record<string, unknown>[];
}
