import { evolve, initialState, type CaseEvent, type CaseState } from '@app/pathway';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import type { Projection } from '../event-store/projection';

export interface RebuildProgress {
  events: number;
  totalEvents: number;
  cases: number;
}

const BATCH = 500;

/**
 * Rebuilds every projection from the events, in one transaction: readers keep seeing the old rows
 * until it commits; writers wait for it (their own projection upsert is version-guarded, so a
 * command that committed events meanwhile still leaves its row current).
 */
export async function rebuildProjections(
  dataSource: DataSource,
  store: EventStore,
  projections: readonly Projection[],
  onProgress: (p: RebuildProgress) => void = () => undefined,
): Promise<RebuildProgress> {
  const progress: RebuildProgress = { events: 0, totalEvents: await store.countEvents(), cases: 0 };
  await dataSource.transaction(async (tx) => {
    for (const p of projections) {
      await tx.query(`LOCK TABLE ${p.table} IN EXCLUSIVE MODE`);
      await tx.query(`DELETE FROM ${p.table}`);
    }
    const batch: { state: CaseState; events: CaseEvent[]; at: Date }[] = [];
    const flush = async () => {
      for (const p of projections) {
        const rows = batch.flatMap(({ state, events, at }) =>
          state.status === 'none' ? [] : p.rows(state, events, at),
        );
        if (rows.length) await tx.query(`WITH w AS (${p.upsert('$1::json')}) SELECT 1`, [JSON.stringify(rows)]);
      }
      progress.cases += batch.length;
      batch.length = 0;
    };
    let streamId: string | null = null;
    for await (const page of store.readAll()) {
      for (const e of page) {
        if (e.streamId !== streamId) {
          if (batch.length >= BATCH) await flush();
          batch.push({ state: initialState, events: [], at: e.recordedAt });
          streamId = e.streamId;
        }
        const current = batch[batch.length - 1];
        const caseEvent = { type: e.type, data: e.data } as CaseEvent;
        current.state = evolve(current.state, caseEvent);
        current.events.push(caseEvent);
        current.at = e.recordedAt;
        progress.events += 1;
      }
      onProgress({ ...progress });
    }
    await flush();
  });
  onProgress({ ...progress });
  return progress;
}
