import type { DataSource } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import type { Projection } from '../event-store/projection';
import { rebuildProjections, type RebuildProgress } from './rebuild-projections';

/** Arbitrary but fixed: one process rebuilds, the others wait and then find nothing left to do. */
const REBUILD_LOCK = 7_346_002;

/**
 * Runs the projection rebuild a migration asked for (a row in projection_rebuild_requests: a new
 * read model, or a derivation that changed), once, whichever process starts first. A crash before
 * the request is deleted only means the rebuild runs again.
 */
export async function runRequestedRebuild(
  dataSource: DataSource,
  store: EventStore,
  projections: readonly Projection[],
): Promise<{ reasons: string[]; progress: RebuildProgress } | null> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [REBUILD_LOCK]);
    const rows: { reason: string }[] = await lock.query(
      'SELECT reason FROM projection_rebuild_requests ORDER BY requested_at, reason',
    );
    if (rows.length === 0) return null;
    const reasons = rows.map((r) => r.reason);
    const progress = await rebuildProjections(dataSource, store, projections);
    await lock.query('DELETE FROM projection_rebuild_requests WHERE reason = ANY($1::text[])', [reasons]);
    return { reasons, progress };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [REBUILD_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
