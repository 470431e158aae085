import type { DataSource } from 'typeorm';
import { chainHash, contentHash } from './hash-chain';

export type ChainProblem =
  /** The stored hash does not match the event's content and predecessor hash: the row was changed. */
  | 'content-altered'
  /** The event's predecessor hash is not the hash stored on the event before it. */
  | 'link-broken'
  /** A version is missing before this event (an event was removed). */
  | 'version-gap';

export interface ChainBreak {
  streamId: string;
  version: number;
  position: number;
  type: string;
  problems: ChainProblem[];
}

export interface ChainReport {
  streams: number;
  events: number;
  /** Every event whose chain check failed, in stream order (at most `limit` listed; `breakCount` counts all). */
  breaks: ChainBreak[];
  breakCount: number;
  ok: boolean;
}

interface Row {
  position: string;
  stream_id: string;
  version: number;
  type: never;
  data: never;
  actor_id: string;
  actor_role: string;
  organisation: string;
  correlation_id: string;
  causation_id: string;
  idempotency_key: string | null;
  recorded_at: Date;
  prev_hash: Buffer | null;
  hash: Buffer;
}

const COLUMNS =
  'position, stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at, prev_hash, hash';
const PAGE = 5_000;

/**
 * Recomputes every hash chain (or one stream's) from the stored events: each event's hash must
 * cover its canonical content and the hash stored on its predecessor, versions must run 1, 2, 3…
 * A row changed in SQL fails at that event; removing one breaks the chain after it.
 */
export async function verifyChains(
  dataSource: DataSource,
  options: {
    streamId?: string;
    /** Only the cases these organisations have a part in (case_summaries.organisations). */
    organisations?: readonly string[];
    limit?: number;
    onProgress?: (events: number) => void;
  } = {},
): Promise<ChainReport> {
  const limit = options.limit ?? 100;
  const report: ChainReport = { streams: 0, events: 0, breaks: [], breakCount: 0, ok: true };
  let after: [string, number] = [options.streamId ?? '00000000-0000-0000-0000-000000000000', 0];
  type Previous = { streamId: string; version: number; hash: Buffer };
  let previous: Previous | null = null as Previous | null;
  for (;;) {
    const rows: Row[] = await dataSource.query(
      `SELECT ${COLUMNS} FROM case_events WHERE (stream_id, version) > ($1::uuid, $2::int)${options.streamId ? ' AND stream_id = $1::uuid' : ''}${
        options.organisations
          ? ' AND stream_id IN (SELECT case_id FROM case_summaries WHERE organisations && $3::text[])'
          : ''
      }
       ORDER BY stream_id, version LIMIT ${PAGE}`,
      options.organisations ? [...after, options.organisations] : after,
    );
    for (const r of rows) {
      const sameStream: boolean = previous?.streamId === r.stream_id;
      if (!sameStream) report.streams += 1;
      report.events += 1;
      const problems: ChainProblem[] = [];
      const expected = chainHash(
        r.prev_hash,
        contentHash({
          streamId: r.stream_id,
          version: r.version,
          type: r.type,
          data: r.data,
          recordedAt: r.recorded_at,
          metadata: {
            actorId: r.actor_id,
            actorRole: r.actor_role,
            organisation: r.organisation,
            correlationId: r.correlation_id,
            causationId: r.causation_id,
            idempotencyKey: r.idempotency_key,
          },
        }),
      );
      if (!expected.equals(r.hash)) problems.push('content-altered');
      const predecessor: Previous | null = sameStream ? previous : null;
      if (r.version !== (predecessor ? predecessor.version + 1 : 1)) problems.push('version-gap');
      const linked =
        predecessor && predecessor.version === r.version - 1
          ? r.prev_hash !== null && r.prev_hash.equals(predecessor.hash)
          : r.version === 1
            ? r.prev_hash === null
            : true;
      if (!linked) problems.push('link-broken');
      if (problems.length) {
        report.breakCount += 1;
        if (report.breaks.length < limit)
          report.breaks.push({
            streamId: r.stream_id,
            version: r.version,
            position: Number(r.position),
            type: r.type,
            problems,
          });
      }
      previous = { streamId: r.stream_id, version: r.version, hash: r.hash };
    }
    options.onProgress?.(report.events);
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1];
    after = [last.stream_id, last.version];
  }
  report.ok = report.breakCount === 0;
  return report;
}
