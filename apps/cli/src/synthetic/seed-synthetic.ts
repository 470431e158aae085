import type { Cpr, PolicyRegistry } from '@app/pathway';
import type { EventStore, ImportedStream } from '@app/persistence';
import type { DataSource } from 'typeorm';
import { ProgressBar } from '../progress-bar';
import { syntheticCourses } from './synthetic-courses';

export interface SeedSyntheticOptions {
  cases: number;
  seed: number;
  years: number;
  end: Date;
}

export interface SeedSyntheticResult {
  cases: number;
  events: number;
  commands: number;
  refusals: number;
}

/** Cases per importStreams statement: about 17,000 events, a few tens of MB of JSON. */
const BATCH = 200;

/**
 * Generates the synthetic courses and imports them as new streams, a batch at a time: the next
 * batch is generated while the previous one is written, so memory stays bounded by two batches.
 * The read models are not written here: rebuild them afterwards.
 */
export async function importSyntheticCourses(
  ds: DataSource,
  store: EventStore,
  options: SeedSyntheticOptions & {
    policies: PolicyRegistry;
    encryptCpr: (cpr: Cpr) => string;
    indexCpr?: (cpr: Cpr) => string;
  },
): Promise<SeedSyntheticResult> {
  const reservedReferences = ((await ds.query(`SELECT reference FROM case_summaries`)) as { reference: string }[]).map(
    (r) => r.reference,
  );
  const result: SeedSyntheticResult = { cases: 0, events: 0, commands: 0, refusals: 0 };
  const bar = new ProgressBar('generating and importing');
  let pending: Promise<void> | null = null;
  let batch: ImportedStream[] = [];
  let first = true;
  const flush = async () => {
    if (pending) await pending;
    if (first) await refuseRerun(ds, batch, options.seed);
    first = false;
    // Caught here so that a failure while the next batch is generated is not reported as unhandled; awaited above.
    pending = store.importStreams(batch);
    pending.catch(() => undefined);
    batch = [];
  };
  for (const c of syntheticCourses({ ...options, reservedReferences })) {
    batch.push({ streamId: c.streamId, events: c.events, encryptedCpr: c.encryptedCpr, cprIndex: c.cprIndex });
    result.cases += 1;
    result.events += c.events.length;
    result.commands += c.commands;
    result.refusals += c.refusals.length;
    if (batch.length === BATCH) await flush();
    bar.update(result.cases, options.cases, `cases, ${result.events} events`);
  }
  if (batch.length > 0) await flush();
  if (pending) await pending;
  bar.done(
    `imported ${result.cases} synthetic cases with ${result.events} events (${(result.events / Math.max(1, result.cases)).toFixed(1)} a case); ` +
      `the decider refused ${result.refusals} of ${result.commands} commands`,
  );
  return result;
}

/** The same seed gives the same case ids: a second run would collide with the first. */
async function refuseRerun(ds: DataSource, batch: readonly ImportedStream[], seed: number): Promise<void> {
  const [found] = await ds.query(`SELECT stream_id FROM case_events WHERE stream_id = ANY($1::uuid[]) LIMIT 1`, [
    batch.map((s) => s.streamId),
  ]);
  if (found)
    throw new Error(
      `the synthetic cases of seed ${seed} are already stored (case ${found.stream_id}): use another --seed`,
    );
}
