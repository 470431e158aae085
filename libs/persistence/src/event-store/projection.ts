import type { OpenCase } from '@app/pathway';

/**
 * A read model kept from a case's state. `upsert(param)` is the body of a data-modifying CTE that
 * takes its rows as one jsonb array parameter; the event store runs it in the same statement as
 * the append, and the rebuild runs it in batches.
 */
export interface StateProjection {
  readonly table: string;
  upsert(param: string): string;
  row(state: OpenCase, updatedAt: Date): Record<string, unknown>;
}
